import { buildReport } from '../../src/insights/report';
import { escapeHtml, renderReportHtml } from '../../src/insights/reportHtml';
import type { FeedbackRecord, QuestionRecord } from '../../src/insights/records';
import { generateLog } from './questionLog';

const q = (text: string, at: string, decision = 'fallback'): QuestionRecord => ({ kind: 'question', at, data: { text, lang: 'nl', decision, candidates: [], conversation: 'c' } });

describe('the HTML report', () => {
  const log = generateLog(11, 100);
  const html = renderReportHtml(buildReport(log.questions, log.feedback, { nearest: log.nearest, now: new Date('2026-05-01T00:00:00Z') }));

  it('is one self-contained page: inline CSS and SVG, no scripts, no external assets', () => {
    expect(html).toMatch(/^<!doctype html>\n<html lang="en">/);
    expect(html).toMatch(/<meta charset="utf-8">/);
    expect(html).toMatch(/<style>[^<]+<\/style>/);
    expect(html.match(/<svg /g)).toHaveLength(2);
    expect(html).not.toMatch(/<script|<link|<img|<iframe|@import|url\(|\bsrc=|\bhref=/i);
    expect(html).not.toMatch(/https?:\/\//);
  });

  it('shows questions per day (a bar per day and decision) and per decision', () => {
    const perDay = html.slice(html.indexOf('<h2>Questions per day</h2>'), html.indexOf('<h2>Questions per decision</h2>'));
    expect(perDay).toMatch(/aria-label="Questions per day from 2026-03-01 to 2026-04-29"/);
    expect(perDay.match(/<rect /g)!.length).toBeGreaterThanOrEqual(60);
    expect(perDay).toMatch(/<title>2026-03-01: \d+ fallback<\/title>/);
    const perDecision = html.slice(html.indexOf('<h2>Questions per decision</h2>'), html.indexOf('<h2>Groups'));
    expect(perDecision.match(/<rect /g)).toHaveLength(3);
  });

  it('explains itself to an editor and lists clusters with suggestions and feedback', () => {
    expect(html).toMatch(/How to read this report/);
    expect(html).toMatch(/<b>fallback<\/b>: the bot did not know and showed the menu/);
    expect(html).toMatch(/Add as an alternate question<\/span> to entry <b>cobot-cost<\/b>/);
    expect(html).toMatch(/New entry needed/);
    expect(html).toMatch(/\("not our field"\), falling back was right and nothing needs doing/);
    expect(html).toMatch(/<h2>Feedback per entry<\/h2>/);
    expect(html).toMatch(/<td>erp-mes<\/td><td class="num">25 /);
  });

  it('marks a group that is like the out-of-scope examples as not our field', () => {
    const judged = renderReportHtml(buildReport(log.questions, log.feedback, { nearest: log.nearest, notOurs: () => 0.8, now: new Date('2026-05-01T00:00:00Z') }));
    expect(judged).toMatch(/<span class="muted">Not our field<\/span> \(like the out-of-scope examples, 0\.80\): no entry needed/);
    expect(judged).toMatch(/Add as an alternate question<\/span> to entry <b>cobot-cost<\/b>/);
  });

  it('escapes every user text: markup in a question is shown, never run', () => {
    const evil: QuestionRecord[] = [
      q('<script>alert("x")</script> wat kost een <b>cobot</b>?', '2026-03-01T10:00:00.000Z'),
      q('"><img src=x onerror=alert(1)> & \'quote\'', '2026-03-02T10:00:00.000Z', '<i>odd decision</i>'),
    ];
    const fb: FeedbackRecord[] = [{ kind: 'feedback', at: '2026-03-03T00:00:00.000Z', data: { entryId: '<svg onload=x>', vote: 'down', lang: 'nl', conversation: 'c' } }];
    const page = renderReportHtml(buildReport(evil, fb, { entryTitle: () => '</td><script>1</script>' }));
    expect(page).not.toMatch(/<script|<img|<b>cobot|<i>odd|<svg onload/);
    expect(page).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; wat kost een &lt;b&gt;cobot&lt;/b&gt;?');
    expect(page).toContain('&quot;&gt;&lt;img src=x onerror=alert(1)&gt; &amp; &#39;quote&#39;');
    expect(page).toContain('&lt;i&gt;odd decision&lt;/i&gt;');
    expect(page).toContain('&lt;svg onload=x&gt;');
  });

  it('escapes the five HTML characters', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
    expect(escapeHtml(undefined)).toBe('');
  });

  it('renders an empty period without charts', () => {
    const page = renderReportHtml(buildReport([], []));
    expect(page).toMatch(/No questions in this period/);
    expect(page).not.toMatch(/<svg/);
  });
});
