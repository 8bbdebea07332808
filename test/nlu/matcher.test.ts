import { loadKnowledge } from '../../src/knowledge/loader';
import { prepareKnowledge } from '../../src/nlu/knowledgeIndex';
import { Matcher } from '../../src/nlu/matcher';
import { MATCHER_DEFAULTS, type MatcherTunables } from '../../src/nlu/defaults';
import { KNOWLEDGE, testConfig } from '../support/testConfig';
import { MATCH_CASES, NONSENSE } from './matcher.cases';

const config = testConfig();
const data = loadKnowledge(KNOWLEDGE).data!;
const thresholds = { answer: config.answerThreshold, margin: config.answerMargin, disambiguate: config.disambiguateThreshold };
const { matcher, docs, entities } = prepareKnowledge(data, thresholds);

describe('matcher', () => {
  it.each(MATCH_CASES)('"%s" → %s (%s)', (question, id, lang) => {
    const r = matcher.match(question);
    expect(r.best?.id).toBe(id);
    expect(r.decision).toBe('answer');
    expect(r.language.lang).toBe(lang);
    expect(r.best!.score).toBeGreaterThan(0);
    expect(r.best!.score).toBeLessThanOrEqual(1);
  });

  it.each(NONSENSE)('falls back on "%s"', (text) => {
    expect(matcher.match(text).decision).toBe('fallback');
  });

  it('returns candidates best first, each with a score in [0, 1]', () => {
    const r = matcher.match('hoe begin ik met voorspellend onderhoud');
    expect(r.candidates.length).toBeGreaterThan(1);
    const scores = r.candidates.map((c) => c.score);
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);
    for (const s of scores) expect(s >= 0 && s <= 1).toBe(true);
  });

  it.each([
    ['empty', ''],
    ['whitespace', '   \n\t  '],
    ['100 KB', 'x'.repeat(100_000)],
    ['punctuation', '?!.,;:'.repeat(50)],
    ['emoji', '😀🤖🔧'.repeat(200)],
    ['control characters', '\u0000\u0007\u001b[31mred\u202e\u200b'],
    ['right-to-left', 'مرحبا كيف حالك שלום'],
    ['one 5,000-character word', 'a'.repeat(5000)],
    ['a repeated word', 'robot '.repeat(20_000)],
  ])('returns a decision for %s input without throwing', (_label, text) => {
    const r = matcher.match(text);
    expect(['answer', 'disambiguate', 'fallback']).toContain(r.decision);
    expect(['nl', 'en']).toContain(r.language.lang);
  });

  it('matches a message of small words on other forms of the same words', () => {
    // "kun jij … me … doen" against "wat doe jij": jij/je, kun/kan, doe/doen, me/mij are one word here.
    const r = matcher.match('wat kun jij voor me doen');
    expect(r.analysis.terms).toHaveLength(0);
    expect(r.best?.id).toBe('bot-capabilities');
  });

  it('lets words the knowledge does not know count against a match, more than known words', () => {
    const options = { placeNames: entities.placeNames, outOfScope: data.outOfScope };
    const tunables: MatcherTunables = { ...MATCHER_DEFAULTS, unknownWordWeight: 1 };
    const even = new Matcher(docs, data.synonyms, thresholds, { ...options, tunables });
    const question = 'wat kost een cobot';
    const unknown = 'wat kost een cobot in xyloband';
    expect(matcher.match(unknown).candidates[0]!.score).toBeLessThan(even.match(unknown).candidates[0]!.score);
    expect(matcher.match(question).candidates[0]!.score).toBe(even.match(question).candidates[0]!.score);
  });

  it('gives the same result for a message whatever was matched before it', () => {
    // Ranking reuses scratch arrays with per-pass marks: a long message's marks must not leak
    // into the next, shorter one (its sentences are ranked right after it).
    const short = ['hoe krijg ik de ploeg achter het plan', 'wat kost een cobot', 'sensoren op een oude pers'];
    const long =
      'Wij zijn een metaalbedrijf met veertig man en een machinepark van twintig jaar oud. We willen data verzamelen, ' +
      'onderhoud beter plannen, misschien een robot kopen en de mensen op de vloer meenemen in de veranderingen.';
    const fresh = short.map((q) => matcher.match(q).candidates);
    for (const [i, q] of short.entries()) {
      matcher.match(long);
      expect(matcher.match(q).candidates).toEqual(fresh[i]);
    }
  });

  it('tells two entries on one topic apart by the small words of the question ("wat is" or "hoe")', () => {
    // The index leaves small words out, so on their own words these entries are alike; the
    // classifier learns from their questions that "wat … is" asks what it is and "hoe" how to go about it.
    const twin = [
      { id: 'twin-what', questions: { nl: ['wat is een digitale tweeling', 'wat is dat, een digitale tweeling', 'wat is het idee van een digitale tweeling'], en: ['what is a digital twin'] } },
      { id: 'twin-how', questions: { nl: ['hoe doe ik dat, een digitale tweeling', 'hoe kom ik aan een digitale tweeling', 'hoe doen we dat met een digitale tweeling'], en: ['how do I get a digital twin'] } },
      { id: 'robot-cost', questions: { nl: ['wat kost een robot', 'hoe programmeer je een robot'], en: ['what does a robot cost'] } },
    ];
    const first = (m: Matcher, q: string) => m.match(q).candidates[0]!.id;
    const cues = new Matcher(twin, [], thresholds);
    expect(first(cues, "hoe zit het met zo'n digitale tweeling")).toBe('twin-how');
    expect(first(cues, "wat is zo'n digitale tweeling eigenlijk")).toBe('twin-what');
    const without = new Matcher(twin, [], thresholds, { tunables: { ...MATCHER_DEFAULTS, cueWeight: 0 } });
    expect(first(without, "hoe zit het met zo'n digitale tweeling")).toBe(first(without, "wat is zo'n digitale tweeling eigenlijk"));
  });

  it('learns from the out-of-scope examples what is not ours, and lowers the scores of a message like them', () => {
    const docs = [
      { id: 'cloud-choice', questions: { nl: ['cloud of eigen server voor onze productiesoftware', 'moeten onze machinedata naar de cloud', 'ons mes in de cloud draaien'], en: ['cloud or on-premise for our production software'] } },
      { id: 'cobot-cost', questions: { nl: ['wat kost een cobot', 'prijs van een cobot voor onze fabriek'], en: ['what does a cobot cost'] } },
    ];
    const words = { private: { nl: [], en: [] }, business: { nl: [], en: [] } };
    const examples = {
      nl: ['onze tandartspraktijk wil de patiëntdossiers in de cloud', 'mijn foto’s in de cloud bewaren', 'de agenda van mijn kapsalon in de cloud', 'mijn fysiotherapiepraktijk en de cloud'],
      en: ['our dental practice wants patient files in the cloud', 'my holiday photos in the cloud'],
    };
    const message = 'kan onze tandartspraktijk de agenda naar de cloud brengen';
    const learned = new Matcher(docs, [], thresholds, { outOfScope: { ...words, examples } });
    const plain = new Matcher(docs, [], thresholds, { outOfScope: words });
    const withExamples = learned.match(message);
    const without = plain.match(message);
    expect(without.notOurs).toBe(0);
    expect(withExamples.notOurs).toBeGreaterThan(0.5);
    expect(withExamples.candidates[0]!.score).toBeCloseTo(without.candidates[0]!.score * (1 - withExamples.notOurs), 1);
    // A question of ours keeps its score.
    const ours = learned.match('moet onze productiesoftware naar de cloud');
    expect(ours.notOurs).toBeLessThan(0.2);
    expect(ours.candidates[0]!.id).toBe('cloud-choice');
  });

  it('reads a mistyped small word as the small word, not as an unknown word', () => {
    const a = matcher.analyzer.analyzeMessage('wat is eigelijk een cobot');
    expect(a.corrections).toEqual([{ from: 'eigelijk', to: 'eigenlijk' }]);
    expect(a.terms.map((t) => t.word)).not.toContain('eigelijk');
  });
});
