/**
 * Every path of the guided tasks (find a fieldlab, check programs, quick scan, talk to a person),
 * the direct answers from records, and follow-ups that only change a detail — in both languages.
 */
import { dialogHarness, type Harness } from '../support/dialogHarness';

type Reply = any;

function allText(replies: Reply[]): string {
  return replies
    .map((r) => [r.text ?? '', ...(r.attachments ?? []).map((a: any) => JSON.stringify(a.content))].join('\n'))
    .join('\n');
}

function buttonsOf(replies: Reply[]): Array<{ title: string; data?: any; url?: string }> {
  return replies.flatMap((r) =>
    (r.attachments ?? []).flatMap((a: any) => [...(a.content.body ?? []).flatMap((b: any) => b.actions ?? []), ...(a.content.actions ?? [])]),
  );
}

function cardTitles(replies: Reply[]): string[] {
  return replies.flatMap((r) => (r.attachments ?? []).map((a: any) => a.content.body?.[0]?.text).filter(Boolean));
}

async function say(h: Harness, text: string, locale = 'nl-NL'): Promise<Reply[]> {
  return h.send({ type: 'message', text, locale });
}

async function press(h: Harness, data: any): Promise<Reply[]> {
  return h.send({ type: 'message', value: data, locale: 'nl-NL' });
}

describe('find a fieldlab', () => {
  it('answers at once when the question holds a theme and a place, with cards and the regional contacts', async () => {
    const h = dialogHarness();
    const replies = await say(h, 'Is er een fieldlab voor robotica bij Delft?');
    const titles = cardTitles(replies);
    expect(titles.length).toBeGreaterThanOrEqual(3);
    expect(titles.length).toBeLessThanOrEqual(6);
    expect(titles).toContain('RoboHouse');
    const text = allText(replies);
    expect(text).toMatch(/Bron uit 20\d\d/);
    expect(text).toMatch(/InnovationQuarter/);
    expect(h.traces.at(-1)).toMatchObject({ decision: 'answer', entryId: 'find-fieldlab' });
  });

  it('asks the theme and then the place when it knows neither; a button and a typed place both work', async () => {
    const h = dialogHarness();
    const ask = await say(h, 'Welk fieldlab past bij mij?');
    expect(allText(ask)).toMatch(/Over welk onderwerp/);
    const themeButton = buttonsOf(ask).find((b) => b.data?.value === 'additive-manufacturing')!;
    const askPlace = await press(h, themeButton.data);
    expect(allText(askPlace)).toMatch(/Waar zit je bedrijf/);
    const result = await say(h, 'in de buurt van Eindhoven');
    expect(allText(result)).toMatch(/3D-printen/);
    expect(allText(result)).toMatch(/Noord-Brabant/);
    expect(h.traces.at(-1)).toMatchObject({ decision: 'dialog' });
  });

  it('does not ask again what the user already said in this conversation', async () => {
    const h = dialogHarness();
    await say(h, 'Wij zijn een metaalbedrijf met 35 man in Enschede');
    const fieldlabs = await say(h, 'Zoek een fieldlab voor lassen');
    expect(allText(fieldlabs)).not.toMatch(/Waar zit je bedrijf/);
    expect(cardTitles(fieldlabs)).toContain('Fieldlab Smart Welding Factory');
    const ask = await say(h, 'subsidiecheck');
    expect(allText(ask)).toMatch(/Wat voor project/);
    const result = await say(h, 'opleiden');
    expect(allText(result)).toMatch(/SLIM/);
    expect(allText(result)).toMatch(/Oost NL/);
  });

  it('re-asks an unclear answer with examples at most twice, then offers a way out', async () => {
    const h = dialogHarness();
    await say(h, 'fieldlab zoeken');
    const first = await say(h, 'blabla');
    expect(allText(first)).toMatch(/herken ik niet als onderwerp.*robots/s);
    const second = await say(h, 'nog steeds onzin');
    expect(allText(second)).toMatch(/herken ik niet als onderwerp/);
    const out = await say(h, 'echt geen idee');
    expect(allText(out)).toMatch(/We komen er zo niet uit/);
    expect(buttonsOf(out).map((b) => b.data?.id)).toContain('find-fieldlab');
    // The task is over: a question is answered normally again.
    const next = await say(h, 'Wat is een cobot?');
    expect(allText(next)).toMatch(/cobot/i);
  });

  it('stops on "stop" and shows the menu; "help" explains and asks the same question again', async () => {
    const h = dialogHarness();
    await say(h, 'zoek een fieldlab');
    const help = await say(h, 'help');
    expect(allText(help)).toMatch(/Stel gewoon je vraag/);
    expect(allText(help)).toMatch(/Over welk onderwerp/);
    const stop = await say(h, 'stop');
    expect(allText(stop)).toMatch(/ik ben gestopt/);
    const after = await say(h, 'robots');
    expect(allText(after)).not.toMatch(/Waar zit je bedrijf/);
  });

  it('works in English, and says so when nothing matches in the region', async () => {
    const h = dialogHarness();
    const replies = await say(h, 'Is there a fieldlab for composites in Groningen?', 'en-US');
    const text = allText(replies);
    expect(text).toMatch(/I know no fieldlab for Composites.* in or next to Groningen|nearest/i);
    expect(cardTitles(replies).length).toBeGreaterThanOrEqual(3);
  });

  it('shows unconfirmed labs as such', async () => {
    const h = dialogHarness();
    const replies = await say(h, 'fieldlab voor robotica in Limburg');
    expect(cardTitles(replies)).toContain('Field Lab Robotics (Roermond)');
    expect(allText(replies)).toMatch(/status als Smart Industry-fieldlab niet bevestigd/);
  });
});

