/**
 * nearCopies: a test question that is a knowledge question with a word or two changed is found;
 * another question in the same frame, and short keyword queries, are not.
 */
import { nearCopies } from '../../src/eval/nearCopies';
import type { LabelledQuestion } from '../../src/knowledge/testSet';

const test = (q: string): LabelledQuestion => ({ q, expect: 'x', lang: 'nl', kind: 'paraphrase', file: 'tests.yaml', line: 1 });

describe('nearCopies', () => {
  const knowledge = ['praat ik met een mens of een computer', 'what does an MES actually do', 'cobot kosten', 'hoe begin ik met voorspellend onderhoud'];

  it('finds a test question that is a knowledge question with small words added or changed', () => {
    const found = nearCopies([test('praat ik nu met een mens of met een computer')], knowledge);
    expect(found).toEqual([expect.objectContaining({ question: 'praat ik met een mens of een computer' })]);
    expect(found[0]!.similarity).toBeGreaterThanOrEqual(0.9);
  });

  it('does not flag the same frame around another subject, a different question, or a short keyword query', () => {
    expect(nearCopies([test('what does RVO actually do'), test('wat kost een robot die naast mensen werkt'), test('cobot kosten')], knowledge)).toEqual([]);
  });
});
