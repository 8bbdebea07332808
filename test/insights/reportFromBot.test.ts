/**
 * The editors' report on a real log: every labelled test question goes through the real bot
 * (createBotCore on SQLite), each in a conversation of its own, some answers get a 👍 or 👎; then
 * the report runs on what the bot stored, with the real matcher for the nearest entries.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TurnContext } from 'botbuilder';
import { createBotCore } from '../../src/app';
import { runReport } from '../../src/cli/report';
import { asFeedback, asQuestions } from '../../src/insights/records';
import { buildReport } from '../../src/insights/report';
import { loadTestSet, OUT_OF_SCOPE } from '../../src/knowledge/testSet';
import { SqliteStore } from '../../src/storage/sqliteStore';
import { LoopbackAdapter } from '../support/loopbackAdapter';
import { KNOWLEDGE, memoryLogger, testConfig } from '../support/testConfig';

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sia-report-bot-'));
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

describe('the report on a log from the labelled questions', () => {
  it('groups what the bot missed, suggests alternates for the right entries and new entries for the rest', async () => {
    const tests = loadTestSet(KNOWLEDGE, { has: () => true } as unknown as ReadonlySet<string>, []).tests;
    expect(tests.length).toBeGreaterThan(600);
    const config = testConfig({ STORAGE: 'sqlite', DATA_DIR: dataDir });
    const core = createBotCore(config, memoryLogger().logger);
    const adapter = new LoopbackAdapter();
    adapter.onTurnError = core.adapterErrorHandler;
    core.middleware.forEach((m) => adapter.use(m));
    const logic = (c: TurnContext) => core.bot.run(c);
    const expected = new Map<string, string>();
    let i = 0;
    try {
      for (const t of tests) {
        i += 1;
        expected.set(t.q, t.expect);
        const replies = await adapter.turn({ conversation: { id: `labelled-${i}` } as never, text: t.q, locale: t.lang === 'en' ? 'en-US' : 'nl-NL' }, logic);
        expect(replies.some((r) => r.type === 'message')).toBe(true);
        if (i % 50 === 0) await adapter.turn({ conversation: { id: `labelled-${i}` } as never, value: { sia: 'feedback', id: 'cobot-what', vote: i % 100 === 0 ? 'down' : 'up', lang: t.lang } }, logic);
      }
    } finally {
      await core.close(); // writes the queued insights
      core.store.stop();
    }

    const store = new SqliteStore(dataDir);
    try {
      const questions = asQuestions(await store.listRecords('question'));
      const feedback = asFeedback(await store.listRecords('feedback'));
      const matcher = core.store.current().prepared.matcher;
      const nearest = (text: string) => matcher.match(text).candidates.map((c) => ({ id: c.id, score: c.score }));
      const notOurs = (text: string) => matcher.match(text).notOurs;
      const report = buildReport(questions, feedback, { nearest, notOurs });

      // What was kept: fallbacks, "did you mean" and near misses, a share of all questions.
      expect(report.byDecision.fallback).toBeGreaterThan(50);
      expect(report.byDecision.disambiguate).toBeGreaterThan(10);
      expect(report.byDecision['near-miss']).toBeGreaterThan(10);
      expect(report.questions).toBeLessThan(tests.length * 0.6);
      expect(report.votes).toEqual({ up: Math.ceil(Math.floor(tests.length / 50) / 2), down: Math.floor(Math.floor(tests.length / 50) / 2) });
      expect(report.feedback[0]).toMatchObject({ entryId: 'cobot-what' });

      // Clusters, largest first, some with several questions.
      expect(report.clusters.length).toBeGreaterThan(20);
      expect(report.clusters.some((c) => c.count >= 3)).toBe(true);
      for (let k = 1; k < report.clusters.length; k++) expect(report.clusters[k]!.count).toBeLessThanOrEqual(report.clusters[k - 1]!.count);

      // Both kinds of suggestion; an "add as alternate" mostly names the entry the question was written for.
      const alternates = report.clusters.filter((c) => c.suggestion.kind === 'alternate');
      const fresh = report.clusters.filter((c) => c.suggestion.kind === 'new');
      expect(alternates.length).toBeGreaterThan(5);
      expect(fresh.length).toBeGreaterThan(5);
      const rightEntry = alternates.filter((c) => {
        const s = c.suggestion as { entryId: string };
        return c.examples.some((e) => expected.get(e.text) === s.entryId);
      });
      expect(rightEntry.length / alternates.length).toBeGreaterThan(0.5);
      // The out-of-scope questions among the missed ones are not alternates, and many are "not our
      // field"; a group of in-scope questions rarely is.
      const oos = report.clusters.filter((c) => c.examples.every((e) => expected.get(e.text) === OUT_OF_SCOPE));
      const ours = report.clusters.filter((c) => c.examples.every((e) => expected.get(e.text) !== OUT_OF_SCOPE));
      expect(oos.filter((c) => c.suggestion.kind !== 'alternate').length / oos.length).toBeGreaterThan(0.8);
      expect(oos.filter((c) => c.suggestion.kind === 'not-ours').length / oos.length).toBeGreaterThan(0.3);
      expect(ours.filter((c) => c.suggestion.kind === 'not-ours').length / ours.length).toBeLessThan(0.1);

      // The command prints it (every group: most hold one question, ordered by their words, so the
      // first 20 need not show every kind of suggestion) and writes the page.
      const html = path.join(dataDir, 'report.html');
      const out: string[] = [];
      expect(await runReport(config, { out: (l) => out.push(l), err: (l) => out.push(l) }, { store, nearest, notOurs, html, top: report.clusters.length })).toBe(0);
      expect(out.join('\n')).toMatch(/add as an alternate question to entry/);
      expect(out.join('\n')).toMatch(/new entry needed/);
      expect(out.join('\n')).toMatch(/not our field \(like the out-of-scope examples/);
      expect(fs.readFileSync(html, 'utf8')).toContain('<svg');
    } finally {
      await store.close();
    }
  }, 120_000);
});