describe('follow-ups that only change a detail', () => {
  it('"en in Limburg?" re-runs the fieldlab search for the new place, keeping the theme', async () => {
    const h = dialogHarness();
    await say(h, 'Is er een fieldlab voor robotica bij Delft?');
    const replies = await say(h, 'en in Limburg?');
    expect(cardTitles(replies)).toContain('Field Lab Robotics (Roermond)');
    expect(allText(replies)).toMatch(/Robotica/);
  });

  it('"and for 3D printing?" keeps the place and changes the theme', async () => {
    const h = dialogHarness();
    await say(h, 'Which fieldlabs are there in Zuid-Holland for robotics?', 'en-US');
    const replies = await say(h, 'and for 3D printing?', 'en-US');
    expect(cardTitles(replies)).toContain('RAMLAB (Rotterdam Additive Manufacturing Fieldlab)');
  });

  it('"hoe vraag ik dat aan?" after a program answers how to apply for that program', async () => {
    const h = dialogHarness();
    await say(h, 'Wat is WBSO?');
    const replies = await say(h, 'hoe vraag ik dat aan?');
    const text = allText(replies);
    expect(text).toMatch(/WBSO/);
    expect(text).toMatch(/Aanvragen:/);
    expect(text).toMatch(/eHerkenning/);
  });
});

describe('programs', () => {
  it('answers "Wat is WBSO?" from the record, with amounts and their years and the official page', async () => {
    const h = dialogHarness();
    const text = allText(await say(h, 'Wat is WBSO?'));
    expect(text).toMatch(/\(2026\)|\(2025\)/);
    expect(text).toMatch(/rvo\.nl\/subsidies-financiering\/wbso/);
    expect(text).toMatch(/geen besluit/);
  });

  it('answers "MIT haalbaarheid hoeveel?" with dated amounts and says the figures are uncertain', async () => {
    const h = dialogHarness();
    const text = allText(await say(h, 'MIT haalbaarheid hoeveel?'));
    expect(text).toMatch(/€ ?20\.000.*\(2025\)/);
    expect(text).toMatch(/bronnen verschillen/);
  });

  it('answers a direct need question at once, and never recommends a closed program', async () => {
    const h = dialogHarness();
    const replies = await say(h, 'Which subsidy helps me pay for training my staff?', 'en-US');
    const text = allText(replies);
    expect(text).toMatch(/SLIM/);
    expect(text).toMatch(/guidance, not a decision/);
    expect(text).not.toMatch(/Smart Industry Fieldlabs grant scheme \(closed\)[^]*Why:/);
  });

  it('asks only what it does not know: size, then project, then place', async () => {
    const h = dialogHarness();
    const size = await say(h, 'subsidiecheck');
    expect(allText(size)).toMatch(/Hoeveel mensen/);
    const need = await say(h, 'we zijn met 35');
    expect(allText(need)).toMatch(/Wat voor project/);
    const place = await press(h, buttonsOf(need).find((b) => b.data?.value === 'feasibility')!.data);
    expect(allText(place)).toMatch(/Waar zit je bedrijf/);
    const result = await say(h, 'Maastricht');
    const text = allText(result);
    expect(text).toMatch(/MIT/);
    expect(text).toMatch(/LIOF/);
    expect(text).toMatch(/geen besluit/);
  });

  it('mentions a closed program as closed when asked for it by name', async () => {
    const h = dialogHarness();
    const text = allText(await say(h, 'Regeling Smart Industry Fieldlabs'));
    expect(text).toMatch(/gesloten/);
    expect(text).not.toMatch(/Aanvragen:/);
  });
});

