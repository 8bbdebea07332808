/**
 * What the chat endpoints ask before they do work for a client: may this address make another
 * request, get another token, may this conversation take another message. The limits themselves
 * live in src/server (RequestLimits); the channels only know this interface. A refusal is answered
 * with 429, a Retry-After header in seconds and a JSON message that says how long to wait.
 */
import type { IncomingMessage } from 'node:http';
import type { Next, Request, Response, Server } from 'restify';

export interface Refusal {
  readonly retryAfterSeconds: number;
  readonly message: string;
}

export interface Throttle {
  /** Counts one request of the client (by address); null = go ahead. */
  client(req: IncomingMessage): Refusal | null;
  /** Counts one new or refreshed chat token for the client's address. */
  token(req: IncomingMessage): Refusal | null;
  /** Counts one message, start, reconnect or refresh of a conversation. */
  conversation(conversationId: string): Refusal | null;
}

/** No limits (tests of other things, or every limit set to 0). */
export const NO_THROTTLE: Throttle = Object.freeze({ client: () => null, token: () => null, conversation: () => null });

/**
 * Answers 429. `shape` 'directline' wraps the body as Direct Line does ({error: {code, message}});
 * 'plain' is the {code, message} of the server's other errors.
 */
export function sendTooManyRequests(res: Response, refusal: Refusal, shape: 'directline' | 'plain'): void {
  const body = { code: 'TooManyRequests', message: refusal.message };
  res.header('Retry-After', String(refusal.retryAfterSeconds));
  res.status(429);
  res.json(shape === 'directline' ? { error: body } : body);
}

/** The raw HTTP answer for a refused WebSocket upgrade (there is no restify response there). */
export function tooManyRequestsUpgradeReply(refusal: Refusal): string {
  const body = JSON.stringify({ error: { code: 'TooManyRequests', message: refusal.message } });
  return `HTTP/1.1 429 Too Many Requests\r\nRetry-After: ${refusal.retryAfterSeconds}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`;
}

/** Whether a path is one of the prefixes or below one. */
export function underPrefix(path: string, prefixes: readonly string[]): boolean {
  return prefixes.some((p) => path === p || path.startsWith(p.endsWith('/') ? p : `${p}/`));
}

/**
 * A restify `pre` handler counting every request under the prefixes against the client's
 * address (register it after the CORS handler, so that a browser can read the 429).
 */
export function registerClientLimit(server: Server, throttle: Throttle, prefixes: readonly string[], shape: 'directline' | 'plain'): void {
  server.pre((req: Request, res: Response, next: Next) => {
    if (req.method === 'OPTIONS' || !underPrefix(req.path(), prefixes)) return next();
    const refusal = throttle.client(req);
    if (!refusal) return next();
    sendTooManyRequests(res, refusal, shape);
    return next(false);
  });
}
