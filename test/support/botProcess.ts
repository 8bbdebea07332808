/**
 * The real bot as a child process (`node dist/src/index.js`, built by `npm test`), with
 * environment overrides: started on 127.0.0.1 and a port of its own choosing (PORT=0; the
 * ready log line says which), stopped by its pid — cleanly (SIGTERM) or as a crash (kill -9).
 * It uses the default store (SQLite) in a fresh temporary DATA_DIR unless the test passes one:
 * pass the same DATA_DIR to a second process to restart on, or share, the same data.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { KNOWLEDGE, REPO } from './testConfig';

export interface BotProcess {
  readonly pid: number;
  readonly port: number;
  readonly url: string;
  /** The JSON log lines so far. */
  logs(): any[];
  /** Everything the process wrote so far (stdout and stderr). */
  output(): string;
  /** Resolves with the first log line that matches (rejects after `ms`). */
  waitForLog(match: (line: any) => boolean, ms?: number): Promise<any>;
  /** POSTs an activity to /api/messages; with deliveryMode expectReplies the replies are in json.activities. */
  post(activity: Record<string, unknown>): Promise<{ status: number; json: any }>;
  /** SIGTERM, then waits for the exit code. */
  stop(): Promise<number | null>;
  /** kill -9: no clean-up of any kind. */
  kill9(): Promise<void>;
}

const ENTRY = path.join(REPO, 'dist', 'src', 'index.js');

export async function startBotProcess(env: Record<string, string> = {}, options: { timeoutMs?: number } = {}): Promise<BotProcess> {
  const child: ChildProcess = spawn(process.execPath, [ENTRY], {
    cwd: REPO,
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', KNOWLEDGE_DIR: KNOWLEDGE, DATA_DIR: env.DATA_DIR ?? fs.mkdtempSync(path.join(os.tmpdir(), 'sia-bot-')), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let exited: Promise<number | null> = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
  let done = false;
  void exited.then(() => (done = true));
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const logs = () =>
    out
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => {
        try {
          return JSON.parse(l);
        } catch {
          return null;
        }
      })
      .filter(Boolean);

  const deadline = Date.now() + (options.timeoutMs ?? 30_000);
  let port = 0;
  while (!port) {
    const ready = logs().find((l) => typeof l.msg === 'string' && /is ready/.test(l.msg) && typeof l.port === 'number');
    if (ready) port = ready.port;
    else if (done) throw new Error(`the bot exited before it was ready:\n${out}`);
    else if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`the bot was not ready within ${options.timeoutMs ?? 30_000} ms:\n${out}`);
    } else await new Promise((r) => setTimeout(r, 50));
  }
  const url = `http://127.0.0.1:${port}`;
  return {
    pid: child.pid!,
    port,
    url,
    logs,
    output: () => out,
    async waitForLog(match, ms = 10_000) {
      const until = Date.now() + ms;
      for (;;) {
        const hit = logs().find(match);
        if (hit) return hit;
        if (done || Date.now() > until) throw new Error(`no matching log line within ${ms} ms:\n${out}`);
        await new Promise((r) => setTimeout(r, 25));
      }
    },
    async post(activity) {
      const res = await fetch(`${url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(activity) });
      const text = await res.text();
      let json: any = null;
      try {
        json = text ? JSON.parse(text) : null;
      } catch {
        json = null;
      }
      return { status: res.status, json };
    },
    async stop() {
      if (!done) process.kill(child.pid!, 'SIGTERM');
      return exited;
    },
    async kill9() {
      if (!done) process.kill(child.pid!, 'SIGKILL');
      await exited;
      exited = Promise.resolve(null);
    },
  };
}
