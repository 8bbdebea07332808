/**
 * Test questions that are nearly a knowledge question (the same words with one changed, added or
 * moved): the matcher has then all but seen the test, and the figures flatter it. Exact copies are
 * refused when the test set loads (src/knowledge/testSet.ts); this finds the near ones by
 * character-trigram similarity (Dice) of the normalized words, and of the content words alone (so
 * "what does RVO actually do" is not "what does an MES actually do"): the lower of the two counts.
 * Short questions (keyword queries such as "cobot kosten") are left out: they overlap with some
 * question by nature.
 */
import { isStopword } from '../nlu/analyzer';
import { normalize, tokenize } from '../nlu/normalize';
import { TrigramIndex, trigramsOf } from '../nlu/trigrams';
import type { LabelledQuestion } from '../knowledge/testSet';

export interface NearCopy {
  readonly test: LabelledQuestion;
  readonly question: string;
  readonly similarity: number;
}

export const NEAR_COPY = { similarity: 0.8, minWords: 4 } as const;

export function nearCopies(tests: readonly LabelledQuestion[], questions: readonly string[], options: { similarity: number; minWords: number } = NEAR_COPY): NearCopy[] {
  const words = (text: string) => tokenize(normalize(text));
  const content = (w: readonly string[]) => w.filter((x) => !isStopword(x));
  const dice = (a: readonly string[], b: readonly string[]) => {
    const x = new Set(trigramsOf(a));
    const y = trigramsOf(b);
    let common = 0;
    for (const t of y) if (x.has(t)) common++;
    return x.size + y.length ? (2 * common) / (x.size + y.length) : 0;
  };
  const long = questions.map((text) => ({ text, words: words(text) })).filter((q) => q.words.length >= options.minWords);
  const index = new TrigramIndex();
  for (const q of long) index.add(q.words);
  index.build();
  const out: NearCopy[] = [];
  for (const test of tests) {
    const w = words(test.q);
    if (w.length < options.minWords) continue;
    const best = index.closest(index.message(w));
    if (!best || best.dice < options.similarity) continue;
    const question = long[best.q]!;
    const similarity = Math.min(best.dice, dice(content(w), content(question.words)));
    if (similarity >= options.similarity) out.push({ test, question: question.text, similarity: Math.round(similarity * 100) / 100 });
  }
  return out.sort((a, b) => b.similarity - a.similarity);
}
