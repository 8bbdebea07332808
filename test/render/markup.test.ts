/**
 * The render-side safety net: whatever text reaches a message or a card, it carries no HTML, no
 * image and no link but to a web page, e-mail or phone; the markdown editors write still works.
 * The knowledge check refuses such content before it goes live; these tests build hostile
 * knowledge by hand, past the check, to show the renderer holds on its own.
 */
import { cardMarkdown, plainText, safeMarkdown } from '../../src/render/markup';
import { answerMessage, choicesMessage, type RenderContext } from '../../src/render/messages';
import { fieldlabCard } from '../../src/render/records';
import type { KnowledgeData, QnaEntry } from '../../src/knowledge/types';
import { shippedSnapshot } from '../support/dialogHarness';

const SCRIPT = '<script>window.__pwned=1</script>';
const IMG = '<img src=x onerror="window.__pwned=1">';
const JS_LINK = '[click](javascript:window.__pwned=1)';
const IMAGE = '![pixel](https://evil.example/pixel.png)';
const HOSTILE = `${SCRIPT} ${IMG} ${JS_LINK} ${IMAGE}`;

/** Live markup: a tag, a markdown image, a link to script or data. */
const LIVE = /<(?:script|img|b)\b|!\[|\]\(\s*<?(?:javascript|data):|javascript:/i;

describe('safeMarkdown (message text)', () => {
  it('keeps what editors write: bold, lists, web, mail and phone links', () => {
    const text = '**Let op:**\n- [NCTV](https://www.nctv.nl/a "titel")\n- [mail](mailto:a@example.nl) of [bel](tel:+3120)\n\n[ref]: https://example.nl';
    expect(safeMarkdown(text)).toBe(text);
  });

  it('shows HTML as text: angle brackets are escaped, never interpreted', () => {
    expect(safeMarkdown(`a ${SCRIPT} b`)).toBe('a &lt;script>window.__pwned=1&lt;/script> b');
    expect(safeMarkdown(IMG)).toBe('&lt;img src=x onerror="window.__pwned=1">');
  });

  it.each([
    [JS_LINK, 'click'],
    ['[x](JAVASCRIPT:alert(1))', 'x'],
    ['[x](<javascript:alert(1)>)', 'x'],
    ['[x](jav&#x61;script:alert(1))', 'x'],
    ['[x](data:text/html;base64,PHNjcmlwdD4=)', 'x'],
    ['[x](vbscript:msgbox)', 'x'],
    ['[x](//evil.example)', 'x'],
  ])('turns the link %s into its text', (link, text) => {
    expect(safeMarkdown(`see ${link} now`)).toBe(`see ${text} now`);
  });

  it('turns an image into a link to it, or into its text when it is no web address', () => {
    expect(safeMarkdown(IMAGE)).toBe('[pixel](https://evil.example/pixel.png)');
    expect(safeMarkdown('![](https://www.example.nl/a.png)')).toBe('[example.nl](https://www.example.nl/a.png)');
    expect(safeMarkdown('![x](data:image/svg+xml;base64,PHN2Zz4=)')).toBe('x');
  });

  it('drops a reference definition that does not go to a web page', () => {
    expect(safeMarkdown('[x][r]\n\n[r]: javascript:alert(1)\n')).toBe('[x][r]\n\n\n');
  });
});

describe('card texts', () => {
  it('cardMarkdown: no tags at all, web links kept, at most 200 characters without a split emoji', () => {
    expect(cardMarkdown(`Lab ${SCRIPT} [site](https://lab.example.nl) ${JS_LINK}`)).toBe('Lab window.__pwned=1 [site](https://lab.example.nl) click');
    const long = `${'a'.repeat(199)}🤖`;
    expect(cardMarkdown(long)).toBe('a'.repeat(199));
  });

  it('plainText: button titles carry no link at all', () => {
    expect(plainText('[Lees meer](https://example.nl) over ![logo](https://x.nl/l.png) <b>dit</b>')).toBe('Lees meer over logo dit');
  });
});

describe('messages built from hostile knowledge (past the knowledge check)', () => {
  const snapshot = shippedSnapshot();
  const real = snapshot.data.entries.find((e) => e.followUps.length > 0)!;
  const followUp = snapshot.prepared.byId.get(real.followUps[0]!)!;
  const hostileFollowUp: QnaEntry = { ...followUp, title: { nl: `Titel ${HOSTILE}`, en: `Title ${HOSTILE}` } };
  const entry: QnaEntry = { ...real, title: { nl: `Titel ${HOSTILE}`, en: `Title ${HOSTILE}` }, answer: { nl: `Antwoord.\n\n${HOSTILE}`, en: `Answer.\n\n${HOSTILE}` } };
  const byId = new Map(snapshot.prepared.byId);
  byId.set(entry.id, entry);
  byId.set(hostileFollowUp.id, hostileFollowUp);
  const ctx: RenderContext = { data: snapshot.data, byId, lang: 'nl' };

  it('answerMessage: the answer shows no live markup, and the follow-up button titles are plain', () => {
    const m = answerMessage(ctx, entry);
    expect(m.text).not.toMatch(LIVE);
    expect(m.text).toContain('Antwoord.');
    expect(m.text).toContain('&lt;script>');
    expect(m.text).toContain('click');
    expect(m.text).toContain('[pixel](https://evil.example/pixel.png)');
    const json = JSON.stringify(m.attachments);
    expect(json).not.toMatch(LIVE);
    expect(json).toContain('Titel window.__pwned=1');
  });

  it('choicesMessage ("did you mean"): titles are plain button texts', () => {
    const m = choicesMessage(ctx, [entry.id, hostileFollowUp.id]);
    expect(JSON.stringify(m)).not.toMatch(LIVE);
  });

  it('fieldlabCard: name and description in TextBlocks carry no live markup', () => {
    const lab = snapshot.data.fieldlabs[0]!;
    const hostileLab = { ...lab, name: `Lab ${HOSTILE}`, description: { nl: `Beschrijving ${HOSTILE}`, en: `Description ${HOSTILE}` } };
    const data: KnowledgeData = { ...snapshot.data, fieldlabs: [hostileLab, ...snapshot.data.fieldlabs.slice(1)] };
    const card = fieldlabCard({ ...ctx, data }, hostileLab);
    expect(JSON.stringify(card)).not.toMatch(LIVE);
    expect(JSON.stringify(card)).toContain('Beschrijving window.__pwned=1 click [pixel](https://evil.example/pixel.png)');
  });
});
