/**
 * Load over the real Bot Framework protocol: virtual users POST message activities to
 * /api/messages (keep-alive connections), each waiting for its answer before the next message
 * (a closed loop, `concurrency` users at a time). Replies reach a capture server in this process,
 * given as the activities' serviceUrl — or come back in the HTTP body with
 * deliveryMode "expectReplies".
 *
 * Conversations: one per virtual user per round (`<prefix>-u<n>`), so a conversation carries
 * state from message to message as a real chat does, and the state kept stays bounded.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Lang } from '../src/knowledge/types';
import { LOOPBACK } from './processes';

export interface Question {
  readonly q: string;
  readonly lang: Lang;
}

export type DeliveryMode = 'serviceUrl' | 'expectReplies';

export interface CaptureServer {
  readonly url: string;
  /** Reply POSTs received so far. */
  replies(): number;
  /** Starts keeping the parsed reply activities (for checks outside the timed rounds). */
  keep(on: boolean): void;
  kept(): Array<{ conversation: string; activity: any }>;
  /** Starts recording the replyToId of every reply (the soak's "every reply delivered"). */
  track(on: boolean): void;
  /** How many replies arrived for each message id (replyToId) while tracking. */
  repliesTo(): ReadonlyMap<string, number>;
  close(): Promise<void>;
}

/** The channel's side: answers the bot's reply POSTs with 200 and an id, as a connector does. */
export async function startCaptureServer(): Promise<CaptureServer> {
  let replies = 0;
  let keeping = false;
  let tracking = false;
  const kept: Array<{ conversation: string; activity: any }> = [];
  const repliesTo = new Map<string, number>();
  const server = http.createServer({ keepAlive: true }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => (keeping || tracking) && chunks.push(c));
    req.on('end', () => {
      const m = /^\/v3\/conversations\/([^/]+)\/activities/.exec(req.url ?? '');
      if (req.method === 'POST' && m) {
        replies++;
        if (keeping || tracking) {
          let activity: any = null;
          try {
            activity = JSON.parse(Buffer.concat(chunks).toString('utf8'));
          } catch {
            // kept as null: the check that reads it says what is wrong
          }
          if (keeping) kept.push({ conversation: decodeURIComponent(m[1]!), activity });
          const to = activity?.replyToId;
          if (tracking && typeof to === 'string') repliesTo.set(to, (repliesTo.get(to) ?? 0) + 1);
        }
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(`{"id":"r${replies}"}`);
        return;
      }
      res.writeHead(404);
      res.end();
    });
  });
  server.keepAliveTimeout = 30000;
  await new Promise<void>((r) => server.listen(0, LOOPBACK, r));
  const url = `http://${LOOPBACK}:${(server.address() as AddressInfo).port}`;
  return {
    url,
    replies: () => replies,
    keep(on) {
      keeping = on;
      if (on) kept.length = 0;
    },
    kept: () => kept,
    track(on) {
      tracking = on;
      if (on) repliesTo.clear();
    },
    repliesTo: () => repliesTo,
    close: () =>
      new Promise<void>((r) => {
        server.close(() => r());
        server.closeAllConnections();
      }),
  };
}

export function keepAliveAgent(): http.Agent {
  return new http.Agent({ keepAlive: true, maxSockets: 256, keepAliveMsecs: 10000 });
}

export interface LoadOptions {
  readonly port: number;
  readonly agent: http.Agent;
  readonly concurrency: number;
  readonly durationMs: number;
  readonly mode: DeliveryMode;
  /** The capture server's URL (also sent with expectReplies, as channels do; the bot does not call it then). */
  readonly serviceUrl: string;
  readonly questions: readonly Question[];
  readonly conversationPrefix: string;
  /** Where in the question list the users start (rounds start elsewhere, so they ask other questions). */
  readonly offset?: number;
  /** Parse every answer and keep it (warm-up checks only: parsing costs client time). */
  readonly keepAnswers?: boolean;
  /** Told the id of every message answered with 200 (also after the window closed). */
  readonly onAnswered?: (messageId: string) => void;
}

