/**
 * Synthetic knowledge bases of any size, built from the real vocabulary, for the matcher's growth
 * curve. Each synthetic entry takes a real Q&A entry (or task) as its model, in turn; each of its
 * questions is one of the model's real questions (alternately Dutch and English) in which every
 * content word (not a stop word, 3+ letters, no digits) is swapped, with probability `swap`, for a
 * word drawn from the real questions of the same language — drawn by occurrence, so common words
 * stay common (the word frequencies of the real knowledge, a Zipf-like curve). Stop words and word
 * order stay, so the questions read like questions. With `context`, the entry also gets its
 * model's answer with the same swapping (the matcher indexes answers as weaker evidence).
 * Deterministic: the same seed gives the same knowledge base.
 */
import type { Bilingual, Lang } from '../src/knowledge/types';
import type { MatchDoc } from '../src/nlu/matcher';
import { isStopword } from '../src/nlu/analyzer';
import { normalize, tokenize } from '../src/nlu/normalize';

const LANGS: readonly Lang[] = ['nl', 'en'];

export function isContentWord(word: string): boolean {
  return word.length >= 3 && !/\d/.test(word) && !isStopword(word);
}

export interface RealVocabulary {
  /** Every occurrence of a content word in the real questions, per language (repeats kept: sampling by frequency). */
  readonly occurrences: Readonly<Record<Lang, readonly string[]>>;
  /** The distinct content words per language. */
  readonly words: Readonly<Record<Lang, ReadonlySet<string>>>;
}

export function realVocabulary(docs: readonly MatchDoc[]): RealVocabulary {
  const occurrences: Record<Lang, string[]> = { nl: [], en: [] };
  for (const d of docs) {
    for (const lang of LANGS) for (const q of d.questions[lang]) for (const w of tokenize(normalize(q))) if (isContentWord(w)) occurrences[lang].push(w);
  }
  return { occurrences, words: { nl: new Set(occurrences.nl), en: new Set(occurrences.en) } };
}

/** A small seeded generator (LCG): repeatable, and fast enough for 100k questions. */
export function seededRandom(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

export interface SyntheticOptions {
  /** Questions per synthetic entry (half Dutch, half English). Default 10. */
  readonly perEntry?: number;
  /** Chance that a content word is swapped. Default 0.5. */
  readonly swap?: number;
  /** Give every entry its model's answer, swapped the same way, as context. Default false. */
  readonly context?: boolean;
  readonly seed?: number;
}

/** Q&A entries and tasks: the documents whose "questions" are questions (records have names). */
export function questionModels(docs: readonly MatchDoc[]): MatchDoc[] {
  return docs.filter((d) => !d.names && (d.questions.nl.length > 0 || d.questions.en.length > 0));
}

/**
 * A knowledge base of exactly `questions` questions in ⌈questions / perEntry⌉ entries,
 * modelled on `real` (see the file comment).
 */
export function syntheticDocs(real: readonly MatchDoc[], questions: number, options: SyntheticOptions = {}): MatchDoc[] {
  const perEntry = Math.max(1, Math.floor(options.perEntry ?? 10));
  const swapChance = options.swap ?? 0.5;
  const random = seededRandom(options.seed ?? 20261129);
  const models = questionModels(real);
  if (!models.length) throw new Error('the real knowledge has no questions to model synthetic ones on');
  const vocab = realVocabulary(real);
  const draw = (lang: Lang): string => {
    const pool = vocab.occurrences[lang].length ? vocab.occurrences[lang] : vocab.occurrences[lang === 'nl' ? 'en' : 'nl'];
    return pool[Math.floor(random() * pool.length)]!;
  };
  const swapText = (text: string, lang: Lang): string =>
    tokenize(normalize(text))
      .map((w) => (isContentWord(w) && random() < swapChance ? draw(lang) : w))
      .join(' ');

  const out: MatchDoc[] = [];
  let made = 0;
  for (let e = 0; made < questions; e++) {
    const model = models[e % models.length]!;
    const qs: Record<Lang, string[]> = { nl: [], en: [] };
    const seen = new Set<string>();
    const n = Math.min(perEntry, questions - made);
    for (let k = 0; k < n; k++) {
      let lang: Lang = k % 2 === 0 ? 'nl' : 'en';
      if (!model.questions[lang].length) lang = lang === 'nl' ? 'en' : 'nl';
      const pool = model.questions[lang];
      let q = '';
      // A few tries for a question this entry does not have yet; the last try is kept anyway.
      for (let attempt = 0; attempt < 6; attempt++) {
        q = swapText(pool[Math.floor(random() * pool.length)]!, lang);
        if (q && !seen.has(q)) break;
      }
      if (!q) q = draw(lang);
      seen.add(q);
      qs[lang].push(q);
    }
    made += n;
    const doc: { id: string; questions: Bilingual<readonly string[]>; context?: Bilingual } = { id: `synthetic-${e + 1}`, questions: qs };
    if (options.context && model.context) doc.context = { nl: swapText(model.context.nl, 'nl'), en: swapText(model.context.en, 'en') };
    out.push(doc);
  }
  return out;
}

export function questionCount(docs: readonly MatchDoc[]): number {
  let n = 0;
  for (const d of docs) n += d.questions.nl.length + d.questions.en.length;
  return n;
}
