import { clusterQuestions, dice, terms } from '../../src/insights/cluster';
import { buildReport, reportText } from '../../src/insights/report';
import type { QuestionRecord } from '../../src/insights/records';
import { FAMILIES, generateLog } from './questionLog';

const log = generateLog();

function q(text: string, lang: 'nl' | 'en' = 'nl', decision = 'fallback', at = '2026-03-01T10:00:00.000Z'): QuestionRecord {
  return { kind: 'question', at, data: { text, lang, decision, candidates: [], conversation: 'c' } };
}

describe('clustering', () => {
  it('reduces a question to its content words, stemmed per language', () => {
    expect(terms('Wat kosten de cobots eigenlijk?', 'nl')).toEqual(terms('wat kost een cobot eigenlijk', 'nl'));
    expect(terms('Ik ben [name]: wat kost een cobot? [phone]', 'nl')).toEqual(terms('wat kost een cobot', 'nl'));
    expect(terms('How much do cobots cost?', 'en')).toEqual(['cobot', 'cost']);
    expect(dice(['a', 'b'], ['a', 'b'])).toBe(1);
    expect(dice(['a', 'b'], ['b', 'c'])).toBe(0.5);
    expect(dice(['a', 'b'], ['b', 'c'], (t) => (t === 'b' ? 0.1 : 1))).toBeCloseTo(0.2 / 2.2);
  });

  it('groups phrasings of one question and keeps a shared common word from joining different topics', () => {
    const clusters = clusterQuestions(
      ['Wat kost een cobot?', 'wat kost een cobot ongeveer', 'hoeveel kost een cobot', 'Wat kost een exoskelet?', 'exoskelet voor tillen', 'Wat kost een AGV?', 'waar staat een fieldlab', 'fieldlab in de buurt'].map((t) => ({ ...q(t).data, at: q(t).at })),
    );
    const groups = clusters.map((c) => c.items.map((i) => i.text).sort());
    expect(groups).toContainEqual(['Wat kost een cobot?', 'hoeveel kost een cobot', 'wat kost een cobot ongeveer']);
    expect(groups.find((g) => g.includes('Wat kost een exoskelet?'))).not.toContain('Wat kost een cobot?');
    expect(groups.find((g) => g.includes('Wat kost een AGV?'))).toEqual(['Wat kost een AGV?']);
    expect(clusters[0]!.items).toHaveLength(3);
    expect(clusters[0]!.sharedWords).toEqual(expect.arrayContaining(['cobot', 'kost']));
  });

  it('clusters a generated log of 3,220 questions: one topic per cluster, each family (almost) whole, largest first', () => {
    const progress: Array<[number, number]> = [];
    const clusters = clusterQuestions(log.questions.map((r) => ({ ...r.data, at: r.at })), { onProgress: (d, t) => progress.push([d, t]) });
    // Pure: no cluster mixes families ("wat kost een exoskelet" does not join "wat kost een cobot").
    for (const c of clusters) expect(new Set(c.items.map((it) => log.familyOf(it.text))).size).toBe(1);
    // Whole: the largest clusters are the families, in order of size, each with at least 90% of its questions.
    for (const [i, family] of FAMILIES.entries()) {
      expect(log.familyOf(clusters[i]!.label)).toBe(family.name);
      expect(clusters[i]!.items.length).toBeGreaterThanOrEqual(0.9 * family.count);
    }
    expect(clusters.slice(FAMILIES.length).every((c) => c.items.length < 0.1 * 300)).toBe(true);
    expect(progress[progress.length - 1]![0]).toBe(progress[progress.length - 1]![1]);
    expect(progress.length).toBeGreaterThan(10);
  });
});

