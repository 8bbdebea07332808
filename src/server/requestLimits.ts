/**
 * The rate limits of the chat endpoints, from the config (RATE_LIMIT_* and TRUST_PROXY):
 *
 * - per client address: every request to the web chat endpoints (Direct Line, the Azure token
 *   exchange, WebSocket connects) and to /api/messages while it is open (no app id);
 * - per client address: new chat tokens and token refreshes;
 * - per conversation: messages, starts, reconnects, stream connects and refreshes, whatever
 *   address they come from.
 *
 * The first refusal of a key is logged at warn (not every one: an attack must not flood the log).
 */
import type { IncomingMessage } from 'node:http';
import type { Logger } from 'pino';
import type { LimitsConfig } from '../config';
import type { Refusal, Throttle } from '../channels/http/throttle';
import { clientAddress, clientKey } from './clientAddress';
import { RateLimiter, type Verdict } from './rateLimit';

export interface RequestLimitsOptions {
  readonly logger: Logger;
  /** The most keys each limit tracks (default 10000). */
  readonly maxKeys?: number;
  readonly now?: () => number;
}

export class RequestLimits implements Throttle {
  private readonly perClient: RateLimiter;
  private readonly perConversation: RateLimiter;
  private readonly tokens: RateLimiter;

  constructor(
    private readonly config: LimitsConfig,
    private readonly options: RequestLimitsOptions,
  ) {
    const common = { maxKeys: options.maxKeys, now: options.now };
    this.perClient = new RateLimiter({ perMinute: config.ipPerMinute, ...common });
    this.perConversation = new RateLimiter({ perMinute: config.conversationPerMinute, ...common });
    this.tokens = new RateLimiter({ perMinute: config.tokensPerMinute, ...common });
  }

  /** The client's address: the socket's, or X-Forwarded-For as far as TRUST_PROXY allows. */
  addressOf(req: IncomingMessage): string {
    return clientAddress(req.socket?.remoteAddress, req.headers['x-forwarded-for'], this.config.trustProxyHops);
  }

  client(req: IncomingMessage): Refusal | null {
    const address = this.addressOf(req);
    return this.refusal(this.perClient.take(clientKey(address)), 'client', address, (s) => `Too many requests from your address; try again in ${s} seconds.`);
  }

  token(req: IncomingMessage): Refusal | null {
    const address = this.addressOf(req);
    return this.refusal(this.tokens.take(clientKey(address)), 'tokens', address, (s) => `Too many new chats from your address; try again in ${s} seconds.`);
  }

  conversation(conversationId: string): Refusal | null {
    return this.refusal(this.perConversation.take(conversationId), 'conversation', conversationId, (s) => `Too many messages in this conversation; wait ${s} seconds before sending the next one.`);
  }

  /**
   * For /api/messages with an app id: Bot Framework's channel service is the caller there, many
   * users behind few addresses, so only requests that fail authentication count against an
   * address (`failedAuthentication`), and an address over the limit is refused before its token
   * is even looked at.
   */
  clientBlocked(req: IncomingMessage): Refusal | null {
    const address = this.addressOf(req);
    return this.refusal(this.perClient.peek(clientKey(address)), 'client', address, (s) => `Too many refused requests from your address; try again in ${s} seconds.`);
  }

  failedAuthentication(req: IncomingMessage): void {
    const address = this.addressOf(req);
    this.refusal(this.perClient.take(clientKey(address)), 'client', address, () => '');
  }

  /** Keys tracked by the three limits together (for tests and diagnostics). */
  get trackedKeys(): number {
    return this.perClient.size + this.perConversation.size + this.tokens.size;
  }

  private refusal(verdict: Verdict, limit: 'client' | 'tokens' | 'conversation', who: string, message: (seconds: number) => string): Refusal | null {
    if (verdict.ok) return null;
    if (verdict.first) {
      const setting = limit === 'client' ? 'RATE_LIMIT_IP_PER_MINUTE' : limit === 'tokens' ? 'RATE_LIMIT_TOKENS_PER_MINUTE' : 'RATE_LIMIT_CONVERSATION_PER_MINUTE';
      this.options.logger.warn(
        { limit, ...(limit === 'conversation' ? { conversationId: who } : { client: who }), retryAfterSeconds: verdict.retryAfterSeconds },
        `rate limit reached (${setting}); refusing with 429 until the budget refills`,
      );
    }
    return { retryAfterSeconds: verdict.retryAfterSeconds, message: message(verdict.retryAfterSeconds) };
  }
}
