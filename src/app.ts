/**
 * The composition root: builds knowledge, storage, state, dialogs, bot, adapter and server, and
 * wires them together. The only place that knows how the pieces fit.
 */
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import {
  ConfigurationBotFrameworkAuthentication,
  TranscriptLoggerMiddleware,
  type ConversationState,
  type Middleware,
  type Storage,
  type TurnContext,
  type UserState,
} from 'botbuilder';
import type { DialogState } from 'botbuilder-dialogs';
import type { Logger } from 'pino';
import type { Config } from './config';
import { KnowledgeStore, type ReloadReport } from './knowledge/store';
import { formatProblem, type Lang } from './knowledge/types';
import { prepareKnowledge } from './nlu/knowledgeIndex';
import { localeLanguage } from './nlu/language';
import { uiText } from './render/strings';
import { plainMessage } from './render/messages';
import { AdvisorBot } from './bot/advisorBot';
import { createHttpServer } from './server/httpServer';
import { validateActivity } from './server/activityCheck';
import { BotEndpointAdapter, botEndpointHandler } from './server/botEndpoint';
import { RequestLimits } from './server/requestLimits';
import { NO_THROTTLE, registerClientLimit, type Throttle } from './channels/http/throttle';
import type { Server as RestifyServer } from 'restify';
import type { Server as NodeHttpServer } from 'node:http';
import { OriginPolicy } from './channels/http/originPolicy';
import { refuseUpgrades } from './channels/http/refuseUpgrades';
import { LocalDirectLine } from './channels/directline/localDirectLine';
import { DIRECTLINE_PATH } from './channels/directline/routes';
import { AzureDirectLineTokens, registerTokenEndpointNotConfigured } from './channels/azureDirectLine/tokenExchange';
import { WebChatPage } from './channels/webchat/webChatPage';
import { MainDialog, type ConversationMemory, type InsightsSink, type UserProfile } from '../dialogs/mainDialog';
import { getTurnRequest, type AdvisorSnapshot } from '../dialogs/turnRequest';
import type { PreparedKnowledge } from './nlu/knowledgeIndex';
import { CheckedConversationState, CheckedUserState } from './storage/checkedState';
import { isStorageConflict } from './storage/contract';
import { ConversationBusyError, ConversationLockMiddleware } from './storage/conversationLock';
import { createStorage, type StorageBundle } from './storage/factory';
import { StorageTurnMiddleware } from './storage/storageTurn';
import { InsightsWriter } from './insights/insightsWriter';
import { startRetention } from './insights/retention';
import { RedactingTranscriptLogger } from './insights/transcripts';

export interface App {
  readonly url: string;
  readonly port: number;
  readonly store: KnowledgeStore<PreparedKnowledge>;
  /** Stops accepting requests, lets running turns finish (up to the grace period), stops watching. */
  stop(): Promise<void>;
}

export interface AppOptions {
  /** A Storage of the caller's own (tests) instead of the configured store: then no lock, and insights go to the log. */
  readonly storage?: Storage;
  readonly insights?: InsightsSink;
  /**
   * Bot Framework authentication settings over the ones from the config (tests point the OpenID
   * metadata at a local server, as there is no login.botframework.com to reach).
   */
  readonly botFrameworkAuth?: BotFrameworkAuthOptions;
}

type BotFrameworkAuthOptions = NonNullable<ConstructorParameters<typeof ConfigurationBotFrameworkAuthentication>[0]>;

export function logReload(logger: Logger, report: ReloadReport): void {
  if (report.unchanged) return;
  const errors = report.problems.filter((p) => p.severity === 'error');
  const warnings = report.problems.filter((p) => p.severity === 'warning');
  if (report.ok) {
    logger.info({ version: report.version, ms: Math.round(report.ms), warnings: warnings.length }, warnings.length ? `knowledge loaded with ${warnings.length} warning(s) for editors (npm run kb -- check lists them)` : 'knowledge loaded');
    for (const w of warnings) logger.debug({ problem: formatProblem(w) }, 'knowledge warning');
  } else {
    logger.error({ version: report.version, errors: errors.map(formatProblem) }, `knowledge NOT reloaded: ${errors.length} error(s); still answering from the last good version`);
  }
}

/**
 * The knowledge this process prepared last. A second bot core in the same process on the same
 * files and thresholds (the tests build many) takes it instead of building the index and training
 * the classifier again. The prepared knowledge is read-only, so sharing it is safe;
 * only the latest is kept, so a reload does not hold on to the old one.
 */
