/**
 * The Direct Line 3.0 REST endpoints, as Web Chat's own client (botframework-directlinejs)
 * calls them: tokens/generate, tokens/refresh, conversations (start and reconnect), activities
 * (poll with a watermark, post). Errors use Direct Line's codes: 401 without a valid token, 403
 * for an expired token or another conversation's token (the client then refreshes or gives up),
 * 404 for a conversation that ended, 429 with Retry-After over a rate limit (see ../http/throttle).
 */
import type { Request, Response, Server } from 'restify';
import type { Logger } from 'pino';
import type { Activity } from 'botbuilder';
import { bearerToken, type ConversationClaims, type DirectLineTokens, type TokenGrant } from './tokens';
import type { Conversation, ConversationStore } from './conversationStore';
import { readClientActivity, type ClientActivity } from './incomingActivity';
import { sendError } from './errors';
import { sendTooManyRequests, type Refusal, type Throttle } from '../http/throttle';

export const DIRECTLINE_PATH = '/v3/directline';
const LOCALE = /^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8}){0,3}$/;

export interface DirectLineRoutesDeps {
  readonly tokens: DirectLineTokens;
  readonly store: ConversationStore;
  readonly logger: Logger;
  readonly now: () => number;
  /** Rate limits: tokens per client address, messages per conversation (the per-address limit is a `pre` handler). */
  readonly throttle: Throttle;
  /** A token for a new conversation with a new user. */
  newConversationToken(): TokenGrant;
  /** Creates the conversation and sends the bot its start (once); null when no room is left. */
  start(claims: ConversationClaims, locale: string | undefined): Promise<Conversation | null>;
  /** Stores the user's activity for the client and runs the bot's turn; returns the stored activity. */
  receive(conversation: Conversation, activity: ClientActivity): Promise<Activity>;
  /** The WebSocket URL for this conversation, or undefined when streaming is off. */
  streamUrl(req: Request, claims: ConversationClaims, watermark: number | undefined): string | undefined;
}

function parseWatermark(raw: unknown): number | null {
  if (raw === undefined || raw === null || raw === '') return 0;
  if (typeof raw === 'string' && /^\d{1,15}$/.test(raw)) return Number(raw);
  return null;
}