describe('the report', () => {
  const report = buildReport(log.questions, log.feedback, {
    nearest: log.nearest,
    entryTitle: (id) => ({ 'cobot-cost': 'Wat kost een cobot?', 'erp-mes': 'ERP en MES' })[id],
    now: new Date('2026-05-01T00:00:00Z'),
  });

  it('suggests an alternate question for clusters near an entry, and a new entry otherwise', () => {
    const byLabel = (family: string) => report.clusters.find((c) => log.familyOf(c.label) === family)!;
    expect(byLabel('cobot cost').suggestion).toEqual({ kind: 'alternate', entryId: 'cobot-cost', title: 'Wat kost een cobot?', score: 0.62 });
    expect(byLabel('erp').suggestion).toMatchObject({ kind: 'alternate', entryId: 'erp-mes' });
    expect(byLabel('hydrogen').suggestion).toEqual({ kind: 'new' });
    expect(byLabel('exoskeleton cost').suggestion).toEqual({ kind: 'new' });
    expect(byLabel('cobot cost (en)').suggestion).toMatchObject({ kind: 'alternate', entryId: 'cobot-cost' });
    expect(byLabel('cobot cost').nearest[0]).toEqual({ id: 'cobot-cost', score: 0.62, title: 'Wat kost een cobot?' });
  });

  it('calls a cluster that is like the out-of-scope examples "not our field", unless it is near an entry', () => {
    const notOurs = (text: string) => (['hydrogen', 'cobot cost'].includes(log.familyOf(text)) ? 0.9 : 0.05);
    const judged = buildReport(log.questions, log.feedback, { nearest: log.nearest, notOurs, now: new Date('2026-05-01T00:00:00Z') });
    const byLabel = (family: string) => judged.clusters.find((c) => log.familyOf(c.label) === family)!;
    expect(byLabel('hydrogen').suggestion).toEqual({ kind: 'not-ours', likeness: 0.9 });
    expect(byLabel('exoskeleton cost').suggestion).toEqual({ kind: 'new' });
    expect(byLabel('cobot cost').suggestion).toMatchObject({ kind: 'alternate', entryId: 'cobot-cost' });
    expect(reportText(judged)).toMatch(/→ not our field \(like the out-of-scope examples, 0\.90\): no entry needed/);
  });

  it('counts per day (every day, gaps included), per decision and per language', () => {
    expect(report.questions).toBe(3220);
    expect(report.perDay.reduce((n, d) => n + d.total, 0)).toBe(3220);
    expect(report.perDay).toHaveLength(60);
    expect(Object.values(report.byDecision).reduce((a, b) => a + b, 0)).toBe(3220);
    expect(Object.keys(report.byDecision)).toEqual(expect.arrayContaining(['fallback', 'disambiguate', 'near-miss']));
    expect(report.byLanguage).toEqual({ nl: 2900, en: 320 });
    expect(report.clusters[0]!.rank).toBe(1);
    expect(report.clusters[0]!.count).toBeGreaterThan(report.clusters[1]!.count);
  });

  it('lists feedback per entry, most 👎 first', () => {
    expect(report.feedback.map((f) => [f.entryId, f.down, f.up])).toEqual([
      ['erp-mes', 25, 5],
      ['fieldlab-find', 9, 9],
      ['cobot-cost', 3, 40],
      ['robot-safety', 2, 0],
    ]);
    expect(report.votes).toEqual({ up: 54, down: 39 });
  });

  it('reads in the terminal: clusters with examples, shared words, nearest entries and a suggestion', () => {
    const text = reportText(report, { top: 5 });
    expect(text).toMatch(/^Unanswered questions: 3,220 in \d+ conversation\(s\), 2026-03-01 – 2026-04-29/);
    expect(text).toMatch(/\n1\. "[^"]*cobot[^"]*" — 1,\d{3}× \((fallback|disambiguate|near-miss) \d+, (fallback|disambiguate|near-miss) \d+, (fallback|disambiguate|near-miss) \d+\)/);
    expect(text).toMatch(/→ add as an alternate question to entry cobot-cost \("Wat kost een cobot\?"\) \(score 0\.62\)/);
    expect(text).toMatch(/→ new entry needed/);
    expect(text).toMatch(/👎 {3}25 {2}👍 {4}5 {2}erp-mes — ERP en MES/);
    expect(text).not.toMatch(/Jan de Vries|06-1234/);
  });

  it('uses the recorded candidates when no matcher is given', () => {
    const r = buildReport(log.questions.slice(0, 200), [], {});
    const cobot = r.clusters.find((c) => log.familyOf(c.label) === 'cobot cost');
    expect(cobot?.nearest[0]).toMatchObject({ id: 'cobot-cost', score: expect.closeTo(0.558, 3) });
  });

  it('says so when there is nothing to report', () => {
    const empty = buildReport([], []);
    expect(reportText(empty)).toBe('Unanswered questions: 0 in 0 conversation(s), no questions yet\n\nNo unanswered questions in this period.\n\nNo feedback in this period.');
  });
});
