/**
 * The question matcher: an inverted index over every alternate question (BM25-style idf
 * weights), the entries' answers as weaker evidence, a per-question and per-entry coverage score,
 * a linear classifier's probability (over the words, and the small words the index leaves out),
 * a character-trigram similarity on the best few, and one combined score in [0, 1]. Long
 * messages are also matched sentence by sentence. Then the decision: answer, disambiguate, fallback.
 */
import { outOfScopeExamples, type Bilingual, type Lang, type OutOfScope, type SynonymGroup } from '../knowledge/types';
import { PhraseIndex } from './phrases';
import { LANGUAGES } from './lang';
import { IntentClassifier, type TrainingExample } from './classifier';
import { Analyzer, isStopword, type Analysis, type AnalyzerVocabulary, type Term } from './analyzer';
import { MATCHER_DEFAULTS, type MatcherTunables } from './defaults';
import { detectLanguage, type LanguageGuess, type LanguageVocabulary } from './language';
import { normalize, tokenize } from './normalize';
import { CANONICAL_PREFIX, SynonymMatcher } from './synonyms';
import { TrigramIndex } from './trigrams';

// A module-level copy (see classifier.ts): global lookups are slow inside Jest's vm context.
const { min, max, log, round } = Math;

/** Something the matcher can reach: a Q&A entry, a task, a record. */
export interface MatchDoc {
  readonly id: string;
  readonly questions: Bilingual<readonly string[]>;
  /** Longer text about it (an answer, a description): weaker evidence, and vocabulary. */
  readonly context?: Bilingual;
  /** The "questions" are names: a place in a name ("Field Lab Robotics (Roermond)") is not a place asked about. */
  readonly names?: boolean;
}

export interface Thresholds {
  readonly answer: number;
  readonly margin: number;
  readonly disambiguate: number;
}

export type Decision = 'answer' | 'disambiguate' | 'fallback';

export interface Candidate {
  readonly id: string;
  readonly score: number;
  /** The score from the index alone (without the classifier). */
  readonly lexical: number;
  /** The alternate question that matched best. */
  readonly question: string;
  /** The message words that this candidate matched. */
  readonly matched: readonly string[];
}

export interface MatchResult {
  readonly query: string;
  readonly language: LanguageGuess;
  readonly decision: Decision;
  readonly best: Candidate | null;
  /** Best first, at most `MATCHER_DEFAULTS.candidates`. */
  readonly candidates: readonly Candidate[];
  /** The options for "did you mean" when the decision is disambiguate. */
  readonly choices: readonly Candidate[];
  readonly analysis: Analysis;
  /** A word of private life and no word of business: the scores were lowered (outofscope.yaml). */
  readonly privateContext: string | null;
  /** How much the message is like outofscope.yaml's examples (the classifier's probability of
   * "not ours"); every score was multiplied by 1 - outOfScopeWeight × this. */
  readonly notOurs: number;
  /** Answered, but only just: less than two margins ahead of the next entry, or less than one above
   * the answer threshold. Kept for the editors' report (a question that may need an alternate). */
  readonly nearMiss: boolean;
}

interface IndexedQuestion {
  readonly doc: number;
  readonly text: string;
  /** Σ weight × idf over the question's terms. */
  norm: number;
}

/** The questions a key occurs in, with its weight there (parallel arrays). */
interface Postings {
  readonly q: Int32Array;
  readonly w: Float32Array;
}

/** Everything a ranking pass needs of one index key, found with one lookup. */
interface KeyEntry {
  readonly idf: number;
  readonly questions: Postings | null;
  /** The documents whose context (answer) holds the key. */
  readonly context: Int32Array | null;
}

/** Scratch arrays for one ranking pass, reused so that matching allocates little. */
interface Work {
  stamp: number;
  readonly qMark: Int32Array;
  readonly termMark: Int32Array;
  readonly termBest: Float64Array;
  readonly accQ: Float64Array;
  readonly accD: Float64Array;
  readonly docMark: Int32Array;
  readonly docTermMark: Int32Array;
  readonly docHit: Float64Array;
  readonly docBestF: Float64Array;
  readonly docBestQ: Int32Array;
  readonly docTypical: Float64Array;
  readonly docTypMark: Int32Array;
  readonly docTypBest: Float64Array;
  readonly docScore: Float64Array;
  readonly docLexical: Float64Array;
  /** The questions and documents a pass touched, and the questions of one term (counts kept by the pass). */
  readonly touchedQ: Int32Array;
  readonly termQ: Int32Array;
  readonly touchedDocs: Int32Array;
}

