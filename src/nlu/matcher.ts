/**
 * The question matcher: an inverted index over every alternate question (BM25-style idf
 * weights), the entries' answers as weaker evidence, a per-question and per-entry coverage score,
 * a character-trigram similarity on the best few, and one combined score in [0, 1]. Long
 * messages are also matched sentence by sentence. Then the decision: answer, disambiguate, fallback.
 */
import type { Bilingual, Lang, SynonymGroup } from '../knowledge/types';
import { Analyzer, isStopword, type Analysis, type AnalyzerVocabulary, type Term } from './analyzer';
import { MATCHER_DEFAULTS, type MatcherTunables } from './defaults';
import { detectLanguage, type LanguageGuess, type LanguageVocabulary } from './language';
import { normalize, tokenize } from './normalize';
import { CANONICAL_PREFIX, SynonymMatcher } from './synonyms';

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
}

interface IndexedQuestion {
  readonly doc: number;
  readonly text: string;
  /** Σ weight × idf over the question's terms. */
  norm: number;
  readonly trigrams: Uint32Array;
}

interface Posting {
  readonly q: number;
  readonly w: number;
}

interface Scored {
  readonly doc: number;
  score: number;
  readonly q: number;
  readonly words: Set<string>;
}

function trigramsOf(words: readonly string[]): Uint32Array {
  const set = new Set<number>();
  for (const w of words) {
    const s = ` ${w} `;
    for (let i = 0; i + 3 <= s.length; i++) {
      set.add((s.charCodeAt(i) * 65599 + s.charCodeAt(i + 1)) * 65599 + s.charCodeAt(i + 2));
    }
  }
  return Uint32Array.from([...set].map((h) => h >>> 0)).sort();
}

function dice(a: Uint32Array, b: Uint32Array): number {
  if (!a.length || !b.length) return 0;
  let i = 0;
  let j = 0;
  let common = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) {
      common++;
      i++;
      j++;
    } else if (a[i]! < b[j]!) i++;
    else j++;
  }
  return (2 * common) / (a.length + b.length);
}

