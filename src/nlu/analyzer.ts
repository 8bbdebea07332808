/**
 * Turns a text into weighted matching terms: normalize → tokens → (message only) compound
 * splitting and typo correction of unknown words → synonyms → stop words → stems. The same
 * analyzer serves the knowledge questions (in their own language) and the user's message (whose
 * words may be Dutch, English or both).
 */
import type { Lang } from '../knowledge/types';
import { MATCHER_DEFAULTS, type MatcherTunables } from './defaults';
import { LANGUAGES } from './lang';
import { normalize, tokenize } from './normalize';
import { CANONICAL_PREFIX, SynonymMatcher, type SynonymHit } from './synonyms';
import { wordKeys } from './phrases';
import { CompoundSplitter } from './compounds';
import { TypoCorrector } from './typos';

export type TermOrigin = 'word' | 'synonym' | 'compound' | 'typo';

export interface Term {
  /** The word as it stands in the normalized text (or the synonym's canonical label). */
  readonly word: string;
  /** Index keys this word may match (its stems in either language). */
  readonly keys: readonly string[];
  readonly weight: number;
  readonly via: TermOrigin;
}

export interface Analysis {
  readonly normalized: string;
  readonly tokens: readonly string[];
  readonly terms: readonly Term[];
  readonly stopwords: readonly string[];
  readonly synonyms: readonly SynonymHit[];
  readonly compounds: readonly { word: string; parts: string[] }[];
  readonly corrections: readonly { from: string; to: string }[];
}

/** Prefixes that only say "very" (Dutch mostly): stokoud, superduur, keihard, hypermodern. Not
 * "bloed", "hart", "oer": bloeddruk, hartslag and oerwoud are words of their own. */
const INTENSIFIERS = ['super', 'mega', 'hyper', 'ultra', 'stok', 'kei', 'reuze', 'bere', 'snoei', 'piep', 'spik'];

export function isStopword(word: string): boolean {
  return LANGUAGES.nl.stopwords.has(word) || LANGUAGES.en.stopwords.has(word);
}

function isNoise(word: string): boolean {
  return word.length < 2 || /^\d+$/.test(word);
}

export interface AnalyzerVocabulary {
  /** Every word of the knowledge (questions, titles, answers, synonyms): known words, compound parts. */
  readonly words: ReadonlySet<string>;
  /** Words that only Dutch texts use: known words among them may be split as compounds. */
  readonly dutchOnly: ReadonlySet<string>;
  /** Content words of questions and synonyms, with how often they occur: typo targets. */
  readonly typoTargets: ReadonlyMap<string, number>;
}

interface Token {
  readonly word: string;
  readonly weight: number;
  readonly via: TermOrigin;
}

/** What one token of a message becomes (it depends on the token and the vocabulary only). */
interface TokenAnalysis {
  /** Tokens in its place in the sequence (the word, its fix, or its compound parts). */
  readonly sequence: readonly Token[];
  /** Parts of a known compound, matched besides the word itself. */
  readonly extraParts: readonly Token[];
  readonly compound: { word: string; parts: string[] } | null;
  readonly correction: { from: string; to: string } | null;
}

/** Token analyses kept per analyzer (a long message's sentences are analysed again, and common words recur). */
const TOKEN_CACHE_SIZE = 20_000;

export class Analyzer {
  private readonly splitter: CompoundSplitter | null;
  private readonly corrector: TypoCorrector | null;
  /** One-word synonym terms (a compound written apart is joined into one of these). */
  private readonly joinTargets: ReadonlySet<string>;
  private readonly tokenCache = new Map<string, TokenAnalysis>();

  constructor(
    readonly synonyms: SynonymMatcher,
    private readonly vocabulary: AnalyzerVocabulary | null,
    private readonly tunables: MatcherTunables = MATCHER_DEFAULTS,
  ) {
    this.splitter = vocabulary ? new CompoundSplitter(vocabulary.words, tunables.minCompoundPart) : null;
    this.joinTargets = new Set([...synonyms.words()].filter((w) => w.length >= 6 && !/\d/.test(w) && synonyms.apply([w]).tokens[0]!.startsWith(CANONICAL_PREFIX)));
    this.corrector = vocabulary ? new TypoCorrector(vocabulary.typoTargets, tunables.minTypoLength, tunables.twoEditsFromLength) : null;
  }

  /** Tokens of a text after normalization and synonyms (to build the vocabulary). */
  surface(text: string): string[] {
    return this.synonyms.apply(tokenize(normalize(text))).tokens;
  }

  /** A knowledge question: stemmed in its own language; Dutch compounds add their parts. */
  analyzeQuestion(text: string, lang: Lang): Term[] {
    const { tokens } = this.synonyms.apply(tokenize(normalize(text)));
    const terms: Term[] = [];
    const stem = LANGUAGES[lang].stem;
    for (const t of tokens) {
      if (t.startsWith(CANONICAL_PREFIX)) {
        terms.push({ word: t, keys: [t], weight: 1, via: 'synonym' });
        continue;
      }
      if (isNoise(t) || isStopword(t)) continue;
      terms.push({ word: t, keys: [stem(t)], weight: 1, via: 'word' });
      const parts = lang === 'nl' ? this.splitter?.split(t) : null;
      for (const p of parts ?? []) {
        if (!isStopword(p)) terms.push({ word: p, keys: [stem(p)], weight: this.tunables.compoundPartWeight, via: 'compound' });
      }
    }
    return terms;
  }

