/**
 * The question matcher: an inverted index over every alternate question (BM25-style idf
 * weights), a per-question and per-entry coverage score, a character-trigram similarity on the
 * best few, and one combined score in [0, 1]. Then the decision: answer, disambiguate, fallback.
 */
import type { Bilingual, Lang } from '../knowledge/types';
import { Analyzer, type Analysis, type Term } from './analyzer';
import { MATCHER_DEFAULTS, type MatcherTunables } from './defaults';
import { detectLanguage, type LanguageGuess, type LanguageVocabulary } from './language';
import { normalize, tokenize } from './normalize';
import { SynonymMatcher } from './synonyms';
import type { SynonymGroup } from '../knowledge/types';

/** Something the matcher can reach: a Q&A entry, a task, a record. */
export interface MatchDoc {
  readonly id: string;
  readonly questions: Bilingual<readonly string[]>;
  /** Extra text that only feeds the vocabulary (answers): compound parts, language words. */
  readonly context?: Bilingual;
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
  readonly lang: Lang;
  readonly text: string;
  /** Σ weight × idf over the question's terms. */
  readonly norm: number;
  readonly trigrams: Uint32Array;
}

interface Posting {
  readonly q: number;
  readonly w: number;
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

export class Matcher {
  readonly analyzer: Analyzer;
  private readonly docs: readonly MatchDoc[];
  private readonly questions: IndexedQuestion[] = [];
  private readonly postings = new Map<string, Posting[]>();
  private readonly idf = new Map<string, number>();
  private readonly idfUnknown: number;
  private readonly languageVocabulary: LanguageVocabulary;
  /** Per document, its question indexes. */
  private readonly docQuestions: number[][];

  constructor(
    docs: readonly MatchDoc[],
    synonymGroups: readonly SynonymGroup[],
    private readonly thresholds: Thresholds,
    private readonly tunables: MatcherTunables = MATCHER_DEFAULTS,
  ) {
    this.docs = docs;
    const synonyms = new SynonymMatcher(synonymGroups);
    const plain = new Analyzer(synonyms, null, tunables);

    // 1. Vocabulary: every word of the knowledge (for compounds and language), question words (typos).
    const words = new Set<string>();
    const questionWords = new Map<string, number>();
    const langWords: Record<Lang, Set<string>> = { nl: new Set(), en: new Set() };
    for (const d of docs) {
      for (const lang of ['nl', 'en'] as const) {
        for (const q of d.questions[lang]) {
          for (const w of plain.surface(q)) {
            words.add(w);
            langWords[lang].add(w);
            questionWords.set(w, (questionWords.get(w) ?? 0) + 1);
          }
        }
        const ctx = d.context?.[lang];
        if (ctx) for (const w of tokenize(normalize(ctx))) {
          words.add(w);
          langWords[lang].add(w);
        }
      }
    }
    this.languageVocabulary = {
      only: {
        nl: new Set([...langWords.nl].filter((w) => !langWords.en.has(w))),
        en: new Set([...langWords.en].filter((w) => !langWords.nl.has(w))),
      },
    };

    // 2. Index every question with its terms.
    const docVocabularyAnalyzer = new Analyzer(synonyms, { words, questionWords, keys: new Set() }, tunables);
    const questionTerms: Map<string, number>[] = [];
    const docKeys: Set<string>[] = docs.map(() => new Set());
    this.docQuestions = docs.map(() => []);
    docs.forEach((d, di) => {
      for (const lang of ['nl', 'en'] as const) {
        for (const text of d.questions[lang]) {
          const terms = docVocabularyAnalyzer.analyzeQuestion(text, lang);
          if (!terms.length) continue;
          const weights = new Map<string, number>();
          for (const t of terms) {
            const k = t.keys[0]!;
            weights.set(k, Math.max(weights.get(k) ?? 0, t.weight));
            docKeys[di]!.add(k);
          }
          this.docQuestions[di]!.push(this.questions.length);
          questionTerms.push(weights);
          this.questions.push({ doc: di, lang, text, norm: 0, trigrams: trigramsOf(plain.surface(text)) });
        }
      }
    });

    // 3. idf per key over documents (an entry's alternates do not make its own words common).
    const n = docs.length;
    const df = new Map<string, number>();
    for (const keys of docKeys) for (const k of keys) df.set(k, (df.get(k) ?? 0) + 1);
    for (const [k, f] of df) this.idf.set(k, Math.log(1 + (n - f + 0.5) / (f + 0.5)));
    this.idfUnknown = Math.log(1 + (n - 1 + 0.5) / 1.5);

    questionTerms.forEach((weights, qi) => {
      let norm = 0;
      for (const [k, w] of weights) {
        norm += w * this.idf.get(k)!;
        const list = this.postings.get(k);
        if (list) list.push({ q: qi, w });
        else this.postings.set(k, [{ q: qi, w }]);
      }
      (this.questions[qi] as { norm: number }).norm = norm;
    });

    this.analyzer = new Analyzer(synonyms, { words, questionWords, keys: new Set(this.postings.keys()) }, tunables);
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
    const candidates = this.rank(analysis.terms, options.exclude);
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

  private rank(terms: readonly Term[], exclude?: ReadonlySet<string>): Candidate[] {
    const tn = this.tunables;
    if (!terms.length) return [];
    let qNorm = 0;
    for (const t of terms) qNorm += t.weight * this.termIdf(t);

    // Index pass: per question, how much of the query it covers and how much of it is covered.
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
      const docsSeen = new Set<number>();
      for (const [q, dv] of best) {
        const h = qHit.get(q) ?? { q: 0, d: 0, words: new Set<string>() };
        h.q += t.weight * tIdf;
        h.d += Math.min(dv, t.weight * tIdf);
        h.words.add(t.word);
        qHit.set(q, h);
        const doc = this.questions[q]!.doc;
        if (!docsSeen.has(doc)) {
          docsSeen.add(doc);
          docHit.set(doc, (docHit.get(doc) ?? 0) + t.weight * tIdf);
        }
      }
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

    const prelim: { doc: number; score: number; q: number; words: Set<string> }[] = [];
    for (const [doc, v] of perDoc) {
      if (exclude?.has(this.docs[doc]!.id)) continue;
      const entryCoverage = Math.min(1, (docHit.get(doc) ?? 0) / qNorm);
      prelim.push({ doc, score: tn.questionWeight * v.f + tn.entryWeight * entryCoverage, q: v.q, words: v.words });
    }
    prelim.sort((a, b) => b.score - a.score);

    // Rescore the best few with whole-question character-trigram similarity (typos, word forms).
    const queryTrigrams = trigramsOf(terms.filter((t) => t.via !== 'compound').map((t) => t.word));
    const top = prelim.slice(0, tn.rescoreTop).map((c) => {
      let tri = 0;
      for (const qi of this.docQuestions[c.doc]!) tri = Math.max(tri, dice(queryTrigrams, this.questions[qi]!.trigrams));
      return { ...c, score: Math.min(1, c.score + tn.trigramWeight * tri) };
    });
    top.sort((a, b) => b.score - a.score);
    return top.slice(0, tn.candidates).map((c) => ({
      id: this.docs[c.doc]!.id,
      score: Math.round(c.score * 1000) / 1000,
      question: this.questions[c.q]!.text,
      matched: [...c.words],
    }));
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
        choices = candidates
          .filter((c) => best.score - c.score <= spread && c.score >= th.disambiguate)
          .slice(0, this.tunables.maxChoices);
      }
    }
    return { query, language, decision, best: decision === 'fallback' ? null : best, candidates, choices, analysis };
  }
}