const PLACE_TOKEN = `${CANONICAL_PREFIX}place`;

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
  private readonly postings = new Map<string, Posting[]>();
  /** key → the documents whose context (answer) holds it. */
  private readonly contextPostings = new Map<string, number[]>();
  private readonly idf = new Map<string, number>();
  private readonly idfUnknown: number;
  private readonly languageVocabulary: LanguageVocabulary;
  /** Per document, its question indexes. */
  private readonly docQuestions: number[][];
  private readonly tunables: MatcherTunables;

  constructor(
    docs: readonly MatchDoc[],
    synonymGroups: readonly SynonymGroup[],
    private readonly thresholds: Thresholds,
    options: { tunables?: MatcherTunables; placeNames?: readonly string[] } = {},
  ) {
    this.docs = docs;
    this.tunables = options.tunables ?? MATCHER_DEFAULTS;
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
    const contextKeys: Set<string>[] = docs.map(() => new Set());
    this.docQuestions = docs.map(() => []);
    docs.forEach((d, di) => {
      for (const lang of ['nl', 'en'] as const) {
        for (const text of d.questions[lang]) {
          const terms = docAnalyzer.analyzeQuestion(text, lang).filter((t) => !(d.names && t.keys[0] === PLACE_TOKEN));
          if (!terms.length) continue;
          const weights = new Map<string, number>();
          for (const t of terms) {
            const k = t.keys[0]!;
            weights.set(k, Math.max(weights.get(k) ?? 0, t.weight));
            docKeys[di]!.add(k);
          }
          this.docQuestions[di]!.push(this.questions.length);
          questionTerms.push(weights);
          this.questions.push({ doc: di, text, norm: 0, trigrams: trigramsOf(plain.surface(text)) });
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
    for (const [k, f] of df) this.idf.set(k, Math.log(1 + (n - f + 0.5) / (f + 0.5)));
    this.idfUnknown = Math.log(1 + (n - 1 + 0.5) / 1.5);

    // A name that says nothing of its own once places are left out ("EDIH Zuid-Holland",
    // "fieldlab Helmond": only general concepts) would catch every general question about them.
    const generic = (k: string) => k.startsWith(CANONICAL_PREFIX);
    questionTerms.forEach((weights, qi) => {
      const q = this.questions[qi]!;
      if (docs[q.doc]!.names && [...weights.keys()].every(generic)) {
        weights.clear();
        return;
      }
      let norm = 0;
      for (const [k, w] of weights) {
        norm += w * this.idf.get(k)!;
        const list = this.postings.get(k);
        if (list) list.push({ q: qi, w });
        else this.postings.set(k, [{ q: qi, w }]);
      }
      this.questions[qi]!.norm = norm;
    });
    contextKeys.forEach((keys, di) => {
      for (const k of keys) {
        const list = this.contextPostings.get(k);
        if (list) list.push(di);
        else this.contextPostings.set(k, [di]);
      }
    });

    this.analyzer = docAnalyzer;
  }

  get size(): { docs: number; questions: number; terms: number } {
    return { docs: this.docs.length, questions: this.questions.length, terms: this.postings.size };
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
    keep(this.rank(analysis.terms, options.exclude));
    // A long message: its best sentence may carry the question on its own.
    if (analysis.tokens.length > this.tunables.segmentFromTokens) {
      const parts = segments(text);
      if (parts.length > 1) {
        for (const part of parts.slice(0, this.tunables.maxSegments)) {
          const terms = this.analyzer.analyzeMessage(part).terms;
          if (terms.length >= 2) keep(this.rank(terms, options.exclude).map((s) => ({ ...s, score: s.score * this.tunables.segmentFactor })));
        }
      }
    }
    const candidates = [...byDoc.values()]
      .sort((a, b) => b.score - a.score)
      .slice(0, this.tunables.candidates)
      .map((c) => ({
        id: this.docs[c.doc]!.id,
        score: Math.round(Math.min(1, c.score) * 1000) / 1000,
        question: this.questions[c.q]?.text ?? '',
        matched: [...c.words],
      }));
    return this.decide(text, analysis, language, candidates);
  }

  private termIdf(t: Term): number {
    let best = -1;
    for (const k of t.keys) {
      const v = this.idf.get(k);
      if (v !== undefined && v > best) best = v;
    }
    return best < 0 ? this.idfUnknown : best;
  }

  private rank(terms: readonly Term[], exclude?: ReadonlySet<string>): Scored[] {
    const tn = this.tunables;
    if (!terms.length) return [];
    let qNorm = 0;
    for (const t of terms) qNorm += t.weight * this.termIdf(t);

    // Index pass: per question, how much of the query it covers and how much of it is covered;
    // per document, how much of the query its questions (fully) and its context (partly) cover.
    const qHit = new Map<number, { q: number; d: number; words: Set<string> }>();
    const docHit = new Map<number, number>();
    for (const t of terms) {
      const tIdf = this.termIdf(t);
      const best = new Map<number, number>(); // question → best doc-side weight × idf for this term
      for (const k of t.keys) {
        const list = this.postings.get(k);
        if (!list) continue;
        const kIdf = this.idf.get(k)!;
        for (const p of list) {
          const v = p.w * kIdf;
          if ((best.get(p.q) ?? -1) < v) best.set(p.q, v);
        }
      }
      const docsByQuestion = new Set<number>();
      for (const [q, dv] of best) {
        const h = qHit.get(q) ?? { q: 0, d: 0, words: new Set<string>() };
        h.q += t.weight * tIdf;
        h.d += Math.min(dv, t.weight * tIdf);
        h.words.add(t.word);
        qHit.set(q, h);
        docsByQuestion.add(this.questions[q]!.doc);
      }
      for (const doc of docsByQuestion) docHit.set(doc, (docHit.get(doc) ?? 0) + t.weight * tIdf);
      const inContext = new Set<number>();
      for (const k of t.keys) for (const doc of this.contextPostings.get(k) ?? []) if (!docsByQuestion.has(doc)) inContext.add(doc);
      for (const doc of inContext) docHit.set(doc, (docHit.get(doc) ?? 0) + tn.contextWeight * t.weight * tIdf);
    }

    // Per document: its best question by F-beta of (query covered, question covered).
    const b2 = tn.beta * tn.beta;
    const perDoc = new Map<number, { f: number; q: number; words: Set<string> }>();
    for (const [qi, h] of qHit) {
      const question = this.questions[qi]!;
      const p = Math.min(1, h.q / qNorm);
      const r = Math.min(1, h.d / question.norm);
      const f = p + r > 0 ? ((1 + b2) * p * r) / (b2 * p + r) : 0;
      const prev = perDoc.get(question.doc);
      if (!prev || prev.f < f) perDoc.set(question.doc, { f, q: qi, words: h.words });
    }

    const prelim: Scored[] = [];
    for (const [doc, hit] of docHit) {
      if (exclude?.has(this.docs[doc]!.id)) continue;
      const v = perDoc.get(doc);
      const entryCoverage = Math.min(1, hit / qNorm);
      prelim.push({ doc, score: tn.questionWeight * (v?.f ?? 0) + tn.entryWeight * entryCoverage, q: v?.q ?? this.docQuestions[doc]![0] ?? -1, words: v?.words ?? new Set() });
    }
    prelim.sort((a, b) => b.score - a.score);

    // Rescore the best few with whole-question character-trigram similarity (typos, word forms).
    const queryTrigrams = trigramsOf(terms.filter((t) => t.via !== 'compound').map((t) => t.word));
    const top = prelim.slice(0, tn.rescoreTop);
    for (const c of top) {
      let tri = 0;
      for (const qi of this.docQuestions[c.doc]!) tri = Math.max(tri, dice(queryTrigrams, this.questions[qi]!.trigrams));
      c.score = Math.min(1, c.score + tn.trigramWeight * tri);
    }
    return top;
  }

  private decide(query: string, analysis: Analysis, language: LanguageGuess, candidates: Candidate[]): MatchResult {
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
        const spread = Math.max(this.tunables.disambiguationSpread, th.margin);
        choices = candidates.filter((c) => best.score - c.score <= spread && c.score >= th.disambiguate).slice(0, this.tunables.maxChoices);
      }
    }
    return { query, language, decision, best: decision === 'fallback' ? null : best, candidates, choices, analysis };
  }
}
