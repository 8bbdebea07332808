/**
 * The soak (`npm run soak`): its verdicts on made-up results, and a short real run against our bot
 * (8 conversations, 4 s after a 2 s warm-up): no failed request, every answered message's reply
 * arrived at the serviceUrl. The full soak (32 conversations, 60 s, RSS growth ≤ 20 MB) is run by
 * people and its figures go into BENCHMARKS.md; RSS over 4 s says nothing, so its bound is wide here.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { formatSoak, parseSoakOptions, soakChecks, type SoakResult } from '../../bench/soak';
import { REPO } from '../support/testConfig';
import { runNode } from '../support/run';

function result(over: Partial<SoakResult> = {}): SoakResult {
  return {
    options: { conversations: 32, seconds: 60, warmupSeconds: 20, p99Ms: 1000, rssGrowthMb: 20, nodeFlags: [] },
    machine: { cores: 2, node: 'v20' },
    messages: 1000,
    messagesPerSecond: 100,
    errors: 0,
    firstError: null,
    undelivered: 0,
    replies: 1100,
    p50Ms: 100,
    p99Ms: 300,
    maxMs: 400,
    rssAfterWarmupMb: 300,
    rssEndMb: 310,
    rssPeakMb: 330,
    liveHeap: { fullGcs: 3, firstMb: 70, lastMb: 71, maxMb: 72 },
    intervals: [{ atSeconds: 10, messages: 170, p99Ms: 290, rssMb: 305 }],
    ...over,
  };
}

const verdicts = (r: SoakResult) => Object.fromEntries(soakChecks(r).map((c) => [c.id, c.ok]));

describe('soak verdicts', () => {
  it('passes a clean run and fails each check on its own cause', () => {
    expect(verdicts(result())).toEqual({ errors: true, delivered: true, p99: true, memory: true });
    expect(verdicts(result({ errors: 2, firstError: 'HTTP 500: x' }))).toMatchObject({ errors: false, delivered: true });
    expect(verdicts(result({ undelivered: 1 }))).toMatchObject({ errors: true, delivered: false });
    expect(verdicts(result({ p99Ms: 1000.1 }))).toMatchObject({ p99: false });
    expect(verdicts(result({ rssEndMb: 320.1 }))).toMatchObject({ memory: false });
    expect(verdicts(result({ rssEndMb: null }))).toMatchObject({ memory: false });
    // Nothing answered is no success.
    expect(verdicts(result({ messages: 0 }))).toMatchObject({ errors: false, delivered: false });
  });

  it('says what failed in the summary', () => {
    const r = result({ undelivered: 3 });
    const text = formatSoak(r, soakChecks(r));
    expect(text).toMatch(/^FAIL {2}every answered message got its reply: 3 without a reply/m);
    expect(text).toMatch(/^ok {4}RSS growth after the warm-up ≤ 20 MB: 10 MB \(300 → 310 MB, peak 330 MB\)/m);
  });

  it('reads its options and refuses bad ones with the allowed range', () => {
    expect(parseSoakOptions([], '/repo')).toMatchObject({ conversations: 32, seconds: 60, warmupSeconds: 20, p99Ms: 1000, rssGrowthMb: 20, nodeFlags: [], out: '/repo/bench/results/soak.json' });
    expect(parseSoakOptions(['--node-flags=--max-old-space-size=256  --trace-gc'], '/repo')).toMatchObject({ nodeFlags: ['--max-old-space-size=256', '--trace-gc'] });
    expect(parseSoakOptions(['--conversations', '0'], '/repo')).toEqual({ error: '--conversations "0": use a number from 1 to 512' });
    expect(parseSoakOptions(['--bogus'], '/repo')).toHaveProperty('error');
    expect(parseSoakOptions(['--help'], '/repo')).toEqual({ help: true });
  });
});

describe('npm run soak (short)', () => {
  it('keeps 8 conversations busy without a failed request or a lost reply, and writes its results', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sia-soak-'));
    try {
      const out = path.join(dir, 'soak.json');
      const r = await runNode(['dist/bench/soak.js', '--conversations', '8', '--seconds', '4', '--warmup', '2', '--p99-ms', '10000', '--rss-growth-mb', '100000', '--out', out], { cwd: REPO, timeoutMs: 90_000 });
      expect(r.stderr).not.toMatch(/took too long/);
      expect(r.code).toBe(0);
      const json = JSON.parse(fs.readFileSync(out, 'utf8'));
      expect(json.messages).toBeGreaterThan(8);
      expect(json.errors).toBe(0);
      expect(json.undelivered).toBe(0);
      expect(json.replies).toBeGreaterThanOrEqual(json.messages);
      expect(json.intervals).toHaveLength(1);
      expect(json.checks.map((c: { ok: boolean }) => c.ok)).toEqual([true, true, true, true]);
      expect(r.stdout).toMatch(/^Soak: 8 conversations for 4 s after a 2 s warm-up/m);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 100_000);
});
