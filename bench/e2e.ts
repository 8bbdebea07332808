/**
 * Part 1, end to end: messages per second and latency through POST /api/messages for our bot and
 * for the bare echo bot, interleaved round by round (ours, echo, ours, echo…) at each concurrency
 * and delivery mode, and the ratio ours/echo of each pair. Our bot's RSS is read after warm-up,
 * after every round and after `loadSeconds` of load in all.
 */
import type { BenchContext } from './context';
import { startEcho, startOurs, type FullGc } from './bots';
import { keepAliveAgent, runLoad, startCaptureServer, type CaptureServer, type DeliveryMode, type LoadResult, type Question } from './load';
import { rssMb, type Child } from './processes';
import { median, pairedRatio, percentile, round, seededShuffle, spread } from './stats';

export const E2E_GOAL_RATIO = 0.9;
export const RSS_GOAL_MB = 200;
/** RSS may settle after warm-up (JIT, heap sizing); more than this over the load is growth. */
export const RSS_GROWTH_LIMIT_MB = 20;

export interface SideResult {
  /** Per round. */
  readonly rounds: ReadonlyArray<{ readonly messagesPerSecond: number | null; readonly p50: number | null; readonly p99: number | null; readonly completed: number; readonly errors: number }>;
  /** Medians over the rounds. */
  readonly messagesPerSecond: number | null;
  readonly p50: number | null;
  readonly p99: number | null;
  readonly errors: number;
  /** max/min of the rounds' messages per second, and whether they differ widely. */
  readonly spread: { readonly factor: number | null; readonly wide: boolean };
}

export interface E2ECase {
  readonly mode: DeliveryMode;
  readonly concurrency: number;
  readonly ours: SideResult;
  readonly echo: SideResult;
  /** Median of the per-round ratios ours/echo (messages per second). */
  readonly ratio: number | null;
  readonly ratioRounds: ReadonlyArray<number | null>;
}

export interface MemoryResult {
  readonly rssAfterWarmupMb: number | null;
  readonly rssAfterLoadMb: number | null;
  /** The highest RSS read during the load. */
  readonly peakRssMb: number | null;
  readonly growthMb: number | null;
  /**
   * The V8 heap that survived each full GC during the load (--trace-gc): flat = no leak, whatever
   * RSS does; RSS mostly shows how far V8 lets garbage pile up before it collects.
   */
  readonly liveHeap: { readonly fullGcs: number; readonly firstMb: number | null; readonly lastMb: number | null; readonly maxMb: number | null };
  readonly loadSeconds: number;
  readonly samples: ReadonlyArray<{ readonly loadSeconds: number; readonly rssMb: number | null }>;
  readonly measuredOn: string;
}

export interface E2EResult {
  readonly windowMs: number;
  readonly rounds: number;
  readonly questions: number;
  readonly conversations: string;
  readonly repliesPerMessage: { readonly ours: number | null; readonly echo: number | null };
  readonly cases: readonly E2ECase[];
  readonly memory: MemoryResult;
}

/** The labelled questions in a fixed shuffled order (topics and languages mixed). */
export function loadQuestions(ctx: BenchContext): Question[] {
  return seededShuffle(
    ctx.knowledge().tests.map((t) => ({ q: t.q, lang: t.lang })),
    7,
  );
}

function side(results: readonly LoadResult[]): SideResult {
  const rounds = results.map((r) => ({
    messagesPerSecond: round(r.messagesPerSecond, 1),
    p50: round(percentile(r.latencies, 50)),
    p99: round(percentile(r.latencies, 99)),
    completed: r.completed,
    errors: r.errors,
  }));
  const mps = results.map((r) => r.messagesPerSecond);
  const s = spread(mps);
  return {
    rounds,
    messagesPerSecond: round(median(mps), 1),
    p50: round(median(results.map((r) => percentile(r.latencies, 50)))),
    p99: round(median(results.map((r) => percentile(r.latencies, 99)))),
    errors: results.reduce((a, r) => a + r.errors, 0),
    spread: { factor: round(s.factor, 2), wide: s.wide },
  };
}

export function liveHeap(gcs: readonly FullGc[]): MemoryResult['liveHeap'] {
  return {
    fullGcs: gcs.length,
    firstMb: gcs.length ? round(gcs[0]!.afterMb, 1) : null,
    lastMb: gcs.length ? round(gcs[gcs.length - 1]!.afterMb, 1) : null,
    maxMb: gcs.length ? round(Math.max(...gcs.map((g) => g.afterMb)), 1) : null,
  };
}

interface Target {
  readonly name: 'ours' | 'echo';
  readonly child: Child;
  readonly agent: ReturnType<typeof keepAliveAgent>;
}

