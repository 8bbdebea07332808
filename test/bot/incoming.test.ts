/**
 * A message with nothing visible in it is an empty message. The fuzz test found that one made of
 * zero-width spaces, direction marks or control characters got the fallback ("I can't answer
 * that one well") and was kept as an unanswered question for the editors.
 */
import { visibleOrEmpty } from '../../src/bot/incoming';
import { dialogHarness } from '../support/dialogHarness';

describe('visibleOrEmpty', () => {
  it.each([
    ['zero-width spaces and joiners', '\u200b\u200c\u200d'],
    ['direction marks and isolates', '\u200e\u200f\u202a\u202e\u2066\u2069'],
    ['a BOM, a word joiner and a soft hyphen', '\ufeff\u2060\u00ad'],
    ['control characters', '\u0000\u0007\u001b\u007f'],
    ['spaces of every kind', ' \u00a0\u2003\u3000\n\t'],
  ])('makes a text of only %s empty', (_label, text) => {
    expect(visibleOrEmpty(text)).toBe('');
  });

  it.each([['a word', 'cobot'], ['an emoji', '👍'], ['a zero-width space inside a word', 'co\u200bbot'], ['Arabic with a direction mark', '\u200fمرحبا']])('keeps %s as written', (_label, text) => {
    expect(visibleOrEmpty(text)).toBe(text);
  });
});

describe('a message with nothing visible', () => {
  it('gets the "no question" reply, and is not kept as an unanswered question', async () => {
    const h = dialogHarness();
    const [reply] = await h.send({ type: 'message', text: '\u200b\u200f\u2060', locale: 'en-US' });
    expect(reply!.text).toMatch(/I don't see a question/);
    expect(h.insights.questions).toEqual([]);
  });
});
