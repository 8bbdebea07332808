/**
 * The checks around Bot Framework authentication of POST /api/messages (with an app id), as
 * plain functions:
 *
 * - `precheckAuthorization`: what can be refused without any key: no Authorization header, not
 *   "Bearer <JWT>", a JWT that is not RS256/384/512 or has expired. Refusing these first means a
 *   junk request never makes the bot fetch Bot Framework's signing keys.
 * - `classifyAuthFailure`: what an error of botframework-connector's verification means. A token
 *   it rejects is 401; keys it could not fetch (no network to login.botframework.com, a timeout)
 *   are 503: the caller is not known to be wrong, the bot cannot check right now. The connector
 *   itself turns both into a 500 with the error's text (and rethrows a bad signature as a 500).
 *
 * Reasons are for the log and never contain the token.
 */

/** Bot Framework's own tolerance for clock differences (botframework-connector: 5 minutes). */
export const CLOCK_TOLERANCE_SECONDS = 5 * 60;
const ALGORITHMS = new Set(['RS256', 'RS384', 'RS512']);
const BASE64URL = /^[A-Za-z0-9_-]+$/;

export type Precheck = { readonly ok: true } | { readonly ok: false; readonly reason: string };

function segment(part: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

export function precheckAuthorization(header: string | string[] | undefined, nowSeconds: number): Precheck {
  const value = Array.isArray(header) ? header[0] : header;
  if (!value || !value.trim()) return { ok: false, reason: 'no Authorization header' };
  // botframework-connector takes exactly "Bearer <token>" (one space, this case).
  const m = /^Bearer ([^\s]+)$/.exec(value);
  if (!m) return { ok: false, reason: 'the Authorization header is not "Bearer <token>"' };
  const parts = m[1]!.split('.');
  if (parts.length !== 3 || !parts.every((p) => BASE64URL.test(p))) return { ok: false, reason: 'the bearer token is not a JWT' };
  const head = segment(parts[0]!);
  const payload = segment(parts[1]!);
  if (!head || !payload) return { ok: false, reason: 'the bearer token is not a JWT' };
  if (typeof head.alg !== 'string' || !ALGORITHMS.has(head.alg)) {
    return { ok: false, reason: `the token is signed with ${JSON.stringify(String(head.alg)).slice(0, 20)}, not RS256/RS384/RS512` };
  }
  if (typeof payload.exp !== 'number') return { ok: false, reason: 'the token has no expiry' };
  if (payload.exp + CLOCK_TOLERANCE_SECONDS < nowSeconds) {
    return { ok: false, reason: `the token expired ${Math.round(nowSeconds - payload.exp)} s ago` };
  }
  return { ok: true };
}

export type AuthFailure = { readonly kind: 'unauthorized' | 'unavailable'; readonly reason: string };

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE', 'UND_ERR_CONNECT_TIMEOUT']);
const NETWORK_NAMES = new Set(['FetchError', 'AbortError', 'TimeoutError', 'AuthTimeoutError']);
const TOKEN_NAMES = new Set(['JsonWebTokenError', 'TokenExpiredError', 'NotBeforeError']);

/** An error's message for the log: one line, short, without anything shaped like a JWT. */
export function safeReason(err: unknown): string {
  const e = err as { name?: unknown; message?: unknown } | null;
  const name = typeof e?.name === 'string' ? e.name : 'Error';
  const message = typeof e?.message === 'string' ? e.message : String(err);
  return `${name}: ${message}`
    .replace(/eyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*(\.[A-Za-z0-9_-]*)?/g, '[token]')
    .replace(/\s+/g, ' ')
    .slice(0, 300);
}

export function classifyAuthFailure(err: unknown): AuthFailure {
  const e = (err ?? {}) as { name?: string; code?: string; statusCode?: unknown; cause?: { code?: string } };
  const reason = safeReason(err);
  // botframework-connector's AuthenticationError carries a statusCode: 401 for a rejected token,
  // 500 when the OpenID metadata or the keys could not be loaded.
  if (typeof e.statusCode === 'number') return { kind: e.statusCode >= 500 ? 'unavailable' : 'unauthorized', reason };
  if (TOKEN_NAMES.has(e.name ?? '')) return { kind: 'unauthorized', reason };
  if (NETWORK_NAMES.has(e.name ?? '') || NETWORK_CODES.has(e.code ?? '') || NETWORK_CODES.has(e.cause?.code ?? '')) return { kind: 'unavailable', reason };
  // Anything else from the verification (a malformed key document, …) did not prove who is calling.
  if (e.name === 'SyntaxError') return { kind: 'unavailable', reason };
  return { kind: 'unauthorized', reason };
}

export class AuthTimeoutError extends Error {
  constructor(ms: number) {
    super(`Bot Framework token verification took longer than ${ms} ms`);
    this.name = 'AuthTimeoutError';
  }
}

/** The promise, or an AuthTimeoutError after `ms` (the work itself goes on in the background). */
export function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new AuthTimeoutError(ms)), ms);
    timer.unref();
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}