/** Warm-up, with the answers checked: the benchmark must measure real answers, not errors. */
async function warmUp(t: Target, capture: CaptureServer, questions: readonly Question[], ms: number): Promise<number> {
  const modes: DeliveryMode[] = ['serviceUrl', 'expectReplies'];
  let replyRatio = NaN;
  for (const mode of modes) {
    const before = capture.replies();
    capture.keep(true);
    const r = await runLoad({ port: t.child.port, agent: t.agent, concurrency: 8, durationMs: ms / 2, mode, serviceUrl: capture.url, questions, conversationPrefix: `warm-${t.name}-${mode}`, keepAnswers: true });
    capture.keep(false);
    if (r.errors) throw new Error(`${t.name}: ${r.errors} error(s) during warm-up (${mode}): ${r.firstError}`);
    if (!r.completed) throw new Error(`${t.name}: no message answered during warm-up (${mode})`);
    if (mode === 'serviceUrl') {
      const kept = capture.kept().filter((k) => k.activity?.type === 'message');
      replyRatio = (capture.replies() - before) / r.answeredTotal;
      if (kept.length < r.answeredTotal) throw new Error(`${t.name}: ${r.answeredTotal} messages answered but only ${kept.length} message replies reached the serviceUrl`);
      if (t.name === 'echo') {
        const asked = new Set(questions.map((q) => q.q));
        const wrong = kept.filter((k) => !asked.has(k.activity.text));
        if (wrong.length) throw new Error(`echo bot: a reply is not the message text: ${JSON.stringify(wrong[0]!.activity.text)}`);
      }
    } else {
      const empty = r.answers.filter((a) => a.texts.length === 0);
      if (empty.length > r.answers.length * 0.02) throw new Error(`${t.name}: ${empty.length} of ${r.answers.length} expectReplies answers hold no message (e.g. "${empty[0]!.question}")`);
      if (t.name === 'echo' && r.answers.some((a) => a.texts[0] !== a.question)) throw new Error('echo bot: an expectReplies answer is not the message text');
    }
  }
  // The widest concurrency once, so that every connection is open before the timed rounds.
  await runLoad({ port: t.child.port, agent: t.agent, concurrency: 32, durationMs: Math.min(1000, ms / 4), mode: 'serviceUrl', serviceUrl: capture.url, questions, conversationPrefix: `warm-${t.name}-wide` });
  return replyRatio;
}