export interface LoadResult {
  /** Messages answered (HTTP 200) within the window. */
  readonly completed: number;
  /** Messages answered in all, also those answered after the window closed (for replies per message). */
  readonly answeredTotal: number;
  readonly errors: number;
  readonly firstError: string | null;
  readonly durationMs: number;
  readonly messagesPerSecond: number;
  /** Latency of every answered message in the window, ms. */
  readonly latencies: number[];
  /** The answers kept with `keepAnswers`: the question and the reply texts in the body. */
  readonly answers: Array<{ question: string; conversation: string; texts: string[] }>;
}

let sequence = 0;

function post(port: number, agent: http.Agent, body: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: LOOPBACK, port, method: 'POST', path: '/api/messages', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

export function messageActivity(o: { id: string; text: string; lang: Lang; conversation: string; user: string; serviceUrl: string; mode: DeliveryMode }): string {
  return JSON.stringify({
    type: 'message',
    id: o.id,
    channelId: 'webchat',
    serviceUrl: o.serviceUrl,
    conversation: { id: o.conversation },
    from: { id: o.user, name: 'Bench user' },
    recipient: { id: 'bot', name: 'Bot' },
    locale: o.lang === 'nl' ? 'nl-NL' : 'en-US',
    text: o.text,
    ...(o.mode === 'expectReplies' ? { deliveryMode: 'expectReplies' } : {}),
  });
}

/** `concurrency` virtual users for `durationMs`; only messages answered within the window count. */
export async function runLoad(o: LoadOptions): Promise<LoadResult> {
  const latencies: number[] = [];
  const answers: LoadResult['answers'] = [];
  let errors = 0;
  let answeredTotal = 0;
  let firstError: string | null = null;
  const n = o.questions.length;
  const stride = Math.max(1, Math.floor(n / o.concurrency));
  const start = performance.now();
  const end = start + o.durationMs;
  const user = async (u: number) => {
    const conversation = `${o.conversationPrefix}-u${u}`;
    for (let k = 0; performance.now() < end; k++) {
      const question = o.questions[((o.offset ?? 0) + u * stride + k) % n]!;
      const id = `bench-${++sequence}`;
      const body = messageActivity({ id, text: question.q, lang: question.lang, conversation, user: `${o.conversationPrefix}-user${u}`, serviceUrl: o.serviceUrl, mode: o.mode });
      const t0 = performance.now();
      let status = 0;
      let text = '';
      try {
        ({ status, text } = await post(o.port, o.agent, body));
      } catch (e) {
        text = (e as Error).message;
      }
      const t1 = performance.now();
      if (status === 200) {
        answeredTotal++;
        o.onAnswered?.(id);
      }
      if (t1 > end) break;
      if (status === 200) {
        latencies.push(t1 - t0);
        if (o.keepAnswers) {
          let texts: string[] = [];
          if (o.mode === 'expectReplies') {
            try {
              texts = (JSON.parse(text).activities as Array<{ type: string; text?: string }>).filter((a) => a.type === 'message').map((a) => a.text ?? '');
            } catch {
              texts = [];
            }
          }
          answers.push({ question: question.q, conversation, texts });
        }
      } else {
        errors++;
        firstError ??= `HTTP ${status}: ${text.slice(0, 200)}`;
        if (status === 0) await new Promise((r) => setTimeout(r, 5)); // connection trouble: do not spin
      }
    }
  };
  await Promise.all(Array.from({ length: o.concurrency }, (_, u) => user(u)));
  const durationMs = o.durationMs;
  return { completed: latencies.length, answeredTotal, errors, firstError, durationMs, messagesPerSecond: (latencies.length * 1000) / durationMs, latencies, answers };
}
