/**
 * POST /api/messages: the Bot Framework endpoint (Teams, Azure channels, the Emulator).
 *
 * CloudAdapter's own `process` answers every failure of token verification that is not an
 * AuthenticationError with a 500 carrying the error's text, writes the error with its stack to
 * stderr, and waits as long as fetching Bot Framework's signing keys takes (no timeout). So this
 * endpoint does the steps itself, in this order:
 *
 * 1. with an app id: an address that keeps failing authentication gets 429 (RATE_LIMIT_IP_PER_MINUTE
 *    counts only refused requests there: Bot Framework itself sends from few addresses);
 * 2. with an app id: the Authorization header must be a Bearer JWT that has not expired (401);
 * 3. the activity must hold the least the bot needs (400);
 * 4. the token is verified by botframework-connector, within AUTH_TIMEOUT_MS: rejected → 401,
 *    keys not reachable → 503 with Retry-After (logged, never the token);
 * 5. the conversation may not exceed RATE_LIMIT_CONVERSATION_PER_MINUTE (429);
 * 6. the turn runs; the replies (deliveryMode expectReplies) or the invoke response are the answer.
 */
import { CloudAdapter, type Activity, type ConfigurationBotFrameworkAuthentication, type TurnContext } from 'botbuilder';
import { validateAndFixActivity } from 'botbuilder/lib/activityValidator';
import type { Request, Response } from 'restify';
import type { Logger } from 'pino';
import { sendTooManyRequests, type Refusal } from '../channels/http/throttle';
import { classifyAuthFailure, precheckAuthorization, withTimeout } from './botAuth';

type AuthenticateRequestResult = Awaited<ReturnType<ConfigurationBotFrameworkAuthentication['authenticateRequest']>>;

/** A CloudAdapter whose two halves, authentication and the turn, can be called one by one. */
export class BotEndpointAdapter extends CloudAdapter {
  authenticate(activity: Activity, authHeader: string): Promise<AuthenticateRequestResult> {
    return this.botFrameworkAuthentication.authenticateRequest(activity, authHeader);
  }

  runAuthenticated(auth: AuthenticateRequestResult, activity: Activity, logic: (context: TurnContext) => Promise<void>) {
    return this.processActivity(auth, activity, logic);
  }
}

/** The limits the endpoint applies (RequestLimits implements them). */
export interface BotEndpointLimits {
  conversation(conversationId: string): Refusal | null;
  clientBlocked(req: Request): Refusal | null;
  failedAuthentication(req: Request): void;
}

export interface BotEndpointDeps {
  readonly adapter: BotEndpointAdapter;
  readonly logic: (context: TurnContext) => Promise<void>;
  /** True with an app id: every request must carry a valid Bot Framework JWT. */
  readonly authRequired: boolean;
  readonly limits: BotEndpointLimits;
  /** A plain-language reason to refuse the body with 400, or null. */
  readonly validate: (body: unknown) => string | null;
  readonly logger: Logger;
  /** How long verifying a token may take, fetching the signing keys included (default 10 s). */
  readonly authTimeoutMs?: number;
  readonly now?: () => number;
}

export const AUTH_TIMEOUT_MS = 10_000;
/** A failure to fetch the signing keys is logged at most this often (an attack must not flood the log). */
const UNAVAILABLE_LOG_EVERY_MS = 60_000;

function reply(res: Response, status: number, code: string, message: string, headers: Record<string, string> = {}): void {
  for (const [k, v] of Object.entries(headers)) res.header(k, v);
  res.status(status);
  res.json({ code, message });
}

export function botEndpointHandler(deps: BotEndpointDeps) {
  const now = deps.now ?? Date.now;
  let unavailableLoggedAt = -Infinity;
  let unavailableSince = 0;

  const unauthorized = (req: Request, res: Response, reason: string) => {
    deps.limits.failedAuthentication(req);
    deps.logger.warn({ path: req.path(), reason }, 'refused a request to /api/messages: not authenticated as Bot Framework');
    reply(res, 401, 'Unauthorized', 'This endpoint takes requests of Bot Framework channels only; the request has no valid Bot Framework token.');
  };

  return async (req: Request, res: Response): Promise<void> => {
    const header = req.headers.authorization;
    if (deps.authRequired) {
      const blocked = deps.limits.clientBlocked(req);
      if (blocked) return sendTooManyRequests(res, blocked, 'plain');
      const pre = precheckAuthorization(header, Math.floor(now() / 1000));
      if (!pre.ok) return unauthorized(req, res, pre.reason);
    }
    const problem = deps.validate(req.body);
    if (problem) return reply(res, 400, 'BadRequest', problem);
    const activity = validateAndFixActivity(req.body as Activity);

    let auth: AuthenticateRequestResult;
    try {
      auth = await withTimeout(deps.adapter.authenticate(activity, typeof header === 'string' ? header : ''), deps.authTimeoutMs ?? AUTH_TIMEOUT_MS);
    } catch (err) {
      const failure = classifyAuthFailure(err);
      if (failure.kind === 'unauthorized') return unauthorized(req, res, failure.reason);
      unavailableSince++;
      if (now() - unavailableLoggedAt >= UNAVAILABLE_LOG_EVERY_MS) {
        deps.logger.error(
          { reason: failure.reason, failures: unavailableSince },
          'cannot verify Bot Framework tokens: the signing keys could not be fetched (does this server reach https://login.botframework.com and https://login.microsoftonline.com?); answering 503',
        );
        unavailableLoggedAt = now();
        unavailableSince = 0;
      }
      return reply(res, 503, 'ServiceUnavailable', 'The bot cannot verify Bot Framework tokens right now; try again later.', { 'Retry-After': '30' });
    }

    const busy = deps.limits.conversation(activity.conversation.id);
    if (busy) return sendTooManyRequests(res, busy, 'plain');

    try {
      const invoke = await deps.adapter.runAuthenticated(auth, activity, deps.logic);
      res.status(invoke?.status ?? 200);
      if (invoke?.body !== undefined && invoke.body !== null) res.send(invoke.body);
      else res.end();
    } catch (err) {
      // Turn errors are handled by onTurnError; this is what happens around the turn.
      deps.logger.error({ err, conversationId: activity.conversation.id }, 'could not run the turn of an activity from /api/messages');
      if (!res.headersSent) reply(res, 500, 'InternalError', 'Internal error');
    }
  };
}
