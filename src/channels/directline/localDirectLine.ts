/**
 * The local Direct Line: the web widget's channel when there is no Azure Direct Line. Brings
 * together the tokens, the conversation store, the REST routes, the WebSocket stream and the
 * connector endpoint, and hands the user's activities to the bot through its own CloudAdapter.
 */
import type http from 'node:http';
import type { Activity, TurnContext } from 'botbuilder';
import type { Request, Server } from 'restify';
import type { Logger } from 'pino';
import { DirectLineTokens, type ConversationClaims } from './tokens';
import { ConversationStore, type Conversation } from './conversationStore';
import { DirectLineBotConnection } from './botConnection';
import { CONNECTOR_PATH, registerConnectorEndpoint } from './connectorEndpoint';
import { DIRECTLINE_PATH, registerDirectLineRoutes } from './routes';
import { DirectLineStream } from './stream';
import { toBotActivity, type ClientActivity, type Party } from './incomingActivity';
import { newConversationId, newSecret, newUserId } from './ids';
import type { OriginPolicy } from '../http/originPolicy';
import { NO_THROTTLE, type Throttle } from '../http/throttle';

export interface LocalDirectLineOptions {
  /** '' = a random secret for this process (tokens then do not survive a restart). */
  readonly tokenSecret: string;
  readonly tokenTtlSeconds: number;
  readonly tokenMaxLifetimeSeconds: number;
  readonly webSocket: boolean;
  readonly maxConversations: number;
  readonly maxQueuedActivities: number;
  readonly idleSeconds: number;
  /** Public address of the bot ('' = use the request's Host header for stream URLs). */
  readonly publicUrl: string;
  readonly origins: OriginPolicy;
  /** Rate limits (default: none). */
  readonly throttle?: Throttle;
  /** The bot as the user sees it in activities. */
  readonly bot: Party;
  readonly botLogic: (context: TurnContext) => Promise<void>;
  readonly onTurnError: (context: TurnContext, error: Error) => Promise<void>;
  readonly logger: Logger;
  readonly now?: () => number;
}

export class LocalDirectLine {
  readonly tokens: DirectLineTokens;
  readonly store: ConversationStore;
  readonly stream: DirectLineStream | null;
  /** True when the token secret was generated for this process. */
  readonly ephemeralSecret: boolean;
  private readonly connection: DirectLineBotConnection;
  private readonly connectorSecret = newSecret();
  private serviceUrl = '';
  private readonly now: () => number;

  constructor(private readonly options: LocalDirectLineOptions) {
    this.now = options.now ?? Date.now;
    this.ephemeralSecret = !options.tokenSecret;
    this.tokens = new DirectLineTokens({
      secret: options.tokenSecret || newSecret(),
      ttlSeconds: options.tokenTtlSeconds,
      maxLifetimeSeconds: options.tokenMaxLifetimeSeconds,
      now: this.now,
    });
    this.store = new ConversationStore({
      maxConversations: options.maxConversations,
      maxQueued: options.maxQueuedActivities,
      idleMs: options.idleSeconds * 1000,
      maxAgeMs: options.tokenMaxLifetimeSeconds * 1000,
      now: this.now,
    });
    this.connection = new DirectLineBotConnection({ botLogic: options.botLogic, onTurnError: options.onTurnError, connectorSecret: this.connectorSecret });
    this.stream = options.webSocket ? new DirectLineStream({ store: this.store, tokens: this.tokens, origins: options.origins, logger: options.logger, throttle: options.throttle ?? NO_THROTTLE }) : null;
  }

  /** The routes: /v3/directline/… for clients, /directline-connector/… for the bot's replies. */
  register(server: Server): void {
    registerConnectorEndpoint(server, { store: this.store, connectorSecret: this.connectorSecret, logger: this.options.logger });
    registerDirectLineRoutes(server, {
      tokens: this.tokens,
      store: this.store,
      logger: this.options.logger,
      now: this.now,
      throttle: this.options.throttle ?? NO_THROTTLE,
      newConversationToken: () => this.tokens.issue(newConversationId(), newUserId()),
      start: (claims, locale) => this.start(claims, locale),
      receive: (conversation, activity) => this.receive(conversation, activity),
      streamUrl: (req, claims, watermark) => this.streamUrl(req, claims, watermark),
    });
  }