let lastPrepared: { key: string; prepared: PreparedKnowledge } | null = null;

export function createKnowledgeStore(config: Config, logger: Logger): KnowledgeStore<PreparedKnowledge> {
  const thresholds = { answer: config.answerThreshold, margin: config.answerMargin, disambiguate: config.disambiguateThreshold };
  return new KnowledgeStore<PreparedKnowledge>({
    dir: config.knowledgeDir,
    prepare: (data, version) => {
      const key = JSON.stringify([path.resolve(config.knowledgeDir), version, thresholds]);
      if (lastPrepared?.key !== key) lastPrepared = { key, prepared: prepareKnowledge(data, thresholds) };
      return lastPrepared.prepared;
    },
    onReport: (report) => logReload(logger, report),
  });
}

/** Insights go to the log until the storage layer keeps them. */
function logInsights(logger: Logger): InsightsSink {
  return {
    async feedback(e) {
      logger.info({ entryId: e.entryId, vote: e.vote, lang: e.lang }, 'feedback');
    },
    async question(e) {
      logger.info({ decision: e.decision, lang: e.lang, candidates: e.candidates.slice(0, 3) }, 'unanswered question');
    },
  };
}

/** How this process reaches its own server, given the interface it listens on. */
function selfHost(host: string): string {
  if (host === '0.0.0.0' || host === '' || host === 'localhost') return '127.0.0.1';
  if (host === '::' || host === '::1') return '[::1]';
  return host.includes(':') ? `[${host}]` : host;
}

export interface BotCore {
  readonly bot: AdvisorBot;
  readonly adapterErrorHandler: (context: TurnContext, error: Error) => Promise<void>;
  readonly store: KnowledgeStore<PreparedKnowledge>;
  readonly conversationState: ConversationState;
  readonly userState: UserState;
  /** The configured store (null when the caller passed its own Storage). */
  readonly storage: StorageBundle | null;
  /** Adapter middleware, outermost first: storage scope and notice, conversation lock, transcripts. */
  readonly middleware: readonly Middleware[];
  /** Writes pending insights and closes the store. */
  close(): Promise<void>;
}

/** The language of the turn: the one the bot chose for its reply, else the channel's locale. */
function turnLanguage(context: TurnContext): Lang {
  try {
    return getTurnRequest(context).lang;
  } catch {
    return localeLanguage(context.activity?.locale) ?? 'nl';
  }
}

/** The storage layer: state that never loses an update silently, a lock per conversation, insights, transcripts. */
function createStateLayer(config: Config, logger: Logger, options: AppOptions, knowledge: () => AdvisorSnapshot) {
  const storage = options.storage ? null : createStorage(config.storage, logger);
  const backing: Storage = options.storage ?? storage!.store;
  const writer = storage ? new InsightsWriter({ store: storage.store, logger }) : null;
  const middleware: Middleware[] = [];
  if (storage) {
    logger.info({ storage: config.storage.kind, where: storage.store.description }, `storage: ${storage.store.description}`);
    if (config.storage.kind === 'blob') {
      logger.info('STORAGE=blob: state is shared by every instance. With several instances, the web widget needs Azure Direct Line or sticky sessions: the built-in Direct Line keeps its open conversations in the memory of one instance.');
    }
    if (config.storage.kind === 'memory') logger.warn('STORAGE=memory: conversations and insights are lost when the bot stops');
    middleware.push(
      new StorageTurnMiddleware({
        health: storage.health,
        notice: (context) => {
          const snap = knowledge();
          const lang = turnLanguage(context);
          return plainMessage({ data: snap.data, byId: snap.prepared.byId, lang }, uiText(snap.data.ui, 'storageDown', lang));
        },
      }),
      new ConversationLockMiddleware({ leases: storage.store, ttlMs: config.storage.lockTtlSeconds * 1000, waitMs: config.storage.lockWaitMs, logger }),
    );
    if (config.insights.transcripts) {
      middleware.push(new TranscriptLoggerMiddleware(new RedactingTranscriptLogger(writer!)));
      logger.info(`TRANSCRIPTS=on: redacted transcripts are kept for ${config.insights.retentionDays} days`);
    }
  }
  const close = async () => {
    await writer?.close();
    await storage?.close();
  };
  return { storage, backing, writer, middleware, close };
}

