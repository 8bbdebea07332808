/**
 * A card button's value comes back from the client, so anyone can send any value. The fuzz test
 * found the theme and the need of an "open" button shown back in the reply unchecked ("Voor
 * [object Object] ken ik geen fieldlab", or a markdown link to javascript: of the sender's
 * choosing), and feedback on any id at all was kept for the editors' report.
 */
import { dialogHarness, shippedSnapshot } from '../support/dialogHarness';

const texts = (replies: Array<{ text?: string }>) => replies.map((r) => r.text ?? '').join('\n');

describe('button values from the client', () => {
  it.each([
    ['a markdown link', '[klik](javascript:window.__pwned=1)'],
    ['HTML', '<img src=x onerror=alert(1)>'],
    ['an object', { x: 1 }],
    ['a list', ['ai']],
  ])('ignore a theme that is %s: the fieldlab finder asks for the theme instead', async (_label, theme) => {
    const h = dialogHarness();
    const replies = await h.send({ type: 'message', value: { sia: 'open', id: 'find-fieldlab', lang: 'nl', theme } });
    const said = texts(replies);
    expect(said).not.toMatch(/javascript:|\[object Object\]|onerror|klik|\bai\b/);
    expect(said).toMatch(/thema|onderwerp/i);
  });

  it('take a theme the knowledge knows', async () => {
    const theme = shippedSnapshot().data.themes.find((t) => t.choice)!;
    const h = dialogHarness();
    const replies = await h.send({ type: 'message', value: { sia: 'open', id: 'find-fieldlab', lang: 'nl', theme: theme.id } });
    expect(texts(replies)).toContain(theme.name.nl);
  });

  it('ignore a need the knowledge does not know', async () => {
    const h = dialogHarness();
    await h.send({ type: 'message', text: 'we zijn met 12 mensen', locale: 'nl-NL' });
    const replies = await h.send({ type: 'message', value: { sia: 'open', id: 'check-programs', lang: 'en', need: '[x](javascript:alert(1))' } });
    expect(texts(replies)).not.toMatch(/javascript:/);
  });

  it('thank for feedback on an id the knowledge does not know, without keeping it', async () => {
    const h = dialogHarness();
    const [thanks] = await h.send({ type: 'message', value: { sia: 'feedback', id: 'x'.repeat(5000), vote: 'up', lang: 'en' } });
    expect(thanks!.text).toMatch(/Thank/);
    expect(h.insights.feedbacks).toEqual([]);
    await h.send({ type: 'message', value: { sia: 'feedback', id: 'cobot-what', vote: 'up', lang: 'en' } });
    expect(h.insights.feedbacks).toEqual([expect.objectContaining({ entryId: 'cobot-what' })]);
  });
});
