/**
 * Azure Direct Line: the page never sees the Direct Line secret. POST /api/directline/token
 * exchanges the secret, server-side, for a token of one new conversation (Direct Line's
 * POST {endpoint}/tokens/generate with `Authorization: Bearer <secret>`), bound to a fresh user
 * id, and gives the page {token, conversationId, expires_in}. The secret is never logged.
 */
import type { Request, Response, Server } from 'restify';
import type { Logger } from 'pino';
import { newUserId } from '../directline/ids';
import { NO_THROTTLE, sendTooManyRequests, type Throttle } from '../http/throttle';

export interface TokenExchangeOptions {
  readonly secret: string;
  /** e.g. https://directline.botframework.com/v3/directline (or a regional endpoint). */
  readonly endpoint: string;
  readonly logger: Logger;
  readonly timeoutMs?: number;
  readonly fetch?: typeof fetch;
  /** Each exchange is a new Azure conversation: counted as a new token of the client's address. */
  readonly throttle?: Throttle;
}

export interface DirectLineGrant {
  readonly token: string;
  readonly conversationId: string;
  readonly expires_in: number;
}

export class DirectLineExchangeError extends Error {
  constructor(
    message: string,
    readonly status: number | null,
  ) {
    super(message);
    this.name = 'DirectLineExchangeError';
  }
}

export class AzureDirectLineTokens {
  constructor(private readonly options: TokenExchangeOptions) {}

  /** A conversation token from Azure Direct Line for a new user. */
  async exchange(): Promise<DirectLineGrant> {
    const url = `${this.options.endpoint}/tokens/generate`;
    const doFetch = this.options.fetch ?? fetch;
    let res: globalThis.Response;
    try {
      res = await doFetch(url, {
        method: 'POST',
        headers: { Authorization: `Bearer ${this.options.secret}`, 'Content-Type': 'application/json', Accept: 'application/json' },
        body: JSON.stringify({ user: { id: newUserId() } }),
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 10_000),
      });
    } catch (e) {
      throw new DirectLineExchangeError(`could not reach Azure Direct Line at ${url}: ${(e as Error).name === 'TimeoutError' ? 'timed out' : (e as Error).message}`, null);
    }
    if (res.status === 401 || res.status === 403) {
      throw new DirectLineExchangeError(`Azure Direct Line refused DIRECTLINE_SECRET (HTTP ${res.status}): copy a secret key of the Direct Line channel of your Azure Bot into DIRECTLINE_SECRET`, res.status);
    }
    if (!res.ok) throw new DirectLineExchangeError(`Azure Direct Line answered HTTP ${res.status} to tokens/generate`, res.status);
    const body = (await res.json().catch(() => null)) as Partial<DirectLineGrant> | null;
    if (!body || typeof body.token !== 'string' || typeof body.conversationId !== 'string') {
      throw new DirectLineExchangeError('Azure Direct Line answered tokens/generate without a token and conversationId', res.status);
    }
    return { token: body.token, conversationId: body.conversationId, expires_in: typeof body.expires_in === 'number' ? body.expires_in : 1800 };
  }

  register(server: Server): void {
    server.post('/api/directline/token', async (req: Request, res: Response) => {
      const refusal = (this.options.throttle ?? NO_THROTTLE).token(req);
      if (refusal) {
        sendTooManyRequests(res, refusal, 'directline');
        return;
      }
      try {
        const grant = await this.exchange();
        res.setHeader('Cache-Control', 'no-store');
        res.json(grant);
      } catch (e) {
        const status = e instanceof DirectLineExchangeError ? e.status : null;
        this.options.logger.error({ upstreamStatus: status, reason: (e as Error).message }, 'no Direct Line token for the web chat');
        res.status(502);
        res.json({ error: { code: 'BadGateway', message: 'The chat service did not give a token; try again in a minute.' } });
      }
    });
  }
}

/** The answer when Azure Direct Line is not configured. */
export function registerTokenEndpointNotConfigured(server: Server): void {
  server.post('/api/directline/token', async (_req: Request, res: Response) => {
    res.status(404);
    res.json({ error: { code: 'NotFound', message: 'Azure Direct Line is not configured (DIRECTLINE_SECRET is empty); this bot serves its own Direct Line at /v3/directline.' } });
  });
}
