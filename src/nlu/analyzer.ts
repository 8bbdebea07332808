/**
 * Turns a text into weighted matching terms: normalize → tokens → synonyms → stop words →
 * compounds → typo correction → stems. The same analyzer serves the knowledge questions (in
 * their own language) and the user's message (whose words may be Dutch, English or both).
 */
import type { Lang } from '../knowledge/types';
import { MATCHER_DEFAULTS, type MatcherTunables } from './defaults';
import { LANGUAGES } from './lang';
import { normalize, tokenize } from './normalize';
import { CANONICAL_PREFIX, SynonymMatcher, wordKeys, type SynonymHit } from './synonyms';
import { CompoundSplitter } from './compounds';
import { TypoCorrector } from './typos';

export interface Term {
  /** The word as it stands in the normalized text (or the synonym's canonical label). */
  readonly word: string;
  /** Index keys this word may match (its stems in either language). */
  readonly keys: readonly string[];
  readonly weight: number;
  readonly via: 'word' | 'synonym' | 'compound' | 'typo';
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

export function isStopword(word: string): boolean {
  return LANGUAGES.nl.stopwords.has(word) || LANGUAGES.en.stopwords.has(word);
}

function isNoise(word: string): boolean {
  return word.length < 2 || /^\d+$/.test(word);
}

export interface AnalyzerVocabulary {
  /** Words known from the knowledge base (questions, titles, answers): compound parts. */
  readonly words: ReadonlySet<string>;
  /** Question words and how often they occur: typo targets. */
  readonly questionWords: ReadonlyMap<string, number>;
  /** Every key in the index: a message word is "known" when one of its keys is here. */
  readonly keys: ReadonlySet<string>;
}

export class Analyzer {
  private readonly splitter: CompoundSplitter | null;
  private readonly corrector: TypoCorrector | null;

  constructor(
    readonly synonyms: SynonymMatcher,
    private readonly vocabulary: AnalyzerVocabulary | null,
    private readonly tunables: MatcherTunables = MATCHER_DEFAULTS,
  ) {
    this.splitter = vocabulary ? new CompoundSplitter(vocabulary.words, tunables.minCompoundPart) : null;
    this.corrector = vocabulary ? new TypoCorrector(vocabulary.questionWords, tunables.minTypoLength, tunables.twoEditsFromLength) : null;
  }

  /** Surface tokens after normalization and synonyms (used to build the vocabulary). */
  surface(text: string): string[] {
    return this.synonyms.apply(tokenize(normalize(text))).tokens;
  }

  /**
   * Analyzes a knowledge question: its words are stemmed in its own language, compounds add
   * their parts. No typo correction.
   */
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
      const parts = this.splitter?.split(t);
      if (parts) {
        for (const p of parts) {
          if (!isStopword(p)) terms.push({ word: p, keys: [stem(p)], weight: this.tunables.compoundPartWeight, via: 'compound' });
        }
      }
    }
    return terms;
  }

  /** Analyzes a user's message, whose words may be in either language. */
  analyzeMessage(text: string): Analysis {
    const normalized = normalize(text);
    const tokens = tokenize(normalized);
    const { tokens: withSynonyms, hits } = this.synonyms.apply(tokens);
    const terms: Term[] = [];
    const stopwords: string[] = [];
    const compounds: { word: string; parts: string[] }[] = [];
    const corrections: { from: string; to: string }[] = [];
    const known = (keys: readonly string[]) => !this.vocabulary || keys.some((k) => this.vocabulary!.keys.has(k));

    for (const t of withSynonyms) {
      if (t.startsWith(CANONICAL_PREFIX)) {
        terms.push({ word: this.synonyms.canonicalLabels.get(t) ?? t, keys: [t], weight: 1, via: 'synonym' });
        continue;
      }
      if (isNoise(t)) continue;
      if (isStopword(t)) {
        stopwords.push(t);
        continue;
      }
      const keys = wordKeys(t);
      if (known(keys)) {
        terms.push({ word: t, keys, weight: 1, via: 'word' });
        const parts = this.splitter?.split(t);
        if (parts) {
          compounds.push({ word: t, parts });
          for (const p of parts) if (!isStopword(p)) terms.push({ word: p, keys: wordKeys(p), weight: this.tunables.compoundPartWeight, via: 'compound' });
        }
        continue;
      }
      const parts = this.splitter?.split(t);
      if (parts) {
        compounds.push({ word: t, parts });
        for (const p of parts) {
          if (isStopword(p)) continue;
          const canon = this.synonyms.apply([p]).tokens[0]!;
          const pk = canon.startsWith(CANONICAL_PREFIX) ? [canon] : wordKeys(p);
          terms.push({ word: p, keys: pk, weight: this.tunables.unknownCompoundPartWeight, via: 'compound' });
        }
        continue;
      }
      const fixed = this.corrector?.correct(t);
      if (fixed) {
        const canon = this.synonyms.apply([fixed]).tokens[0]!;
        corrections.push({ from: t, to: fixed });
        const fk = canon.startsWith(CANONICAL_PREFIX) ? [canon] : wordKeys(fixed);
        terms.push({ word: fixed, keys: fk, weight: this.tunables.typoWeight, via: 'typo' });
        continue;
      }
      terms.push({ word: t, keys, weight: 1, via: 'word' }); // unknown: counts against the match
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