  /**
   * Starts the WebSocket stream on the http server and the sweep, and sets where the bot sends
   * its replies: this server's own connector endpoint (`localBaseUrl` = how this process reaches
   * itself, e.g. http://127.0.0.1:3978).
   */
  listen(httpServer: http.Server, localBaseUrl: string): void {
    this.serviceUrl = `${localBaseUrl}${CONNECTOR_PATH}`;
    this.stream?.attach(httpServer);
    this.store.startSweeping(Math.min(60_000, Math.max(1000, Math.floor((this.options.idleSeconds * 1000) / 4))));
  }

  stop(): void {
    this.store.stop();
    this.stream?.stop();
  }

  /** Creates the conversation and sends the bot its conversationUpdate (the welcome) exactly once. */
  private async start(claims: ConversationClaims, locale: string | undefined): Promise<Conversation | null> {
    const conversation = this.store.create(claims.conversationId, claims.userId, locale);
    if (!conversation) return null;
    await conversation.exclusive(async () => {
      if (conversation.started) return;
      conversation.started = true;
      const update = {
        type: 'conversationUpdate',
        id: `${conversation.id}.start`,
        channelId: 'webchat',
        serviceUrl: this.serviceUrl,
        conversation: { id: conversation.id },
        from: { id: conversation.userId, role: 'user' },
        recipient: { ...this.options.bot, role: 'bot' },
        membersAdded: [{ id: conversation.userId, role: 'user' }],
        timestamp: new Date(this.now()),
        ...(conversation.locale ? { locale: conversation.locale } : {}),
      } as unknown as Activity;
      try {
        await this.connection.deliver(update);
      } catch (err) {
        this.options.logger.error({ err, conversationId: conversation.id }, 'Direct Line could not send the conversation start to the bot');
      }
    });
    return conversation;
  }

  /** The user's activity: echoed to the client (Web Chat waits for it), then the bot's turn. */
  private receive(conversation: Conversation, a: ClientActivity): Promise<Activity> {
    return conversation.exclusive(async () => {
      const activity = toBotActivity(a, {
        conversationId: conversation.id,
        userId: conversation.userId,
        bot: this.options.bot,
        serviceUrl: this.serviceUrl,
        fallbackLocale: conversation.locale,
      });
      const forClient = { ...activity } as Partial<Activity>;
      delete forClient.serviceUrl;
      if (a.type === 'typing') return { ...activity, id: `${conversation.id}.typing` } as Activity;
      const stored = this.store.appendNow(conversation, forClient as Activity);
      await this.connection.deliver({ ...stored, serviceUrl: this.serviceUrl } as Activity);
      return stored;
    });
  }

  private streamUrl(req: Request, claims: ConversationClaims, watermark: number | undefined): string | undefined {
    if (!this.stream) return undefined;
    // Behind a TLS proxy without PUBLIC_URL, X-Forwarded-Proto tells that the page uses https.
    const secure = String(req.headers['x-forwarded-proto'] ?? '').split(',')[0]!.trim() === 'https' || Boolean((req.socket as { encrypted?: boolean }).encrypted);
    const base = this.options.publicUrl || `${secure ? 'https' : 'http'}://${req.headers.host ?? 'localhost'}`;
    const wsBase = base.replace(/^http/, 'ws');
    const query = new URLSearchParams({ t: this.tokens.streamToken(claims) });
    if (watermark) query.set('watermark', String(watermark));
    return `${wsBase}${DIRECTLINE_PATH}/conversations/${claims.conversationId}/stream?${query.toString()}`;
  }
}