export function registerDirectLineRoutes(server: Server, deps: DirectLineRoutesDeps): void {
  /** The token's claims, or null after answering 401/403. */
  const authorize = (req: Request, res: Response, conversationId?: string): ConversationClaims | null => {
    const v = deps.tokens.verify(bearerToken(req.headers.authorization));
    if (!v.ok) {
      const unauthorized = v.problem === 'missing' || v.problem === 'invalid';
      sendError(res, unauthorized ? 401 : 403, unauthorized ? 'Unauthorized' : 'TokenExpired', v.message);
      return null;
    }
    if (conversationId !== undefined && v.claims.conversationId !== conversationId) {
      deps.logger.warn({ path: req.path() }, 'refused a Direct Line token used on another conversation');
      sendError(res, 403, 'Forbidden', 'This token belongs to another conversation; use the token you got for this conversation.');
      return null;
    }
    return v.claims;
  };

  /** True after answering 429 for a refusal. */
  const refused = (res: Response, refusal: Refusal | null): boolean => {
    if (refusal) sendTooManyRequests(res, refusal, 'directline');
    return refusal !== null;
  };

  /** The conversation of the path, or null after answering 404. */
  const conversationOf = (res: Response, claims: ConversationClaims): Conversation | null => {
    const c = deps.store.get(claims.conversationId);
    if (!c) {
      sendError(res, 404, 'NotFound', 'This conversation has ended or expired; reload the page to start a new one.');
      return null;
    }
    return c;
  };

  const conversationReply = (req: Request, claims: ConversationClaims, token: string, watermark?: number) => {
    const streamUrl = deps.streamUrl(req, claims, watermark);
    return {
      conversationId: claims.conversationId,
      token,
      expires_in: Math.max(0, claims.expiresAt - Math.floor(deps.now() / 1000)),
      ...(streamUrl ? { streamUrl } : {}),
    };
  };

  server.post(`${DIRECTLINE_PATH}/tokens/generate`, async (req: Request, res: Response) => {
    if (refused(res, deps.throttle.token(req))) return;
    const grant = deps.newConversationToken();
    res.json({ conversationId: grant.conversationId, token: grant.token, expires_in: grant.expiresIn });
  });

  server.post(`${DIRECTLINE_PATH}/tokens/refresh`, async (req: Request, res: Response) => {
    if (refused(res, deps.throttle.token(req))) return;
    const r = deps.tokens.refresh(bearerToken(req.headers.authorization));
    if (!r.ok) {
      const unauthorized = r.problem === 'missing' || r.problem === 'invalid';
      sendError(res, unauthorized ? 401 : 403, unauthorized ? 'Unauthorized' : 'TokenExpired', r.message);
      return;
    }
    if (refused(res, deps.throttle.conversation(r.grant.conversationId))) return;
    deps.store.get(r.grant.conversationId); // a refresh shows the conversation is still in use
    res.json({ conversationId: r.grant.conversationId, token: r.grant.token, expires_in: r.grant.expiresIn });
  });

  server.post(`${DIRECTLINE_PATH}/conversations`, async (req: Request, res: Response) => {
    const claims = authorize(req, res);
    if (!claims || refused(res, deps.throttle.conversation(claims.conversationId))) return;
    const body = (req.body ?? {}) as { locale?: unknown };
    const locale = typeof body.locale === 'string' && LOCALE.test(body.locale) ? body.locale : undefined;
    const existed = deps.store.get(claims.conversationId) !== undefined;
    const conversation = await deps.start(claims, locale);
    if (!conversation) {
      deps.logger.warn({ conversations: deps.store.size }, 'local Direct Line is full; refused a new conversation');
      sendError(res, 503, 'ServiceUnavailable', 'The chat is very busy right now; try again in a minute.', { 'Retry-After': '60' });
      return;
    }
    res.status(existed ? 200 : 201);
    res.json(conversationReply(req, claims, bearerToken(req.headers.authorization)!));
  });

  // Reconnect (botframework-directlinejs calls this to get a fresh stream URL).
  server.get(`${DIRECTLINE_PATH}/conversations/:conversationId`, async (req: Request, res: Response) => {
    const claims = authorize(req, res, String(req.params.conversationId));
    if (!claims || refused(res, deps.throttle.conversation(claims.conversationId)) || !conversationOf(res, claims)) return;
    const watermark = parseWatermark(req.query?.watermark);
    res.json(conversationReply(req, claims, bearerToken(req.headers.authorization)!, watermark ?? undefined));
  });

  server.get(`${DIRECTLINE_PATH}/conversations/:conversationId/activities`, async (req: Request, res: Response) => {
    const claims = authorize(req, res, String(req.params.conversationId));
    if (!claims) return;
    const conversation = conversationOf(res, claims);
    if (!conversation) return;
    const watermark = parseWatermark(req.query?.watermark);
    if (watermark === null) {
      sendError(res, 400, 'BadArgument', 'The watermark must be the value of "watermark" from an earlier answer (a whole number), or empty.');
      return;
    }
    res.json(conversation.after(watermark));
  });

  server.post(`${DIRECTLINE_PATH}/conversations/:conversationId/activities`, async (req: Request, res: Response) => {
    const claims = authorize(req, res, String(req.params.conversationId));
    if (!claims) return;
    const conversation = conversationOf(res, claims);
    if (!conversation) return;
    if (refused(res, deps.throttle.conversation(conversation.id))) return;
    const read = readClientActivity(req.body);
    if (!read.ok) {
      sendError(res, 400, 'BadArgument', read.message);
      return;
    }
    try {
      const stored = await deps.receive(conversation, read.activity);
      res.json({ id: stored.id });
    } catch (err) {
      deps.logger.error({ err, conversationId: conversation.id }, 'Direct Line could not deliver an activity to the bot');
      sendError(res, 500, 'ServiceError', 'The advisor could not process this message; please send it again.');
    }
  });

  server.post(`${DIRECTLINE_PATH}/conversations/:conversationId/upload`, async (req: Request, res: Response) => {
    if (!authorize(req, res, String(req.params.conversationId))) return;
    sendError(res, 400, 'BadArgument', 'Attachments are not accepted: the advisor reads text only.');
  });
}