export async function runE2E(ctx: BenchContext, partBudgetSeconds: number): Promise<E2EResult> {
  const o = ctx.options;
  const partEnd = performance.now() + partBudgetSeconds * 1000;
  const questions = loadQuestions(ctx);
  const capture = await startCaptureServer();
  const children: Child[] = [];
  try {
    ctx.progress('e2e: starting our bot and the echo bot (loopback, free ports)');
    const fullGcs: FullGc[] = [];
    const ours: Target = { name: 'ours', child: await startOurs(ctx, { fullGcs }), agent: keepAliveAgent() };
    children.push(ours.child);
    const echo: Target = { name: 'echo', child: await startEcho(ctx), agent: keepAliveAgent() };
    children.push(echo.child);
    ctx.progress(`e2e: ready (ours ${Math.round(ours.child.readyMs)} ms, echo ${Math.round(echo.child.readyMs)} ms); warming up with checked answers`);
    const warmMs = o.quick ? 1000 : 2000;
    const oursReplies = await warmUp(ours, capture, questions, warmMs);
    const echoReplies = await warmUp(echo, capture, questions, warmMs);
    await new Promise((r) => setTimeout(r, 200));
    const loadStart = performance.now();
    const rssWarm = rssMb(ours.child.pid);
    const samples: Array<{ loadSeconds: number; rssMb: number | null }> = [{ loadSeconds: 0, rssMb: round(rssWarm, 1) }];
    let oursLoadMs = 0;

    const modes: DeliveryMode[] = ['serviceUrl', 'expectReplies'];
    const cases: E2ECase[] = [];
    const total = o.concurrency.length * modes.length;
    let rounds = o.rounds;
    let offset = 0;
    let caseNo = 0;
    for (const c of o.concurrency) {
      for (const mode of modes) {
        caseNo++;
        // Keep within the budget: fewer rounds for the cases left, never fewer than one.
        const left = total - caseNo + 1;
        const need = (rounds * 2 * o.windowMs * left) / 1000 + 2;
        if (need > (partEnd - performance.now()) / 1000 && rounds > 1) {
          const fit = Math.max(1, Math.floor(((partEnd - performance.now()) / 1000 - 2) / ((2 * o.windowMs * left) / 1000)));
          if (fit < rounds) {
            ctx.note(`e2e: ${fit} round(s) instead of ${rounds} from c=${c} ${mode} on, to stay within the time budget`);
            rounds = fit;
          }
        }
        const oursRuns: LoadResult[] = [];
        const echoRuns: LoadResult[] = [];
        for (let r = 0; r < rounds; r++) {
          for (const t of [ours, echo]) {
            const res = await runLoad({ port: t.child.port, agent: t.agent, concurrency: c, durationMs: o.windowMs, mode, serviceUrl: capture.url, questions, conversationPrefix: `${t.name}-${mode}-c${c}-r${r}`, offset });
            if (t === ours) {
              oursRuns.push(res);
              oursLoadMs += o.windowMs;
              samples.push({ loadSeconds: round(oursLoadMs / 1000, 1)!, rssMb: round(rssMb(ours.child.pid), 1) });
            } else echoRuns.push(res);
          }
          offset += 97;
          const a = oursRuns[r]!;
          const b = echoRuns[r]!;
          ctx.progress(`e2e: c=${c} ${mode} round ${r + 1}/${rounds}: ours ${a.messagesPerSecond.toFixed(0)} msg/s (p99 ${percentile(a.latencies, 99).toFixed(1)} ms), echo ${b.messagesPerSecond.toFixed(0)} msg/s (p99 ${percentile(b.latencies, 99).toFixed(1)} ms)`);
        }
        const oursSide = side(oursRuns);
        const echoSide = side(echoRuns);
        if (oursSide.errors || echoSide.errors) ctx.note(`e2e c=${c} ${mode}: errors ours ${oursSide.errors}, echo ${echoSide.errors} (${oursRuns.find((x) => x.firstError)?.firstError ?? echoRuns.find((x) => x.firstError)?.firstError})`);
        const ratioRounds = oursRuns.map((x, i) => round(x.messagesPerSecond / echoRuns[i]!.messagesPerSecond, 3));
        cases.push({ mode, concurrency: c, ours: oursSide, echo: echoSide, ratio: round(pairedRatio(oursRuns.map((x) => x.messagesPerSecond), echoRuns.map((x) => x.messagesPerSecond)), 3), ratioRounds });
      }
    }

    // Top up our bot's load to `loadSeconds` in all (concurrency 8, both delivery modes), reading RSS as it goes.
    for (let k = 0; oursLoadMs < o.loadSeconds * 1000 && performance.now() < partEnd; k++) {
      const ms = Math.min(2500, o.loadSeconds * 1000 - oursLoadMs);
      await runLoad({ port: ours.child.port, agent: ours.agent, concurrency: 8, durationMs: ms, mode: k % 2 ? 'expectReplies' : 'serviceUrl', serviceUrl: capture.url, questions, conversationPrefix: `load-${Math.round(oursLoadMs)}`, offset: (offset += 97) });
      oursLoadMs += ms;
      samples.push({ loadSeconds: round(oursLoadMs / 1000, 1)!, rssMb: round(rssMb(ours.child.pid), 1) });
    }
    if (oursLoadMs < o.loadSeconds * 1000) ctx.note(`memory: our bot had ${(oursLoadMs / 1000).toFixed(1)} s of load, not ${o.loadSeconds} s (time budget)`);
    await new Promise((r) => setTimeout(r, 200));
    const rssLoad = rssMb(ours.child.pid);
    samples.push({ loadSeconds: round(oursLoadMs / 1000, 1)!, rssMb: round(rssLoad, 1) });
    ctx.progress(`e2e: our bot's RSS ${rssWarm.toFixed(0)} MB after warm-up, ${rssLoad.toFixed(0)} MB after ${(oursLoadMs / 1000).toFixed(0)} s of load`);

    return {
      windowMs: o.windowMs,
      rounds: o.rounds,
      questions: questions.length,
      conversations: 'one per virtual user per round (state carried from message to message, bounded in number)',
      repliesPerMessage: { ours: round(oursReplies, 2), echo: round(echoReplies, 2) },
      cases,
      memory: {
        rssAfterWarmupMb: round(rssWarm, 1),
        rssAfterLoadMb: round(rssLoad, 1),
        peakRssMb: round(Math.max(...samples.map((x) => x.rssMb ?? 0)), 1),
        growthMb: round(rssLoad - rssWarm, 1),
        liveHeap: liveHeap(fullGcs.filter((g) => g.at >= loadStart)),
        loadSeconds: round(oursLoadMs / 1000, 1)!,
        samples,
        measuredOn: 'the e2e run of our bot (shipped knowledge)',
      },
    };
  } finally {
    for (const c of children) await c.stop();
    await capture.close();
  }
}
