import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runReport } from '../../src/cli/report';
import { MemoryStore } from '../../src/storage/memoryStore';
import { SqliteStore } from '../../src/storage/sqliteStore';
import { InsightsWriter } from '../../src/insights/insightsWriter';
import { generateLog } from '../insights/questionLog';
import { memoryLogger, testConfig } from '../support/testConfig';
import { runNode } from '../support/run';

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'sia-report-'));
const NOW = new Date('2026-05-01T00:00:00Z');

function io() {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, io: { out: (l: string) => out.push(l), err: (l: string) => err.push(l) } };
}

describe('runReport', () => {
  it('prints the report, shows progress on a large log, and writes the HTML page', async () => {
    const log = generateLog();
    const store = new MemoryStore();
    await store.appendRecords([...log.questions, ...log.feedback]);
    const html = path.join(tmp(), 'sub', 'report.html');
    const t = io();
    const code = await runReport(testConfig(), t.io, { store, nearest: log.nearest, html, now: NOW, top: 3 });
    expect(code).toBe(0);
    expect(t.err[0]).toBe('clustering 3,220 questions… 0%');
    expect(t.err).toContain('clustering 3,220 questions… 50%');
    expect(t.err[t.err.length - 1]).toBe('clustering 3,220 questions… 100%');
    const text = t.out.join('\n');
    expect(text).toMatch(/^Unanswered questions: 3,220/);
    expect(text).toMatch(/Groups of similar questions \(\d+\), largest first; the first 3:/);
    expect(text).toContain(`HTML report: ${html} (open it in a browser)`);
    expect(fs.readFileSync(html, 'utf8')).toMatch(/^<!doctype html>/);
  });

  it('shows no progress for a small log and can skip the HTML', async () => {
    const store = new MemoryStore();
    await store.appendRecords(generateLog(3, 0).questions.slice(0, 50).map((q) => ({ ...q, at: '2026-04-20T00:00:00.000Z' })));
    const t = io();
    expect(await runReport(testConfig(), t.io, { store, html: false, now: NOW })).toBe(0);
    expect(t.err).toEqual([]);
    expect(t.out.join('\n')).toMatch(/Nearest entries are the candidates recorded when the questions were asked/);
    expect(t.out.join('\n')).not.toMatch(/HTML report/);
  });

  it('covers only the retention period (or --days)', async () => {
    const store = new MemoryStore();
    await store.appendRecords([
      { kind: 'question', at: '2026-04-28T00:00:00.000Z', data: { text: 'recent', lang: 'nl', decision: 'fallback', candidates: [], conversation: 'a' } },
      { kind: 'question', at: '2026-04-01T00:00:00.000Z', data: { text: 'older', lang: 'nl', decision: 'fallback', candidates: [], conversation: 'b' } },
    ]);
    const all = io();
    await runReport(testConfig(), all.io, { store, html: false, now: NOW });
    expect(all.out[0]).toMatch(/^Unanswered questions: 2 /);
    const week = io();
    await runReport(testConfig(), week.io, { store, html: false, now: NOW, days: 7 });
    expect(week.out[0]).toMatch(/^Unanswered questions: 1 /);
  });

  it('says what to check when the store cannot be read', async () => {
    const store = new MemoryStore();
    store.listRecords = async () => {
      throw new Error('ECONNREFUSED');
    };
    const t = io();
    expect(await runReport(testConfig(), t.io, { store, html: false })).toBe(1);
    expect(t.err).toEqual(['Cannot read the insights from the store (ECONNREFUSED). Check STORAGE and its settings in .env, and that the store is reachable.']);
  });

  it('has its own entry point, which finds the nearest entries with the real matcher', async () => {
    const dir = tmp();
    const store = new SqliteStore(dir);
    const writer = new InsightsWriter({ store, logger: memoryLogger().logger });
    for (let i = 0; i < 3; i++) await writer.question({ text: 'Wat kost een cobot met grijper ongeveer?', lang: 'nl', decision: 'disambiguate', candidates: [], conversationId: `c${i}` });
    await writer.question({ text: 'Mijn naam is Jan. Kan ik waterstof gebruiken om te lassen?', lang: 'nl', decision: 'fallback', candidates: [], conversationId: 'c9' });
    await writer.feedback({ entryId: 'cobot-cost', vote: 'down', lang: 'nl', conversationId: 'c1' });
    await writer.close();
    await store.close();
    const html = path.join(dir, 'out.html');
    const r = await runNode(['dist/src/cli/kb.js', 'report', '--html', html], { env: { STORAGE: 'sqlite', DATA_DIR: dir } });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/1\. "Wat kost een cobot met grijper ongeveer\?" — 3× \(disambiguate 3\)/);
    expect(r.stdout).toMatch(/nearest entries: cobot-cost \(0\.\d+\)/);
    expect(r.stdout).toMatch(/2\. "Mijn naam is \[name\]\. Kan ik waterstof gebruiken om te lassen\?" — 1×/);
    expect(r.stdout).toMatch(/2\. [^\n]+\n[^\n]+\n[^\n]+\n +→ new entry needed/);
    expect(r.stdout).toMatch(/👎 {4}1 {2}👍 {4}0 {2}cobot-cost — Wat kost een cobot/);
    expect(fs.readFileSync(html, 'utf8')).toMatch(/Mijn naam is \[name\]/);
  });

  it('explains its options and refuses bad ones', async () => {
    const help = await runNode(['dist/src/cli/kb.js', 'report', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/--html <file>/);
    const bad = await runNode(['dist/src/cli/kb.js', 'report', '--days', 'many']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe('--days many is not valid: use a whole number of days, 1 or more.\n');
  });
});
