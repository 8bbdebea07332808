/**
 * Direct Line tokens of the local Direct Line: HS256 JWTs bound to one conversation and one
 * user, with an expiry. A refresh gives a new token for the same conversation; a chain of
 * refreshes never outlives the maximum lifetime counted from the first token.
 *
 * The `user` claim is the one Web Chat reads to take the user id from the token.
 */
import jwt from 'jsonwebtoken';

const ISSUER = 'smart-industry-advisor/directline';
const CONVERSATION_AUDIENCE = 'directline:conversation';
const STREAM_AUDIENCE = 'directline:stream';
/** A stream URL is used right after it is handed out; a short life keeps leaked URLs useless. */
const STREAM_TOKEN_SECONDS = 120;

export interface TokenGrant {
  readonly conversationId: string;
  readonly token: string;
  /** Seconds until the token expires. */
  readonly expiresIn: number;
}

export interface ConversationClaims {
  readonly conversationId: string;
  readonly userId: string;
  /** When the first token of this chain was issued (seconds since the epoch). */
  readonly chainStartedAt: number;
  /** Seconds since the epoch. */
  readonly expiresAt: number;
}

export type TokenProblem = 'missing' | 'invalid' | 'expired' | 'chainEnded';

export type Verified = { readonly ok: true; readonly claims: ConversationClaims } | { readonly ok: false; readonly problem: TokenProblem; readonly message: string };

export interface TokenOptions {
  readonly secret: string;
  readonly ttlSeconds: number;
  readonly maxLifetimeSeconds: number;
  /** Milliseconds since the epoch (tests pass a clock). */
  readonly now?: () => number;
}

interface Payload {
  conv: string;
  user: string;
  oit: number;
  iat: number;
  exp: number;
}

export class DirectLineTokens {
  private readonly now: () => number;

  constructor(private readonly options: TokenOptions) {
    if (options.secret.length < 32) throw new Error('the Direct Line token secret needs at least 32 characters');
    this.now = options.now ?? Date.now;
  }

  private seconds(): number {
    return Math.floor(this.now() / 1000);
  }

  /** A token for a conversation and user; `chainStartedAt` carries a refresh chain along. */
  issue(conversationId: string, userId: string, chainStartedAt?: number): TokenGrant {
    const iat = this.seconds();
    const oit = chainStartedAt ?? iat;
    const exp = Math.min(iat + this.options.ttlSeconds, oit + this.options.maxLifetimeSeconds);
    const payload: Payload = { conv: conversationId, user: userId, oit, iat, exp };
    const token = jwt.sign(payload, this.options.secret, { algorithm: 'HS256', issuer: ISSUER, audience: CONVERSATION_AUDIENCE, subject: userId });
    return { conversationId, token, expiresIn: exp - iat };
  }

  verify(token: string | undefined): Verified {
    return this.check(token, CONVERSATION_AUDIENCE);
  }

  /** A new token for the same conversation and user, as long as the chain may live. */
  refresh(token: string | undefined): { ok: true; grant: TokenGrant } | { ok: false; problem: TokenProblem; message: string } {
    const v = this.verify(token);
    if (!v.ok) return v;
    const { conversationId, userId, chainStartedAt } = v.claims;
    if (this.seconds() >= chainStartedAt + this.options.maxLifetimeSeconds) {
      return { ok: false, problem: 'chainEnded', message: 'This conversation has reached its maximum length; reload the page to start a new one.' };
    }
    return { ok: true, grant: this.issue(conversationId, userId, chainStartedAt) };
  }

  /** A short-lived token for the WebSocket stream URL of one conversation. */
  streamToken(claims: ConversationClaims): string {
    const iat = this.seconds();
    const payload: Payload = { conv: claims.conversationId, user: claims.userId, oit: claims.chainStartedAt, iat, exp: Math.min(iat + STREAM_TOKEN_SECONDS, claims.expiresAt) };
    return jwt.sign(payload, this.options.secret, { algorithm: 'HS256', issuer: ISSUER, audience: STREAM_AUDIENCE, subject: claims.userId });
  }

  verifyStreamToken(token: string | undefined): Verified {
    return this.check(token, STREAM_AUDIENCE);
  }

  private check(token: string | undefined, audience: string): Verified {
    if (!token) {
      return { ok: false, problem: 'missing', message: 'No token: send "Authorization: Bearer <token>" with a token from POST /v3/directline/tokens/generate.' };
    }
    try {
      const p = jwt.verify(token, this.options.secret, { algorithms: ['HS256'], issuer: ISSUER, audience, clockTimestamp: this.seconds() }) as Partial<Payload>;
      if (typeof p.conv !== 'string' || typeof p.user !== 'string' || typeof p.oit !== 'number' || typeof p.exp !== 'number') {
        return { ok: false, problem: 'invalid', message: 'The token is not a Direct Line token of this server; get a new one from POST /v3/directline/tokens/generate.' };
      }
      return { ok: true, claims: { conversationId: p.conv, userId: p.user, chainStartedAt: p.oit, expiresAt: p.exp } };
    } catch (e) {
      if (e instanceof jwt.TokenExpiredError) {
        return { ok: false, problem: 'expired', message: 'The token has expired; refresh it before it expires (POST /v3/directline/tokens/refresh) or reload the page.' };
      }
      return { ok: false, problem: 'invalid', message: 'The token is not valid here (wrong signature or format, or issued before the server restarted); reload the page for a new one.' };
    }
  }
}

/** The token of an `Authorization: Bearer …` header. */
export function bearerToken(header: string | string[] | undefined): string | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(value ?? '');
  return m ? m[1] : undefined;
}