/** Knowledge, state, dialogs and bot: everything but the transport (used by the server and `npm run chat`). */
export function createBotCore(config: Config, logger: Logger, options: AppOptions = {}): BotCore {
  const store = createKnowledgeStore(config, logger);
  store.init();
  const knowledge = (): AdvisorSnapshot => store.current();

  const layer = createStateLayer(config, logger, options, knowledge);
  const conversationState = new CheckedConversationState(layer.backing);
  const userState = new CheckedUserState(layer.backing);
  const dialogState = conversationState.createProperty<DialogState>('dialogState');
  const memory = conversationState.createProperty<ConversationMemory>('memory');
  const profile = userState.createProperty<UserProfile>('profile');
  const dialog = new MainDialog({
    memory,
    profile,
    insights: options.insights ?? layer.writer ?? logInsights(logger),
    log: (message, err) => logger.warn({ err }, message),
  });
  const bot = new AdvisorBot({ conversationState, userState, dialog, dialogState, memory, knowledge, maxMessageChars: config.maxMessageChars, logger });

  const adapterErrorHandler = async (context: TurnContext, error: Error) => {
    const conversationId = context.activity?.conversation?.id;
    logger.error({ err: error, conversationId, activityType: context.activity?.type }, 'turn failed');
    let lang: Lang = localeLanguage(context.activity?.locale) ?? 'nl';
    try {
      lang = (await memory.get(context))?.lang ?? lang;
    } catch {
      // state unreadable: keep the locale's language
    }
    try {
      const snap = knowledge();
      await context.sendActivity(plainMessage({ data: snap.data, byId: snap.prepared.byId, lang }, uiText(snap.data.ui, 'apology', lang)));
    } catch (sendError) {
      logger.warn({ err: sendError, conversationId }, 'could not send the apology');
    }
    // A lost race or a busy conversation says nothing about the stored state, which another turn just wrote.
    if (isStorageConflict(error) || error instanceof ConversationBusyError) return;
    try {
      // A dialog stack that failed once would fail again: start the conversation afresh.
      await conversationState.delete(context);
    } catch (deleteError) {
      logger.warn({ err: deleteError, conversationId }, 'could not reset the conversation state');
    }
  };
  return { bot, adapterErrorHandler, store, conversationState, userState, storage: layer.storage, middleware: layer.middleware, close: layer.close };
}

/** The bot's name and id as the web chat shows it. */
const WEB_BOT = { id: 'smart-industry-advisor', name: 'Smart Industry Advisor' } as const;

export interface WebChannels {
  readonly register: (server: RestifyServer) => void;
  /** Called once the server listens: `localUrl` is how this process reaches itself. */
  readonly listen: (server: NodeHttpServer, localUrl: string) => void;
  readonly stop: () => void;
}

/**
 * The web chat: the page, and either the local Direct Line (default) or the Azure Direct Line
 * token exchange (DIRECTLINE_SECRET set), with CORS for the page's origin and ALLOWED_ORIGINS.
 */
export function createWebChannels(config: Config, logger: Logger, core: Pick<BotCore, 'bot' | 'adapterErrorHandler'>, throttle: Throttle = NO_THROTTLE): WebChannels {
  const origins = new OriginPolicy(config.allowedOrigins, config.publicUrl);
  const azure = config.azureDirectLineSecret
    ? new AzureDirectLineTokens({ secret: config.azureDirectLineSecret, endpoint: config.azureDirectLineEndpoint, logger, throttle })
    : null;
  const directLine = azure
    ? null
    : new LocalDirectLine({
        tokenSecret: config.directLineTokenSecret,
        tokenTtlSeconds: config.directLineTokenTtlSeconds,
        tokenMaxLifetimeSeconds: config.directLineTokenMaxLifetimeSeconds,
        webSocket: config.directLineWebSocket,
        maxConversations: config.directLineMaxConversations,
        maxQueuedActivities: config.directLineMaxQueuedActivities,
        idleSeconds: config.directLineIdleSeconds,
        publicUrl: config.publicUrl,
        origins,
        throttle,
        bot: WEB_BOT,
        botLogic: (context) => core.bot.run(context),
        onTurnError: core.adapterErrorHandler,
        logger,
      });
  const page = new WebChatPage({
    mode: azure ? { kind: 'azure', endpoint: config.azureDirectLineEndpoint } : { kind: 'local', webSocket: config.directLineWebSocket },
    frameOrigins: origins.origins,
    publicUrl: config.publicUrl,
  });
  return {
    register(server) {
      origins.register(server, [DIRECTLINE_PATH, '/api/directline']);
      // After CORS, so that a page on an allowed origin can read the 429.
      registerClientLimit(server, throttle, [DIRECTLINE_PATH, '/api/directline'], 'directline');
      page.register(server);
      if (azure) azure.register(server);
      else registerTokenEndpointNotConfigured(server);
      directLine?.register(server);
    },
    listen(server, localUrl) {
      directLine?.listen(server, localUrl);
      if (!directLine?.stream) refuseUpgrades(server);
      if (directLine?.ephemeralSecret) {
        logger.info('local Direct Line: DIRECTLINE_TOKEN_SECRET is not set, so tokens are signed with a random secret of this process: open chats do not survive a restart (set it to keep them valid across restarts)');
      }
      logger.info(
        { directLine: azure ? `Azure (${config.azureDirectLineEndpoint})` : 'local', webSocket: azure ? true : config.directLineWebSocket },
        `web chat page: ${config.publicUrl || localUrl.replace('127.0.0.1', 'localhost')}/`,
      );
    },
    stop() {
      directLine?.stop();
    },
  };
}

