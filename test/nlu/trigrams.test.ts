import { TrigramIndex, trigramsOf } from '../../src/nlu/trigrams';

/** Dice of two trigram sets, the slow way. */
function dice(a: readonly string[], b: readonly string[]): number {
  const x = new Set(trigramsOf(a));
  const y = new Set(trigramsOf(b));
  if (!x.size || !y.size) return 0;
  let common = 0;
  for (const t of x) if (y.has(t)) common++;
  return (2 * common) / (x.size + y.size);
}

const QUESTIONS = [
  'wat kost een cobot',
  'cobot prijs',
  'hoe begin ik met voorspellend onderhoud',
  'predictive maintenance starten',
  'wat is een digital twin',
  'digitale tweeling voor onze productielijn',
  'welke sensoren voor trillingen',
  'oude machines aansluiten op het netwerk',
].map((q) => q.split(' '));

describe('TrigramIndex', () => {
  const index = new TrigramIndex();
  for (const q of QUESTIONS) index.add(q);
  index.build();

  it.each([
    ['a typo', 'wat kots een cobbot'],
    ['another word form', 'voorspellende onderhoudsplanning'],
    ['a long message', 'wij hebben twintig oude machines en willen trillingen meten met sensoren op het netwerk '.repeat(3)],
    ['words no question holds', 'xylofoon quasar'],
    ['nothing', ''],
  ])('gives the best Dice value over any range of questions for %s', (_label, text) => {
    const words = text.split(' ').filter(Boolean);
    const message = index.message(words);
    for (let from = 0; from < QUESTIONS.length; from++) {
      for (let to = from; to <= QUESTIONS.length; to++) {
        const expected = Math.max(0, ...QUESTIONS.slice(from, to).map((q) => dice(words, q)));
        expect(index.best(message, from, to)).toBeCloseTo(expected, 12);
      }
    }
  });

  it('counts each trigram once, however often a word repeats', () => {
    expect(trigramsOf(['robot', 'robot'])).toEqual(trigramsOf(['robot']));
  });
});