  /**
   * A compound written apart ("gijzel software", "ontwikkelings maatschappij", "productie vloer"):
   * two neighbouring words whose concatenation is a one-word synonym term become that word. (Only
   * synonym terms: "robot arm" and "smart industry" are as common apart as together.)
   */
  joinSplitCompounds(tokens: string[]): string[] {
    if (!this.vocabulary || tokens.length < 2) return tokens;
    const targets = this.joinTargets;
    const part = (w: string) => w.length >= 3 && !isStopword(w) && !/\d/.test(w);
    let out: string[] | null = null;
    for (let i = 0; i < tokens.length; i++) {
      const a = tokens[i]!;
      const b = tokens[i + 1];
      if (b !== undefined && part(a) && part(b) && targets.has(a + b)) {
        out ??= tokens.slice(0, i);
        out.push(a + b);
        i++;
      } else out?.push(a);
    }
    return out ?? tokens;
  }

  /**
   * A word stretched for emphasis in chat ("doeiii", "thanksss", "bedanktt"): the known word with
   * the repeated letters cut back (to two, else one), or null.
   */
  private unstretch(word: string): string | null {
    if (!/(\p{L})\1/u.test(word)) return null;
    const words = this.vocabulary!.words;
    const two = word.replace(/(\p{L})\1{2,}/gu, '$1$1');
    if (two !== word && words.has(two)) return two;
    const one = word.replace(/(\p{L})\1+/gu, '$1');
    if (words.has(one)) return one;
    const end = two.replace(/(\p{L})\1$/u, '$1');
    return end !== two && words.has(end) ? end : null;
  }

  /** A word with a Dutch or English intensifier in front ("stokoud", "superduur", "megadruk"): the word without it, when known. */
  private unintensify(word: string): string | null {
    for (const prefix of INTENSIFIERS) {
      if (word.length - prefix.length < 3 || !word.startsWith(prefix)) continue;
      const rest = word.slice(prefix.length).replace(/^-/, '');
      if (this.vocabulary!.words.has(rest)) return rest;
    }
    return null;
  }

  /** One token of a message: a known word (and a known compound's parts), a stretched or
   * intensified known word, an unknown compound's parts, a typo's fix, or an unknown word. */
  private analyzeToken(t: string): TokenAnalysis {
    const vocab = this.vocabulary;
    const word = (w: string, weight: number, via: TermOrigin): Token => ({ word: w, weight, via });
    if (isNoise(t) || !vocab || isStopword(t) || vocab.words.has(t)) {
      const parts = vocab?.dutchOnly.has(t) ? this.splitter!.split(t) : null;
      return {
        sequence: [word(t, 1, 'word')],
        extraParts: parts ? parts.map((p) => word(p, this.tunables.compoundPartWeight, 'compound')) : [],
        compound: parts ? { word: t, parts } : null,
        correction: null,
      };
    }
    const none = { extraParts: [], compound: null, correction: null };
    const stretched = this.unstretch(t) ?? this.unintensify(t);
    if (stretched) return { ...none, sequence: [word(stretched, 1, 'word')] };
    const parts = this.splitter!.split(t);
    if (parts) return { ...none, sequence: parts.map((p) => word(p, this.tunables.unknownCompoundPartWeight, 'compound')), compound: { word: t, parts } };
    const fixed = this.corrector!.correct(t);
    if (fixed) return { ...none, sequence: [word(fixed, this.tunables.typoWeight, 'typo')], correction: { from: t, to: fixed } };
    return { ...none, sequence: [word(t, 1, 'word')] }; // unknown: counts against the match
  }

  /** A user's message, whose words may be in either language and hold compounds and typos. */
  analyzeMessage(text: string): Analysis {
    const normalized = normalize(text);
    const tokens = this.joinSplitCompounds(tokenize(normalized));
    const compounds: { word: string; parts: string[] }[] = [];
    const corrections: { from: string; to: string }[] = [];
    const sequence: Token[] = [];
    const extraParts: Token[] = [];
    for (const t of tokens) {
      let a = this.tokenCache.get(t);
      if (!a) {
        a = this.analyzeToken(t);
        if (this.tokenCache.size >= TOKEN_CACHE_SIZE) this.tokenCache.clear();
        this.tokenCache.set(t, a);
      }
      sequence.push(...a.sequence);
      extraParts.push(...a.extraParts);
      if (a.compound) compounds.push(a.compound);
      if (a.correction) corrections.push(a.correction);
    }

    const { tokens: merged, hits, spans } = this.synonyms.applyWithSpans(sequence.map((s) => s.word));
    const terms: Term[] = [];
    const stopwords: string[] = [];
    merged.forEach((w, i) => {
      const [from, to] = spans[i]!;
      const weight = Math.min(...sequence.slice(from, to).map((s) => s.weight));
      if (w.startsWith(CANONICAL_PREFIX)) {
        terms.push({ word: this.synonyms.canonicalLabels.get(w) ?? w, keys: [w], weight, via: 'synonym' });
      } else if (isStopword(w)) {
        stopwords.push(w);
      } else if (!isNoise(w)) {
        terms.push({ word: w, keys: wordKeys(w), weight, via: sequence[from]!.via });
      }
    });
    for (const p of extraParts) {
      if (isStopword(p.word)) continue;
      const canon = this.synonyms.apply([p.word]).tokens[0]!;
      const keys = canon.startsWith(CANONICAL_PREFIX) ? [canon] : wordKeys(p.word);
      terms.push({ word: p.word, keys, weight: p.weight, via: 'compound' });
    }
    return { normalized, tokens, terms: dedupe(terms), stopwords, synonyms: hits, compounds, corrections };
  }
}

/** The same word twice in a message counts once (with its highest weight). */
function dedupe(terms: Term[]): Term[] {
  const byKey = new Map<string, Term>();
  for (const t of terms) {
    const k = t.keys.join('|');
    const prev = byKey.get(k);
    if (!prev || prev.weight < t.weight) byKey.set(k, t);
  }
  return [...byKey.values()];
}
