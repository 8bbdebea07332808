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
    env: ctx.childEnv({ PORT: String(port), HOST: LOOPBACK, LOG_LEVEL: 'warn', KNOWLEDGE_DIR: o.knowledgeDir ?? ctx.knowledgeDir, DATA_DIR: dataDir }),
    // --trace-gc (one short line per collection) shows the live heap after each full GC: a leak
    // shows there, where RSS mostly shows how far V8 lets the heap grow before collecting.
    nodeFlags: [...(o.fullGcs ? ['--trace-gc'] : []), ...(o.nodeFlags ?? [])],
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
