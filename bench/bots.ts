/** Starting our bot and the echo bot as child processes the way the benchmark needs them. */
import path from 'node:path';
import fs from 'node:fs';
import type { BenchContext } from './context';
import { freePort, LOOPBACK, startChild, type Child } from './processes';

/**
 * Our bot: `node dist/src/index.js` on a free loopback port with LOG_LEVEL=warn and the embedded
 * defaults otherwise (its working folder is a temp folder without .env; storage, if the build
 * has a STORAGE setting, on its default, with its data in the temp folder).
 */
export async function startOurs(ctx: BenchContext, o: { knowledgeDir?: string; name?: string; nodeFlags?: readonly string[] } = {}): Promise<Child> {
  const port = await freePort();
  const dataDir = path.join(ctx.tmp(), `data-${port}`);
  fs.mkdirSync(dataDir, { recursive: true });
  const child = await startChild({
    name: o.name ?? 'our bot',
    args: [path.join(ctx.repo, 'dist/src/index.js')],
    cwd: ctx.tmp(),
    port,
    env: ctx.childEnv({ PORT: String(port), HOST: LOOPBACK, LOG_LEVEL: 'warn', KNOWLEDGE_DIR: o.knowledgeDir ?? ctx.knowledgeDir, DATA_DIR: dataDir }),
    nodeFlags: o.nodeFlags,
    timeoutMs: 60000,
  });
  ctx.starts.ours.push(child.readyMs);
  return child;
}

export async function startEcho(ctx: BenchContext): Promise<Child> {
  const port = await freePort();
  const child = await startChild({
    name: 'echo bot',
    args: [path.join(ctx.repo, 'dist/bench/echoBot.js'), '--port', String(port), '--host', LOOPBACK],
    cwd: ctx.tmp(),
    port,
    env: ctx.childEnv({}),
    timeoutMs: 30000,
  });
  ctx.starts.echo.push(child.readyMs);
  return child;
}