describe('talk to a person', () => {
  it('asks the province when unknown, names the ROM and the EDIH, and sends the handoff event', async () => {
    const h = dialogHarness();
    const ask = await say(h, 'Ik wil iemand spreken');
    expect(allText(ask)).toMatch(/Waar zit je bedrijf/);
    const replies = await say(h, 'Zwolle');
    const text = allText(replies);
    expect(text).toMatch(/Oost NL/);
    expect(text).toMatch(/EDIH BOOST/);
    expect(replies.some((r) => r.type === 'event' && r.name === 'handoff.initiate')).toBe(true);
  });

  it('answers "Wie kan mij helpen in Limburg?" at once', async () => {
    const h = dialogHarness();
    const replies = await say(h, 'Wie kan mij helpen in Limburg?');
    expect(allText(replies)).toMatch(/LIOF/);
  });
});

describe('quick scan', () => {
  it('asks every statement, scores the dimensions, names the weakest two and three next steps; a returning user sees the change', async () => {
    const h = dialogHarness();
    const intro = await say(h, 'doe de quick scan');
    expect(allText(intro)).toMatch(/10 korte stellingen/);
    expect(allText(intro)).toMatch(/Stelling 1 van 10/);
    let last: Reply[] = [];
    const answers = [4, 4, 2, 1, 3, 3, 4, 5, 2, 3];
    for (const [i, a] of answers.entries()) {
      last = i % 2 ? await say(h, String(a)) : await press(h, { sia: 'slot', slot: 'score', value: String(a), lang: 'nl' });
    }
    const result = allText(last);
    expect(result).toMatch(/Processen en data: \*\*1\.5\*\*/);
    expect(result).toMatch(/Cybersecurity: \*\*2\.5\*\*/);
    expect(result).toMatch(/meeste winst zit in: \*\*Processen en data en Cybersecurity\*\*/);
    expect(buttonsOf(last).filter((b) => b.data?.sia === 'open')).toHaveLength(3);

    const again = await say(h, 'quick scan');
    expect(allText(again)).toMatch(/Je deed de scan eerder/);
    for (const _ of answers) last = await say(h, '5');
    expect(allText(last)).toMatch(/\(\+3\.5\)/);
  });

  it('accepts the scale words and refuses numbers outside 1–5', async () => {
    const h = dialogHarness();
    await say(h, 'quick scan');
    const retry = await say(h, '9');
    expect(allText(retry)).toMatch(/cijfer van 1/);
    const next = await say(h, 'Grotendeels');
    expect(allText(next)).toMatch(/Stelling 2 van 10/);
  });
});

describe('buttons and disambiguation', () => {
  it('opens tasks, entries and records from buttons, also in the middle of a task', async () => {
    const h = dialogHarness();
    await say(h, 'subsidiecheck');
    const replies = await press(h, { sia: 'open', id: 'cobot-what', lang: 'nl' });
    expect(allText(replies)).toMatch(/cobot/i);
    const scan = await press(h, { sia: 'open', id: 'find-fieldlab', lang: 'nl', theme: 'iot-sensors' });
    expect(allText(scan)).toMatch(/IoT|Waar zit je bedrijf/);
  });

  it('stores feedback given during a task and asks the task question again', async () => {
    const h = dialogHarness();
    await say(h, 'fieldlab zoeken');
    const replies = await press(h, { sia: 'feedback', id: 'cobot-what', vote: 'up', lang: 'nl' });
    expect(allText(replies)).toMatch(/fijn dat het hielp/);
    expect(allText(replies)).toMatch(/Over welk onderwerp/);
    expect(h.insights.feedbacks).toEqual([expect.objectContaining({ entryId: 'cobot-what', vote: 'up' })]);
  });
});