interface Scored {
  readonly doc: number;
  score: number;
  /** The score without the classifier's share. */
  lexical: number;
  readonly q: number;
  /** The terms it was ranked on (the words it matched are worked out for the final few only). */
  readonly terms: readonly Term[];
  /** Small talk (not in the index): the question's text and the message words it holds. */
  readonly text?: string;
  readonly words?: ReadonlySet<string>;
}

const PLACE_TOKEN = `${CANONICAL_PREFIX}place`;
const NO_TERMS: readonly Term[] = [];

/** Inserts `doc` into `top` (best first, at most k; an equal score stays behind the earlier one). */
function keepBest(top: number[], k: number, doc: number, score: Float64Array): void {
  const s = score[doc]!;
  if (top.length === k && s <= score[top[k - 1]!]!) return;
  let i = top.length === k ? k - 1 : top.length;
  while (i > 0 && score[top[i - 1]!]! < s) {
    top[i] = top[i - 1]!;
    i--;
  }
  top[i] = doc;
}

/** Forms of the same small word, so that small talk meets on them ("wat kun jij" ~ "wat kan je"). */
const SMALL_WORD_FORMS: ReadonlyMap<string, string> = new Map([
  ...['je', 'jou', 'u', 'jullie'].map((w): [string, string] => [w, 'jij']),
  ...['kun', 'kunt', 'kunnen'].map((w): [string, string] => [w, 'kan']),
  ...['doe', 'doet'].map((w): [string, string] => [w, 'doen']),
  ...['me'].map((w): [string, string] => [w, 'mij']),
  ...['ya', 'yourself'].map((w): [string, string] => [w, 'you']),
]);

function smallTalkWords(tokens: readonly string[]): Set<string> {
  return new Set(tokens.map((w) => SMALL_WORD_FORMS.get(w) ?? w));
}

/** The small words among tokens as classifier features ("~wat", "~hoe", "~moet", "~for"): they
 * tell what is asked about a topic (what it is, how to start, what it costs, whether it applies). */
function cueKeys(tokens: readonly string[]): string[] {
  const out = new Set<string>();
  for (const t of tokens) if (isStopword(t)) out.add(`~${t}`);
  return [...out];
}

