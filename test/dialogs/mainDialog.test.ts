import { dialogHarness } from '../support/dialogHarness';

const cardOf = (a: any) => a.attachments?.[0]?.content;
const buttons = (a: any): Array<{ title: string; data: any }> => {
  const c = cardOf(a);
  return [...(c?.body ?? []).flatMap((b: any) => b.actions ?? []), ...(c?.actions ?? [])];
};

describe('MainDialog', () => {
  it('answers a Dutch question in Dutch, with follow-up and feedback buttons', async () => {
    const h = dialogHarness();
    const [reply] = await h.send({ type: 'message', text: 'Hoe begin ik met voorspellend onderhoud?', locale: 'en-US' });
    expect(reply!.locale).toBe('nl-NL');
    expect(reply!.text).toMatch(/machines/);
    const b = buttons(reply);
    expect(b.some((x) => x.data.sia === 'open')).toBe(true);
    expect(b.filter((x) => x.data.sia === 'feedback').map((x) => x.title)).toEqual(['👍 Nuttig', '👎 Niet nuttig']);
    expect(cardOf(reply).version).toBe('1.4');
    expect(cardOf(reply).fallbackText).toBeTruthy();
    expect(h.traces[0]).toMatchObject({ decision: 'answer', entryId: 'predictive-maintenance-start', language: 'nl' });
  });

  it('answers the same question in English in English', async () => {
    const h = dialogHarness();
    const [reply] = await h.send({ type: 'message', text: 'How do I start with predictive maintenance?', locale: 'nl-NL' });
    expect(reply!.locale).toBe('en-US');
    expect(buttons(reply).filter((x) => x.data.sia === 'feedback').map((x) => x.title)).toEqual(['👍 Helpful', '👎 Not helpful']);
    expect(h.traces[0]).toMatchObject({ decision: 'answer', entryId: 'predictive-maintenance-start', language: 'en' });
  });

  it('falls back on nonsense with the menu, in the locale language, and logs the question for editors', async () => {
    const h = dialogHarness();
    const [reply] = await h.send({ type: 'message', text: 'qwerty asdf zxcv', locale: 'en-GB' });
    expect(reply!.text).toMatch(/can't answer that one/);
    expect(buttons(reply).map((x) => x.data.id)).toEqual(['where-to-start', 'find-fieldlab', 'check-programs', 'quick-scan', 'talk-to-person']);
    expect(h.traces[0]).toMatchObject({ decision: 'fallback', entryId: null });
    expect(h.insights.questions).toEqual([expect.objectContaining({ text: 'qwerty asdf zxcv', decision: 'fallback' })]);
  });

  it('answers a question that only just won, and keeps it for the editors as a near miss', async () => {
    const h = dialogHarness();
    const [reply] = await h.send({ type: 'message', text: 'will a new saw pay off' });
    expect(h.traces[0]).toMatchObject({ decision: 'answer', entryId: 'roi-calculation' });
    expect(reply!.text).toBeTruthy();
    expect(h.insights.questions).toEqual([expect.objectContaining({ decision: 'near-miss', candidates: expect.arrayContaining([expect.objectContaining({ id: 'roi-calculation' })]) })]);
    // A clear answer is not kept.
    await h.send({ type: 'message', text: 'Hoe begin ik met voorspellend onderhoud?' });
    expect(h.insights.questions).toHaveLength(1);
  });

  it('keeps the language of the conversation for a short message that does not show its language', async () => {
    const h = dialogHarness();
    await h.send({ type: 'message', text: 'What is a digital twin?', locale: 'nl-NL' });
    const [reply] = await h.send({ type: 'message', text: 'nis2', locale: 'nl-NL' });
    expect(reply!.locale).toBe('en-US');
  });

  it('opens an entry from a button, stores feedback, and handles "none of these"', async () => {
    const h = dialogHarness();
    const [open] = await h.send({ type: 'message', value: { sia: 'open', id: 'cobot-what', lang: 'en' } });
    expect(open!.locale).toBe('en-US');
    expect(open!.text).toMatch(/cobot/i);
    expect(h.traces[0]).toMatchObject({ decision: 'answer', entryId: 'cobot-what', score: 1 });

    const [thanks] = await h.send({ type: 'message', value: { sia: 'feedback', id: 'cobot-what', vote: 'down', lang: 'en' } });
    expect(thanks!.text).toMatch(/Thanks for telling me/);
    expect(h.insights.feedbacks).toEqual([expect.objectContaining({ entryId: 'cobot-what', vote: 'down', lang: 'en' })]);

    const [none] = await h.send({ type: 'message', value: { sia: 'none', lang: 'nl' } });
    expect(none!.text).toMatch(/Jammer/);
  });

  it.each([
    ['an empty message', { type: 'message', text: '' }, /Ik zie geen vraag/],
    ['only whitespace', { type: 'message', text: '   ' }, /Ik zie geen vraag/],
    ['only a file', { type: 'message', attachments: [{ contentType: 'image/png', contentUrl: 'http://x/y.png' }] }, /alleen tekst lezen/],
    ['an unknown button', { type: 'message', value: { sia: 'explode' } }, /knop ken ik niet/],
    ['a button for an entry that no longer exists', { type: 'message', value: { sia: 'open', id: 'gone', lang: 'nl' } }, /knop ken ik niet/],
    ['a card value that is not an object', { type: 'message', value: 'string value' }, /knop ken ik niet/],
  ])('gives a sensible reply to %s', async (_label, activity, expected) => {
    const h = dialogHarness();
    const [reply] = await h.send(activity as any);
    expect(reply!.text).toMatch(expected);
  });

  it('answers help and menu commands with the menu', async () => {
    const h = dialogHarness();
    const [help] = await h.send({ type: 'message', text: 'help', locale: 'nl-NL' });
    expect(help!.text).toMatch(/Stel gewoon je vraag/);
    expect(buttons(help)).toHaveLength(5);
    const [menu] = await dialogHarness().send({ type: 'message', text: 'menu', locale: 'en-US' });
    expect(menu!.text).toBe('What can I help you with?');
  });

  it('reads a 50 KB message (cut to the limit, and says so) and escapes markup in replies', async () => {
    const h = dialogHarness();
    const replies = await h.send(`${'predictive maintenance '.repeat(2300)}`);
    expect(replies[0]!.text).toMatch(/eerste 2000 tekens/);
    expect(replies.length).toBeGreaterThan(1);
    const [reply] = await h.send('<img src=x onerror=alert(1)> wat is een cobot');
    expect(reply!.text).not.toMatch(/<img/);
  });
});