export async function startApp(config: Config, logger: Logger, options: AppOptions = {}): Promise<App> {
  const core = createBotCore(config, logger, options);
  const { bot, adapterErrorHandler, store } = core;
  store.watch(config.knowledgePollMs);
  const stopRetention = core.storage ? startRetention(core.storage.store, config.insights.retentionDays, logger) : () => undefined;

  const auth = new ConfigurationBotFrameworkAuthentication({
    ...(config.microsoftAppId
      ? {
          MicrosoftAppId: config.microsoftAppId,
          MicrosoftAppPassword: config.microsoftAppPassword,
          MicrosoftAppType: config.microsoftAppType,
          MicrosoftAppTenantId: config.microsoftAppTenantId,
        }
      : {}),
    ...options.botFrameworkAuth,
  });
  const adapter = new BotEndpointAdapter(auth);
  adapter.onTurnError = adapterErrorHandler;
  for (const m of core.middleware) adapter.use(m);

  const limits = new RequestLimits(config.limits, { logger });
  const web = createWebChannels(config, logger, { bot, adapterErrorHandler }, limits);
  const authRequired = Boolean(config.microsoftAppId);
  // Open (no app id): every caller counts per address. With an app id, Bot Framework's channel
  // service is the caller, so the endpoint itself counts only the requests it refuses.
  const limitOpenMessages = (server: RestifyServer) => {
    if (!authRequired) registerClientLimit(server, limits, ['/api/messages'], 'plain');
  };

  const started = Date.now();
  const http = createHttpServer({
    messages: botEndpointHandler({ adapter, logic: (context) => bot.run(context), authRequired, limits, validate: validateActivity, logger }),
    logger,
    maxBodyBytes: config.maxBodyBytes,
    routes: [web.register, limitOpenMessages],
    health: () => {
      const s = store.current();
      return {
        status: 'ok',
        knowledge: { version: s.version, entries: s.data.entries.length, loadedAt: s.loadedAt.toISOString() },
        storage: { kind: core.storage ? config.storage.kind : 'custom', status: core.storage?.health.degraded ? 'degraded' : 'ok' },
        uptimeSeconds: Math.round((Date.now() - started) / 1000),
      };
    },
  });

  await new Promise<void>((resolve, reject) => {
    http.server.once('error', reject);
    http.server.listen(config.port, config.host, () => {
      http.server.removeListener('error', reject);
      resolve();
    });
  }).catch(async (e) => {
    store.stop();
    stopRetention();
    await core.close();
    throw e;
  });
  const port = (http.server.address() as AddressInfo).port;
  const url = `http://localhost:${port}`;
  web.listen(http.server.server, `http://${selfHost(config.host)}:${port}`);

  let stopping: Promise<void> | null = null;
  const stop = () =>
    (stopping ??= (async () => {
      store.stop();
      web.stop();
      const closed = new Promise<void>((resolve) => http.server.close(() => resolve()));
      const deadline = Date.now() + config.shutdownGraceSeconds * 1000;
      while (http.inFlight() > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
      if (http.inFlight() > 0) logger.warn({ inFlight: http.inFlight() }, 'shutdown grace period over; closing anyway');
      http.server.server.closeAllConnections?.();
      await closed;
      stopRetention();
      await core.close();
    })());

  return { url, port, store, stop };
}
