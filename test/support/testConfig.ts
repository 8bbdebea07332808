import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { configFromEnv, type Config } from '../../src/config';
import { createLogger, type Logger } from '../../src/log/logger';

export const REPO = path.resolve(__dirname, '../..');
export const KNOWLEDGE = path.join(REPO, 'knowledge');

export function testConfig(env: Record<string, string> = {}): Config {
  return configFromEnv({ PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent', KNOWLEDGE_DIR: KNOWLEDGE, KNOWLEDGE_POLL_MS: '50', STORAGE: 'memory', ...env }, REPO);
}

/** A logger whose lines the test can read. */
export function memoryLogger(level: 'debug' | 'info' = 'info'): { logger: Logger; lines: () => any[]; text: () => string } {
  const out: string[] = [];
  const logger = createLogger({ level, destination: { write: (l: string) => void out.push(l) } });
  return { logger, lines: () => out.map((l) => JSON.parse(l)), text: () => out.join('') };
}

/** A copy of the shipped knowledge folder that a test may edit. */
export function copyKnowledge(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sia-knowledge-'));
  fs.cpSync(KNOWLEDGE, dir, { recursive: true });
  return dir;
}

export async function waitUntil(check: () => boolean | Promise<boolean>, ms = 5000, step = 25): Promise<void> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, step));
  }
  throw new Error(`condition not met within ${ms} ms`);
}
