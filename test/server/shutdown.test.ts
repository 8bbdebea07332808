/**
 * SIGTERM while the bot is busy: the real process (SQLite store) under continuous load from 16
 * conversations gets SIGTERM. The turns in progress finish with their replies, their state is
 * written, nothing answers 5xx, and the process exits 0 well within the grace period.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startBotProcess, type BotProcess } from '../support/botProcess';

const CONVERSATIONS = 16;
const GRACE_SECONDS = 5;
const QUESTIONS = ['What is a digital twin?', 'How do I start with predictive maintenance?', 'What does a cobot cost?', 'Is there a fieldlab for 3D printing?'];

interface Sent {
  readonly conversation: string;
  readonly start: number;
  end: number;
  status: number | null;
  error: string | null;
}

function message(conversation: string, text: string) {
  return { type: 'message', channelId: 'emulator', deliveryMode: 'expectReplies', conversation: { id: conversation }, from: { id: 'user-1' }, recipient: { id: 'bot' }, locale: 'nl-NL', text };
}

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sia-shutdown-'));
let bot: BotProcess | null = null;
afterAll(async () => {
  await bot?.kill9();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('SIGTERM under load', () => {
  it('finishes the turns in progress, keeps their state, and exits 0 within the grace period', async () => {
    const env = { STORAGE: 'sqlite', DATA_DIR: dataDir, SHUTDOWN_GRACE_SECONDS: String(GRACE_SECONDS) };
    bot = await startBotProcess(env);
    const url = `${bot.url}/api/messages`;
    const sent: Sent[] = [];
    let stopped = false;
    const worker = async (k: number) => {
      const conversation = `busy-${k}`;
      for (let i = 0; !stopped; i++) {
        const s: Sent = { conversation, start: Date.now(), end: 0, status: null, error: null };
        sent.push(s);
        try {
          const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(message(conversation, QUESTIONS[i % QUESTIONS.length]!)), signal: AbortSignal.timeout(10_000) });
          await res.text();
          s.status = res.status;
        } catch (e) {
          s.error = String((e as Error).cause ?? e);
          stopped = true; // the server is gone: this worker is done
        }
        s.end = Date.now();
      }
    };
    const workers = Array.from({ length: CONVERSATIONS }, (_, k) => worker(k));
    await new Promise((r) => setTimeout(r, 1500));

    const before = sent.filter((s) => s.status === 200).length;
    const signalled = Date.now();
    const exitCode = await bot.stop(); // SIGTERM, then waits for the exit
    const tookMs = Date.now() - signalled;
    stopped = true;
    await Promise.all(workers);

    expect(before).toBeGreaterThan(50); // it was busy
    expect(exitCode).toBe(0);
    expect(tookMs).toBeLessThan(GRACE_SECONDS * 1000);
    expect(sent.filter((s) => s.status !== null && s.status !== 200)).toEqual([]); // never a 5xx (nor anything else)
    // Turns in progress at the signal were answered.
    const spanning = sent.filter((s) => s.start < signalled && s.end >= signalled && s.status === 200);
    expect(spanning.length).toBeGreaterThan(0);
    const logs = bot.logs().map((l) => l.msg);
    expect(logs).toContain('stopped');
    expect(logs.some((m) => /grace period over/.test(m))).toBe(false);
    bot = null;

    // The state of every answered conversation was written: after a restart it still speaks English.
    bot = await startBotProcess(env);
    const answered = [...new Set(sent.filter((s) => s.status === 200).map((s) => s.conversation))];
    expect(answered.length).toBe(CONVERSATIONS);
    for (const c of answered) {
      const r = await bot.post(message(c, ''));
      expect(r.json.activities[0].locale).toBe('en-US');
    }
    expect(await bot.stop()).toBe(0);
    bot = null;
  }, 60_000);
});
