/** Starting our bot and the echo bot as child processes the way the benchmark needs them. */
import path from 'node:path';
import fs from 'node:fs';
import type { BenchContext } from './context';
import { freePort, LOOPBACK, startChild, type Child } from './processes';

/** V8's --trace-gc line of a full GC: "Mark-Compact 217.3 (238.6) -> 67.5 (192.6) MB": the heap before and after. */
const MARK_COMPACT = /Mark-Compact\b[^\d]*([\d.]+) \(([\d.]+)\) -> ([\d.]+) \(([\d.]+)\) MB/;

export function parseFullGc(line: string): { beforeMb: number; afterMb: number } | null {
  const m = MARK_COMPACT.exec(line);
  return m ? { beforeMb: Number(m[1]), afterMb: Number(m[3]) } : null;
}

export interface FullGc {
  /** performance.now() of the benchmark when the line arrived. */
  readonly at: number;
  readonly beforeMb: number;
  /** The live heap: what survived the full collection. */
  readonly afterMb: number;
}

/** The node flags of `npm start` (package.json), so that what is measured is the bot as it starts. */
export function startNodeFlags(repo: string): string[] {
  const start: string = JSON.parse(fs.readFileSync(path.join(repo, 'package.json'), 'utf8')).scripts?.start ?? '';
  const m = /\bnode((?:\s+--\S+)*)\s+dist\/src\/index\.js/.exec(start);
  return m ? m[1]!.split(/\s+/).filter(Boolean) : [];
}

/**
 * Our bot: `node dist/src/index.js` with the node flags of `npm start`, on a free loopback port
 * with LOG_LEVEL=warn, rate limits off and the embedded defaults otherwise (its working folder is
 * a temp folder without .env; state in SQLite, in the temp folder). `nodeFlags` come after the
 * start flags, so they win.
 */
export async function startOurs(
  ctx: BenchContext,
  o: { knowledgeDir?: string; name?: string; nodeFlags?: readonly string[]; fullGcs?: FullGc[] } = {},
): Promise<Child> {
  const port = await freePort();
  const dataDir = path.join(ctx.tmp(), `data-${port}`);
  fs.mkdirSync(dataDir, { recursive: true });
  const child = await startChild({
    name: o.name ?? 'our bot',
    args: [path.join(ctx.repo, 'dist/src/index.js')],
    cwd: ctx.tmp(),
    port,
    // Rate limits off: all the load comes from one address and a few conversations, which the
    // limits would rightly answer with 429; the benchmark measures the bot, not the limiter.
    env: ctx.childEnv({ PORT: String(port), HOST: LOOPBACK, LOG_LEVEL: 'warn', KNOWLEDGE_DIR: o.knowledgeDir ?? ctx.knowledgeDir, DATA_DIR: dataDir, RATE_LIMIT_IP_PER_MINUTE: '0', RATE_LIMIT_CONVERSATION_PER_MINUTE: '0' }),
    // --trace-gc (one short line per collection) shows the live heap after each full GC: a leak
    // shows there, where RSS mostly shows how far V8 lets the heap grow before collecting.
    nodeFlags: [...startNodeFlags(ctx.repo), ...(o.fullGcs ? ['--trace-gc'] : []), ...(o.nodeFlags ?? [])],
    onLine: o.fullGcs
      ? (line) => {
          const gc = parseFullGc(line);
          if (gc) o.fullGcs!.push({ at: performance.now(), ...gc });
        }
      : undefined,
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
