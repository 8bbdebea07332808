/**
 * A stand-in for a Bot Framework channel: the bot's replies (POSTed to
 * {serviceUrl}/v3/conversations/{id}/activities/...) land here for the test to look at.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface CapturedActivity {
  type: string;
  text?: string;
  name?: string;
  value?: any;
  locale?: string;
  attachments?: Array<{ contentType: string; content: any }>;
  conversation?: { id: string };
  replyToId?: string;
  [key: string]: unknown;
}

export interface CaptureServer {
  readonly url: string;
  readonly activities: CapturedActivity[];
  /** Resolves when `count` activities of a conversation have arrived (or rejects after `ms`). */
  waitFor(conversationId: string, count: number, ms?: number): Promise<CapturedActivity[]>;
  forConversation(conversationId: string): CapturedActivity[];
  close(): Promise<void>;
}

export async function startCaptureServer(): Promise<CaptureServer> {
  const activities: CapturedActivity[] = [];
  let seq = 0;
  const waiters: Array<() => void> = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      const m = /^\/v3\/conversations\/([^/]+)\/activities/.exec(req.url ?? '');
      if (req.method === 'POST' && m) {
        try {
          const a = JSON.parse(body) as CapturedActivity;
          a.conversation = a.conversation ?? { id: decodeURIComponent(m[1]!) };
          activities.push(a);
        } catch {
          // ignore
        }
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ id: `captured-${++seq}` }));
        waiters.splice(0).forEach((w) => w());
        return;
      }
      res.writeHead(404);
      res.end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const forConversation = (id: string) => activities.filter((a) => a.conversation?.id === id);
  return {
    url,
    activities,
    forConversation,
    waitFor(conversationId, count, ms = 10000) {
      return new Promise((resolve, reject) => {
        const deadline = setTimeout(() => reject(new Error(`timed out waiting for ${count} activities in ${conversationId}; got ${JSON.stringify(forConversation(conversationId).map((a) => a.type + ':' + (a.text ?? a.name ?? '')))}`)), ms);
        const check = () => {
          const got = forConversation(conversationId);
          if (got.length >= count) {
            clearTimeout(deadline);
            resolve(got);
          } else waiters.push(check);
        };
        check();
      });
    },
    close: () => new Promise((r) => server.close(() => r())),
  };
}