/** Sentences of a message (for long messages with the question somewhere inside). */
function segments(text: string): string[] {
  return text
    .split(/[.!?;:\n]+|\s[-–]\s/)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

export class Matcher {
  readonly analyzer: Analyzer;
  private readonly docs: readonly MatchDoc[];
  private readonly questions: IndexedQuestion[] = [];
  /** key → the documents whose questions hold it, with the share of their questions that do. */
  private readonly typicalPostings = new Map<string, Postings>();
  private readonly questionDoc: Int32Array;
  private readonly questionNorm: Float64Array;
  /** Per question, its keys (to tell which message words a candidate matched). */
  private readonly questionKeys: ReadonlySet<string>[];
  private readonly work: Work;
  /** The most a score can add up to: dividing by it keeps every score in [0, 1] and in order. */
  private readonly scale: number;
  private readonly classifier: IntentClassifier | null = null;
  private readonly probs: Float64Array | null = null;
  /** The classifier's label "not ours" (learned from outofscope.yaml's examples), or -1. */
  private readonly notOursLabel: number = -1;
  /** The whole message's probability of "not ours", set by its rank pass. */
  private notOursP = 0;
  /** Per index key: its idf, the questions that hold it and the documents whose context does. */
  private readonly keys = new Map<string, KeyEntry>();
  private readonly idfUnknown: number;
  private readonly languageVocabulary: LanguageVocabulary;
  /** Per document, its question indexes. */
  private readonly docQuestions: number[][];
  private readonly tunables: MatcherTunables;
  private readonly privateWords = new PhraseIndex<string>();
  private readonly businessWords = new PhraseIndex<string>();
  /** The questions' character trigrams (numbered as `questions`). */
  private readonly trigrams = new TrigramIndex();
  /** Questions of nothing but stop words, with their words. */
  private readonly smallTalk: { doc: number; text: string; words: ReadonlySet<string> }[] = [];

  constructor(
    docs: readonly MatchDoc[],
    synonymGroups: readonly SynonymGroup[],
    private readonly thresholds: Thresholds,
    options: { tunables?: MatcherTunables; placeNames?: readonly string[]; outOfScope?: OutOfScope } = {},
  ) {
    this.docs = docs;
    this.tunables = options.tunables ?? MATCHER_DEFAULTS;
    const tn = this.tunables;
    this.scale = tn.questionWeight + tn.entryWeight + tn.typicalWeight + tn.trigramWeight + tn.classifierWeight;
    for (const lang of ['nl', 'en'] as const) {
      for (const w of options.outOfScope?.private[lang] ?? []) this.privateWords.add(w, w, true);
      for (const w of options.outOfScope?.business[lang] ?? []) this.businessWords.add(w, w);
    }
    const tunables = this.tunables;
    const synonyms = new SynonymMatcher(synonymGroups, options.placeNames?.length ? [{ label: 'place', terms: options.placeNames }] : []);
    const plain = new Analyzer(synonyms, null, tunables);

    // 1. Vocabulary: every word of the knowledge; question and synonym words are typo targets.
    const words = new Set<string>(synonyms.words());
    const typoTargets = new Map<string, number>();
    const langWords: Record<Lang, Set<string>> = { nl: new Set(), en: new Set() };
    const target = (w: string) => {
      if (w.startsWith(CANONICAL_PREFIX) || isStopword(w) || /\d/.test(w) || w.length < 3) return;
      typoTargets.set(w, (typoTargets.get(w) ?? 0) + 1);
    };
    for (const w of words) target(w);
    // A mistyped small word ("eigelijk", "becuase") is a small word, not an unknown one (which
    // counts against every match): the longer stop words are targets too, below any content word.
    for (const w of [...LANGUAGES.nl.stopwords, ...LANGUAGES.en.stopwords]) if (w.length >= 5 && !typoTargets.has(w)) typoTargets.set(w, 0);
    for (const d of docs) {
      for (const lang of ['nl', 'en'] as const) {
        for (const q of d.questions[lang]) {
          for (const w of tokenize(normalize(q))) {
            words.add(w);
            langWords[lang].add(w);
            target(w);
          }
        }
        const ctx = d.context?.[lang];
        if (ctx) for (const w of tokenize(normalize(ctx))) {
          words.add(w);
          langWords[lang].add(w);
        }
      }
    }
    const only = {
      nl: new Set([...langWords.nl].filter((w) => !langWords.en.has(w))),
      en: new Set([...langWords.en].filter((w) => !langWords.nl.has(w))),
    };
    this.languageVocabulary = { only };
    const vocabulary: AnalyzerVocabulary = { words, dutchOnly: only.nl, typoTargets };

    // 2. Analyze every question (and each context) once.
    const docAnalyzer = new Analyzer(synonyms, vocabulary, tunables);
    const questionTerms: Map<string, number>[] = [];
    const docKeys: Set<string>[] = docs.map(() => new Set());
    /** Per document: in how many of its questions each key occurs. */
    const docKeyCounts: Map<string, number>[] = docs.map(() => new Map());
    const contextKeys: Set<string>[] = docs.map(() => new Set());
    this.docQuestions = docs.map(() => []);
    docs.forEach((d, di) => {
      for (const lang of ['nl', 'en'] as const) {
        for (const text of d.questions[lang]) {
          const terms = docAnalyzer.analyzeQuestion(text, lang).filter((t) => !(d.names && t.keys[0] === PLACE_TOKEN));
          if (!terms.length) {
            // Only small words ("wie ben jij", "what can you do"): matched on those words, below.
            const words = smallTalkWords(tokenize(normalize(text)));
            if (words.size) this.smallTalk.push({ doc: di, text, words });
            continue;
          }
          const weights = new Map<string, number>();
          for (const t of terms) {
            const k = t.keys[0]!;
            weights.set(k, max(weights.get(k) ?? 0, t.weight));
            docKeys[di]!.add(k);
          }
          for (const k of weights.keys()) docKeyCounts[di]!.set(k, (docKeyCounts[di]!.get(k) ?? 0) + 1);
          this.docQuestions[di]!.push(this.questions.length);
          questionTerms.push(weights);
          this.questions.push({ doc: di, text, norm: 0 });
          this.trigrams.add(plain.surface(text));
        }
        const ctx = d.context?.[lang];
        if (ctx) for (const t of docAnalyzer.analyzeQuestion(ctx, lang)) if (t.via !== 'compound') contextKeys[di]!.add(t.keys[0]!);
      }
    });

    // 3. idf per key over documents: its questions and its context together (an entry's many
    //    alternates do not make its own words common).
    const n = docs.length;
    const df = new Map<string, number>();
    docs.forEach((_, di) => {
      for (const k of new Set([...docKeys[di]!, ...contextKeys[di]!])) df.set(k, (df.get(k) ?? 0) + 1);
    });
    const idf = new Map<string, number>();
    for (const [k, f] of df) idf.set(k, log(1 + (n - f + 0.5) / (f + 0.5)));
    this.idfUnknown = log(1 + (n - 1 + 0.5) / 1.5);

    // A name that says nothing of its own once places are left out ("EDIH Zuid-Holland",
    // "fieldlab Helmond": only general concepts) would catch every general question about them.
    const generic = (k: string) => k.startsWith(CANONICAL_PREFIX);
    const building = new Map<string, { q: number[]; w: number[] }>();
    questionTerms.forEach((weights, qi) => {
      const q = this.questions[qi]!;
      if (docs[q.doc]!.names && [...weights.keys()].every(generic)) {
        weights.clear();
        return;
      }
      let norm = 0;
      for (const [k, w] of weights) {
        norm += w * idf.get(k)!;
        const list = building.get(k) ?? { q: [], w: [] };
        list.q.push(qi);
        list.w.push(w);
        building.set(k, list);
      }
      q.norm = norm;
    });
    const postings = new Map<string, Postings>();
    for (const [k, list] of building) postings.set(k, { q: Int32Array.from(list.q), w: Float32Array.from(list.w) });
    const contextBuilding = new Map<string, number[]>();
    contextKeys.forEach((keys, di) => {
      for (const k of keys) {
        const list = contextBuilding.get(k) ?? [];
        list.push(di);
        contextBuilding.set(k, list);
      }
    });
    const contextPostings = new Map<string, Int32Array>();
    for (const [k, list] of contextBuilding) contextPostings.set(k, Int32Array.from(list));
    this.questionDoc = Int32Array.from(this.questions.map((q) => q.doc));
    this.questionNorm = Float64Array.from(this.questions.map((q) => q.norm));
    this.questionKeys = questionTerms.map((w) => new Set(w.keys()));
    if (tunables.classifierWeight > 0) {
      const withCues = (f: Map<string, number>, text: string) => {
        if (tunables.cueWeight > 0) for (const c of cueKeys(plain.surface(text))) f.set(c, tunables.cueWeight);
        return f;
      };
      const examples: TrainingExample[] = questionTerms.map((w, i) => ({ features: withCues(new Map(w), this.questions[i]!.text), label: this.questions[i]!.doc, weight: 1 })).filter((e) => e.features.size > 0);
      if (tunables.contextExampleWeight > 0) {
        docs.forEach((d, di) => {
          for (const lang of ['nl', 'en'] as const) {
            for (const sentence of segments(d.context?.[lang] ?? '')) {
              const f = new Map<string, number>();
              for (const t of docAnalyzer.analyzeQuestion(sentence, lang)) if (t.via !== 'compound') f.set(t.keys[0]!, 1);
              if (f.size >= 2) examples.push({ features: withCues(f, sentence), label: di, weight: tunables.contextExampleWeight });
            }
          }
        });
      }
      // Messages that are not ours (outofscope.yaml) train one more class, "not ours", analysed as
      // a message is; each word under the key a message's word is looked up by (a known key first).
      const notOursExamples = tunables.outOfScopeWeight > 0 ? outOfScopeExamples(options.outOfScope) : [];
      if (notOursExamples.length) {
        const known = new Set(examples.flatMap((e) => [...e.features.keys()]));
        for (const text of notOursExamples) {
          const a = docAnalyzer.analyzeMessage(text);
          const f = new Map<string, number>();
          for (const t of a.terms) {
            const k = t.keys.find((key) => known.has(key)) ?? t.keys[0]!;
            f.set(k, max(f.get(k) ?? 0, t.weight));
          }
          if (tunables.cueWeight > 0) for (const c of cueKeys(a.stopwords)) f.set(c, tunables.cueWeight);
          if (f.size) examples.push({ features: f, label: docs.length, weight: 1 });
        }
        this.notOursLabel = docs.length;
      }
      const labels = docs.length + (this.notOursLabel >= 0 ? 1 : 0);
      this.classifier = new IntentClassifier(examples, labels, { epochs: tunables.classifierEpochs, learningRate: tunables.classifierRate, l2: tunables.classifierL2 });
      this.probs = new Float64Array(labels);
    }
    // How typical a key is of a document: the share of its questions that hold it.
    const typical = new Map<string, { d: number[]; f: number[] }>();
    docKeyCounts.forEach((counts, di) => {
      const n = max(1, this.docQuestions[di]!.length);
      for (const [k, c] of counts) {
        const list = typical.get(k) ?? { d: [], f: [] };
        list.d.push(di);
        list.f.push(c / n);
        typical.set(k, list);
      }
    });
    for (const [k, list] of typical) this.typicalPostings.set(k, { q: Int32Array.from(list.d), w: Float32Array.from(list.f) });
    const nq = this.questions.length;
    const nd = docs.length;
    this.work = {
      stamp: 0,
      qMark: new Int32Array(nq),
      termMark: new Int32Array(nq),
      termBest: new Float64Array(nq),
      accQ: new Float64Array(nq),
      accD: new Float64Array(nq),
      docMark: new Int32Array(nd),
      docTermMark: new Int32Array(nd),
      docHit: new Float64Array(nd),
      docBestF: new Float64Array(nd),
      docBestQ: new Int32Array(nd),
      docTypical: new Float64Array(nd),
      docTypMark: new Int32Array(nd),
      docTypBest: new Float64Array(nd),
      docScore: new Float64Array(nd),
      docLexical: new Float64Array(nd),
      touchedQ: new Int32Array(nq),
      termQ: new Int32Array(nq),
      touchedDocs: new Int32Array(nd),
    };

    for (const [k, v] of idf) this.keys.set(k, { idf: v, questions: postings.get(k) ?? null, context: contextPostings.get(k) ?? null });
    this.trigrams.build();
    this.analyzer = docAnalyzer;
  }

  get size(): { docs: number; questions: number; terms: number } {
    let terms = 0;
    for (const e of this.keys.values()) if (e.questions) terms++;
    return { docs: this.docs.length, questions: this.questions.length, terms };
  }

  detectLanguage(text: string, locale?: string | null): LanguageGuess {
    return detectLanguage(tokenize(normalize(text)), locale, this.languageVocabulary);
  }

  match(text: string, options: { locale?: string | null; exclude?: ReadonlySet<string> } = {}): MatchResult {
    const analysis = this.analyzer.analyzeMessage(text);
    const language = detectLanguage(analysis.tokens, options.locale, this.languageVocabulary);
    const byDoc = new Map<number, Scored>();
    const keep = (list: Scored[]) => {
      for (const s of list) {
        const prev = byDoc.get(s.doc);
        if (!prev || prev.score < s.score) byDoc.set(s.doc, s);
      }
    };
    this.notOursP = 0;
    const whole = this.rank(analysis.terms, options.exclude, true, analysis.stopwords);
    const notOurs = this.notOursP;
    keep(whole);
    // Small words only, or words the index does not know ("wat kun jij nou eigenlijk"): compared
    // with the questions of small words.
    if (!whole.length && this.smallTalk.length) keep(this.rankSmallTalk(analysis.tokens, options.exclude));
    // A long message: its best sentence may carry the question on its own (unless the whole
    // message already leads clearly).
    const clear = (whole[0]?.score ?? 0) >= this.thresholds.answer && (whole[0]?.score ?? 0) - (whole[1]?.score ?? 0) >= this.thresholds.margin;
    if (!clear && analysis.tokens.length > this.tunables.segmentFromTokens) {
      const parts = segments(text);
      if (parts.length > 1) {
        for (const part of parts.slice(0, this.tunables.maxSegments)) {
          const { terms, stopwords } = this.analyzer.analyzeMessage(part);
          if (terms.length >= 2) keep(this.rank(terms, options.exclude, false, stopwords).map((s) => ({ ...s, score: s.score * this.tunables.segmentFactor, lexical: s.lexical * this.tunables.segmentFactor })));
        }
      }
    }
    // Private life without business ("mijn auto", "my son's birthday"): not our question.
    const privateHit = this.privateWords.find(analysis.tokens)[0];
    const privateContext = privateHit && !this.businessWords.find(analysis.tokens).length ? privateHit.value : null;
    const factor = (privateContext ? this.tunables.privatePenalty : 1) * (1 - this.tunables.outOfScopeWeight * notOurs);
    const candidates = [...byDoc.values()]
      .sort((a, b) => b.score - a.score)
      .slice(0, this.tunables.candidates)
      .map((c) => ({
        id: this.docs[c.doc]!.id,
        score: round(min(1, c.score * factor) * 1000) / 1000,
        lexical: round(min(1, c.lexical * factor) * 1000) / 1000,
        question: c.text ?? this.questions[c.q]?.text ?? '',
        matched: c.words ? [...c.words] : this.matchedWords(c.q, c.terms),
      }));
    return this.decide(text, analysis, language, candidates, privateContext, notOurs);
  }

  /**
   * A message of nothing but small words against the questions of nothing but small words: the
   * share of words they have in common (Jaccard), counted from half on. Below one, a little less
   * than the same share would score in the index.
   */
  private rankSmallTalk(tokens: readonly string[], exclude?: ReadonlySet<string>): Scored[] {
    const words = smallTalkWords(tokens);
    if (!words.size) return [];
    const out: Scored[] = [];
    for (const q of this.smallTalk) {
      if (exclude?.has(this.docs[q.doc]!.id)) continue;
      let common = 0;
      for (const w of words) if (q.words.has(w)) common++;
      const jaccard = common / (words.size + q.words.size - common);
      if (jaccard < 0.5) continue;
      const score = jaccard === 1 ? 1 : 0.8 * jaccard;
      out.push({ doc: q.doc, score, lexical: score, q: -1, terms: NO_TERMS, words: new Set(tokens.filter((w) => q.words.has(SMALL_WORD_FORMS.get(w) ?? w))), text: q.text });
    }
    return out.sort((a, b) => b.score - a.score);
  }

  /**
   * @param allQuestions compare the message's trigrams with every question of the best entries
   *   (the whole message), or only with their best question (a sentence of a long message: cheaper)
   * @param smallWords the message's stop words: the index leaves them out, the classifier weighs them
   */
  private rank(terms: readonly Term[], exclude?: ReadonlySet<string>, allQuestions = true, smallWords: readonly string[] = []): Scored[] {
    const tn = this.tunables;
    if (!terms.length) return [];
    const w = this.work;
    // Marks instead of clearing: a question or document counts as touched when its mark is this pass's.
    if (w.stamp > 2 ** 30) {
      w.qMark.fill(0);
      w.termMark.fill(0);
      w.docMark.fill(0);
      w.docTermMark.fill(0);
      w.stamp = 0;
    }
    // This pass's mark, and one mark per term after it; the next pass starts after them all (a
    // mark left from an earlier, longer message must never equal one of this pass's).
    const pass = w.stamp + 1;
    w.stamp = pass + terms.length + 1;
    let qNorm = 0;
    // Each term's keys' index entries (one lookup per key and pass), and the term's idf: its best
    // key's, or an unknown word's.
    const entries: KeyEntry[] = [];
    const entryStart: number[] = [0];
    const idfs: number[] = [];
    for (const t of terms) {
      let best = -1;
      for (const k of t.keys) {
        const e = this.keys.get(k);
        if (!e) continue;
        entries.push(e);
        if (e.idf > best) best = e.idf;
      }
      entryStart.push(entries.length);
      idfs.push(best < 0 ? this.idfUnknown * this.tunables.unknownWordWeight : best);
    }
    for (let ti = 0; ti < terms.length; ti++) qNorm += terms[ti]!.weight * idfs[ti]!;

    // Index pass: per question, how much of the query it covers (accQ) and how much of it is
    // covered (accD); per document, how much of the query its questions (fully) and its
    // context (partly) cover.
    // Typed scratch arrays: a long message touches thousands of questions, and growing arrays for
    // them were most of a pass's garbage.
    const { touchedQ, touchedDocs, termQ } = w;
    let nTouchedQ = 0;
    let nTouchedDocs = 0;
    for (let ti = 0; ti < terms.length; ti++) {
      const t = terms[ti]!;
      const tStamp = pass + ti + 1;
      const tw = t.weight * idfs[ti]!;
      let nTermQ = 0;
      for (let e = entryStart[ti]!; e < entryStart[ti + 1]!; e++) {
        const list = entries[e]!.questions;
        if (!list) continue;
        const kIdf = entries[e]!.idf;
        for (let i = 0; i < list.q.length; i++) {
          const q = list.q[i]!;
          const v = list.w[i]! * kIdf;
          if (w.termMark[q] !== tStamp) {
            w.termMark[q] = tStamp;
            w.termBest[q] = v;
            termQ[nTermQ++] = q;
          } else if (v > w.termBest[q]!) w.termBest[q] = v;
        }
      }
      for (let j = 0; j < nTermQ; j++) {
        const q = termQ[j]!;
        if (w.qMark[q] !== pass) {
          w.qMark[q] = pass;
          w.accQ[q] = 0;
          w.accD[q] = 0;
          touchedQ[nTouchedQ++] = q;
        }
        w.accQ[q]! += tw;
        w.accD[q]! += min(w.termBest[q]!, tw);
        const doc = this.questionDoc[q]!;
        if (w.docTermMark[doc] !== tStamp) {
          w.docTermMark[doc] = tStamp;
          if (w.docMark[doc] !== pass) {
            w.docMark[doc] = pass;
            w.docHit[doc] = 0;
            w.docTypical[doc] = 0;
            touchedDocs[nTouchedDocs++] = doc;
          }
          w.docHit[doc]! += tw;
        }
      }
      for (let e = entryStart[ti]!; e < entryStart[ti + 1]!; e++) {
        const docs = entries[e]!.context;
        if (!docs) continue;
        for (let i = 0; i < docs.length; i++) {
          const doc = docs[i]!;
          if (w.docTermMark[doc] === tStamp) continue; // counted through its questions
          w.docTermMark[doc] = tStamp;
          if (w.docMark[doc] !== pass) {
            w.docMark[doc] = pass;
            w.docHit[doc] = 0;
            w.docTypical[doc] = 0;
            touchedDocs[nTouchedDocs++] = doc;
          }
          w.docHit[doc]! += tn.contextWeight * tw;
        }
      }
      if (tn.typicalWeight > 0) {
        // How typical the word is of each entry whose questions hold it (its best key).
        const typ: number[] = [];
        for (const k of t.keys) {
          const list = this.typicalPostings.get(k);
          if (!list) continue;
          for (let i = 0; i < list.q.length; i++) {
            const doc = list.q[i]!;
            if (w.docTypMark[doc] !== tStamp) {
              w.docTypMark[doc] = tStamp;
              w.docTypBest[doc] = list.w[i]!;
              typ.push(doc);
            } else if (list.w[i]! > w.docTypBest[doc]!) w.docTypBest[doc] = list.w[i]!;
          }
        }
        for (const doc of typ) w.docTypical[doc]! += tw * min(1, w.docTypBest[doc]! * tn.typicalScale);
      }
    }

    // Per document: its best question by F-beta of (query covered, question covered).
    const b2 = tn.beta * tn.beta;
    for (let j = 0; j < nTouchedDocs; j++) {
      w.docBestF[touchedDocs[j]!] = 0;
      w.docBestQ[touchedDocs[j]!] = -1;
    }
    for (let j = 0; j < nTouchedQ; j++) {
      const q = touchedQ[j]!;
      const p = min(1, w.accQ[q]! / qNorm);
      const r = min(1, w.accD[q]! / this.questionNorm[q]!);
      const f = p + r > 0 ? ((1 + b2) * p * r) / (b2 * p + r) : 0;
      const doc = this.questionDoc[q]!;
      if (f > w.docBestF[doc]!) {
        w.docBestF[doc] = f;
        w.docBestQ[doc] = q;
      }
    }

    if (this.classifier && this.probs) {
      const cues = tn.cueWeight > 0 ? cueKeys(smallWords) : [];
      this.classifier.predict(cues.length ? [...terms, ...cues.map((k) => ({ keys: [k], weight: tn.cueWeight }))] : terms, this.probs);
      if (allQuestions && this.notOursLabel >= 0) this.notOursP = this.probs[this.notOursLabel]!;
    }
    // Every touched document's score; objects only for the best few.
    const best: number[] = [];
    for (let j = 0; j < nTouchedDocs; j++) {
      const doc = touchedDocs[j]!;
      if (exclude?.has(this.docs[doc]!.id)) continue;
      const entryCoverage = min(1, w.docHit[doc]! / qNorm);
      const typicalness = tn.typicalWeight > 0 ? min(1, w.docTypical[doc]! / qNorm) : 0;
      const lexical = tn.questionWeight * w.docBestF[doc]! + tn.entryWeight * entryCoverage + tn.typicalWeight * typicalness;
      const p = this.probs ? this.probs[doc]! : 0;
      const score = !this.probs
        ? lexical
        : tn.classifierMode === 'mul'
          ? lexical * (1 - tn.classifierWeight + 2 * tn.classifierWeight * p)
          : tn.classifierMode === 'gated'
            ? lexical + tn.classifierWeight * p * min(1, lexical / tn.classifierGate)
            : lexical + tn.classifierWeight * p;
      w.docScore[doc] = score;
      w.docLexical[doc] = lexical;
      keepBest(best, tn.rescoreTop, doc, w.docScore);
    }

    // Rescore the best few with the character-trigram similarity of their questions (typos, word forms).
    const message = this.trigrams.message(terms.filter((t) => t.via !== 'compound').map((t) => t.word));
    const top: Scored[] = best.map((doc) => {
      const q = w.docBestQ[doc]!;
      return { doc, score: w.docScore[doc]!, lexical: w.docLexical[doc]!, q: q >= 0 ? q : (this.docQuestions[doc]![0] ?? -1), terms };
    });
    const every = allQuestions && message.size <= tn.trigramAllQuestionsMax;
    for (const c of top) {
      // An entry's questions are numbered one after the other.
      const own = this.docQuestions[c.doc]!;
      const tri = every && own.length ? this.trigrams.best(message, own[0]!, own[own.length - 1]! + 1) : c.q >= 0 ? this.trigrams.best(message, c.q, c.q + 1) : 0;
      c.score = (c.score + tn.trigramWeight * tri) / this.scale;
      c.lexical = (c.lexical + tn.trigramWeight * tri) / this.scale;
    }
    return top.sort((a, b) => b.score - a.score);
  }

  /** The message words (of the terms a candidate was ranked on) that its best question holds (for the trace and kb ask). */
  private matchedWords(q: number, terms: readonly Term[]): string[] {
    const keys = this.questionKeys[q];
    return keys ? terms.filter((t) => t.keys.some((k) => keys.has(k))).map((t) => t.word) : [];
  }

  private decide(query: string, analysis: Analysis, language: LanguageGuess, candidates: Candidate[], privateContext: string | null, notOurs: number): MatchResult {
    const th = this.thresholds;
    const best = candidates[0] ?? null;
    const second = candidates[1];
    let decision: Decision = 'fallback';
    let choices: Candidate[] = [];
    if (best && best.score >= th.disambiguate) {
      if (best.score >= th.answer && (!second || best.score - second.score >= th.margin)) {
        decision = 'answer';
      } else {
        decision = 'disambiguate';
        const spread = max(this.tunables.disambiguationSpread, th.margin);
        choices = candidates.filter((c) => best.score - c.score <= spread && c.score >= th.disambiguate).slice(0, this.tunables.maxChoices);
      }
    }
    const nearMiss = decision === 'answer' && (best!.score < th.answer + th.margin || (second !== undefined && best!.score - second.score < 2 * th.margin));
    return { query, language, decision, best: decision === 'fallback' ? null : best, candidates, choices, analysis, privateContext, notOurs: round(notOurs * 1000) / 1000, nearMiss };
  }
}
