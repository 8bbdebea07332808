/**
 * The one reader of process.env: turns the environment (and an optional .env file) into one
 * typed, validated, frozen config object. An invalid value throws a ConfigError whose message
 * is one line naming the variable, the bad value and what is allowed.
 */
import path from 'node:path';
import { config as loadDotenv } from 'dotenv';

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
export type AppType = 'SingleTenant' | 'MultiTenant' | 'UserAssignedMSI';
export type StorageKind = 'sqlite' | 'blob' | 'memory';

export interface Config {
  readonly port: number;
  readonly host: string;
  /** Bot Framework registration; an empty appId means open (local use, Emulator, tests). */
  readonly microsoftAppType: AppType;
  readonly microsoftAppId: string;
  readonly microsoftAppPassword: string;
  readonly microsoftAppTenantId: string;
  readonly knowledgeDir: string;
  /** How often the knowledge folder is checked for edits (ms). */
  readonly knowledgePollMs: number;
  readonly logLevel: LogLevel;
  /** Largest accepted request body in bytes (413 beyond it). */
  readonly maxBodyBytes: number;
  /** Longest user message that is matched (characters); longer text is cut. */
  readonly maxMessageChars: number;
  /** Matcher decision thresholds (0..1). */
  readonly answerThreshold: number;
  readonly answerMargin: number;
  readonly disambiguateThreshold: number;
  /** Lowest in-scope accuracy `kb eval` accepts before it exits 1. */
  readonly evalAccuracyFloor: number;
  readonly evalRejectionFloor: number;
  /** Seconds to wait for in-flight turns on SIGTERM before exiting anyway. */
  readonly shutdownGraceSeconds: number;

  // --- Channels: web page, Direct Line, Teams package --------------------------------------
  /** Public address of this bot (https://host[/path], no trailing slash); '' when unknown. */
  readonly publicUrl: string;
  /** Other websites (origins) that may embed the chat and call the Direct Line endpoints. */
  readonly allowedOrigins: readonly string[];
  /** Signing secret of the local Direct Line tokens; '' = a random one per process. */
  readonly directLineTokenSecret: string;
  readonly directLineTokenTtlSeconds: number;
  /** A chain of refreshed tokens never outlives this (seconds from the first token). */
  readonly directLineTokenMaxLifetimeSeconds: number;
  readonly directLineWebSocket: boolean;
  readonly directLineMaxConversations: number;
  readonly directLineMaxQueuedActivities: number;
  /** Conversations without any request for this long are removed. */
  readonly directLineIdleSeconds: number;
  /** Azure Direct Line secret; when set the page uses Azure Direct Line. Never logged. */
  readonly azureDirectLineSecret: string;
  readonly azureDirectLineEndpoint: string;
  /** Teams app package (npm run teams:package). */
  readonly teamsAppId: string;
  readonly teamsAppVersion: string;
  readonly teamsDeveloperName: string;
  readonly teamsWebsiteUrl: string;
  readonly teamsPrivacyUrl: string;
  readonly teamsTermsUrl: string;
  /** Where conversation state, user state and the editors' insights live. */
  readonly storage: StorageConfig;
  /** The editors' insights (question log, feedback, transcripts). */
  readonly insights: InsightsConfig;
  /** Rate limits of the chat endpoints and how the client's address is found. */
  readonly limits: LimitsConfig;
}

export interface LimitsConfig {
  /** Requests per minute from one client address to the web chat endpoints and an open /api/messages (0 = no limit). */
  readonly ipPerMinute: number;
  /** Messages, starts, reconnects and refreshes per minute of one conversation (0 = no limit). */
  readonly conversationPerMinute: number;
  /** New chat tokens and token refreshes per minute for one client address (0 = no limit). */
  readonly tokensPerMinute: number;
  /** How many proxies in front of the bot append to X-Forwarded-For (0 = none: the socket address is the client). */
  readonly trustProxyHops: number;
}

export interface StorageConfig {
  /** sqlite (embedded, default), blob (Azure Blob Storage, scale-out) or memory (tests). */
  readonly kind: StorageKind;
  /** Folder of the SQLite database (created when missing). */
  readonly dataDir: string;
  /** Azure Blob Storage connection string (STORAGE=blob). A secret. */
  readonly blobConnectionString: string;
  readonly blobContainer: string;
  /** A store call slower than this counts as a failure (ms). */
  readonly timeoutMs: number;
  /** While the store is unreachable, try it again after this long (ms). */
  readonly retryMs: number;
  /** A conversation lock that is not renewed expires after this long (s); Azure blob leases allow 15..60. */
  readonly lockTtlSeconds: number;
  /** Longest a turn waits for another turn of the same conversation (ms). */
  readonly lockWaitMs: number;
}

export interface InsightsConfig {
  /** Questions, feedback and transcripts older than this are deleted (days). */
  readonly retentionDays: number;
  /** Redacted transcripts of every conversation (off by default). */
  readonly transcripts: boolean;
}

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

const SECRET_NAMES = new Set(['MicrosoftAppPassword', 'DIRECTLINE_TOKEN_SECRET', 'DIRECTLINE_SECRET', 'STORAGE_BLOB_CONNECTION_STRING']);

function show(name: string, raw: string): string {
  return SECRET_NAMES.has(name) ? '(hidden)' : JSON.stringify(raw);
}

function str(env: Env, name: string, fallback: string): string {
  const raw = env[name];
  return raw === undefined || raw.trim() === '' ? fallback : raw.trim();
}

function int(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw.trim());
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(`${name}=${show(name, raw)} is not valid: use a whole number from ${min} to ${max}.`);
  }
  return value;
}

function fraction(env: Env, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw.trim());
  if (!Number.isFinite(value) || value < 0 || value > 1) {
    throw new ConfigError(`${name}=${show(name, raw)} is not valid: use a number from 0 to 1, such as 0.5.`);
  }
  return value;
}

function oneOf<T extends string>(env: Env, name: string, fallback: T, allowed: readonly T[]): T {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const match = allowed.find((a) => a.toLowerCase() === raw.trim().toLowerCase());
  if (!match) {
    throw new ConfigError(`${name}=${show(name, raw)} is not valid: use one of ${allowed.join(', ')}.`);
  }
  return match;
}

function bool(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const v = raw.trim().toLowerCase();
  if (['true', '1', 'yes', 'on'].includes(v)) return true;
  if (['false', '0', 'no', 'off'].includes(v)) return false;
  throw new ConfigError(`${name}=${show(name, raw)} is not valid: use true or false.`);
}

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/** An http(s) URL without query or fragment, returned without a trailing slash; '' when unset. */
function webUrl(env: Env, name: string, fallback: string, options: { httpsOnly?: boolean } = {}): string {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const allowed = options.httpsOnly
    ? 'use an https:// address (http:// only for localhost or 127.0.0.1) without ?query or #fragment'
    : 'use an http:// or https:// address without ?query or #fragment, such as https://advisor.example.nl';
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw new ConfigError(`${name}=${show(name, raw)} is not valid: ${allowed}.`);
  }
  const plainHttpOk = !options.httpsOnly || LOOPBACK_HOSTS.has(url.hostname);
  if (!(url.protocol === 'https:' || (url.protocol === 'http:' && plainHttpOk)) || url.search || url.hash || url.username || url.password) {
    throw new ConfigError(`${name}=${show(name, raw)} is not valid: ${allowed}.`);
  }
  return url.href.replace(/\/+$/, '');
}

/** A comma-separated list of origins (scheme://host[:port]), each one exact. */
function origins(env: Env, name: string): string[] {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return [];
  const out: string[] = [];
  for (const item of raw.split(',').map((x) => x.trim()).filter(Boolean)) {
    let origin = '';
    try {
      const url = new URL(item);
      if ((url.protocol === 'http:' || url.protocol === 'https:') && url.origin === item.replace(/\/$/, '')) origin = url.origin;
    } catch {
      // reported below
    }
    if (!origin) {
      throw new ConfigError(`${name}=${show(name, raw)} is not valid: "${item}" is not an origin; use a comma-separated list such as https://www.example.nl,https://shop.example.nl (scheme and host, optional port, no path, no wildcards).`);
    }
    if (!out.includes(origin)) out.push(origin);
  }
  return out;
}

const SEMVER = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/;

/** How many proxies to trust: off/false/0 (default), on/true (one proxy) or a number of hops. */
function proxyHops(env: Env, name: string): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return 0;
  const v = raw.trim().toLowerCase();
  if (['false', 'off', 'no'].includes(v)) return 0;
  if (['true', 'on', 'yes'].includes(v)) return 1;
  if (/^\d{1,2}$/.test(v) && Number(v) <= 10) return Number(v);
  throw new ConfigError(`${name}=${show(name, raw)} is not valid: use off (the bot is reached directly), on (behind one proxy or load balancer that sets X-Forwarded-For) or the number of proxies, 0 to 10.`);
}

/** A rate in requests per minute; 0 switches the limit off. */
function perMinute(env: Env, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw.trim());
  if (!/^\d+$/.test(raw.trim()) || value > 1_000_000) {
    throw new ConfigError(`${name}=${show(name, raw)} is not valid: use a whole number of requests per minute from 1 to 1000000 (default ${fallback}), or 0 for no limit.`);
  }
  return value;
}

function limitsFromEnv(env: Env): LimitsConfig {
  return {
    ipPerMinute: perMinute(env, 'RATE_LIMIT_IP_PER_MINUTE', 300),
    conversationPerMinute: perMinute(env, 'RATE_LIMIT_CONVERSATION_PER_MINUTE', 30),
    tokensPerMinute: perMinute(env, 'RATE_LIMIT_TOKENS_PER_MINUTE', 20),
    trustProxyHops: proxyHops(env, 'TRUST_PROXY'),
  };
}

function onOff(env: Env, name: string, fallback: boolean): boolean {
  return oneOf(env, name, fallback ? 'on' : 'off', ['on', 'off']) === 'on';
}

const CONTAINER_NAME = /^(?=.{3,63}$)[a-z0-9]+(-[a-z0-9]+)*$/;

function storageFromEnv(env: Env, baseDir: string): StorageConfig {
  const kind = oneOf<StorageKind>(env, 'STORAGE', 'sqlite', ['sqlite', 'blob', 'memory']);
  const blobConnectionString = str(env, 'STORAGE_BLOB_CONNECTION_STRING', '');
  if (kind === 'blob' && !blobConnectionString) {
    throw new ConfigError('STORAGE_BLOB_CONNECTION_STRING="" is not valid with STORAGE=blob: set the connection string of the storage account (Azure portal: Storage account > Access keys), or use STORAGE=sqlite.');
  }
  if (blobConnectionString && !/(^|;)\s*(BlobEndpoint|AccountName)\s*=/i.test(blobConnectionString) && !/^UseDevelopmentStorage=true;?$/i.test(blobConnectionString)) {
    throw new ConfigError('STORAGE_BLOB_CONNECTION_STRING=(hidden) is not valid: use a storage account connection string (with AccountName=... or BlobEndpoint=...).');
  }
  const blobContainer = str(env, 'STORAGE_BLOB_CONTAINER', 'smart-industry-advisor');
  if (!CONTAINER_NAME.test(blobContainer)) {
    throw new ConfigError(`STORAGE_BLOB_CONTAINER=${JSON.stringify(blobContainer)} is not valid: use 3 to 63 lowercase letters, digits and single hyphens, starting and ending with a letter or digit.`);
  }
  return {
    kind,
    dataDir: path.resolve(baseDir, str(env, 'DATA_DIR', 'data')),
    blobConnectionString,
    blobContainer,
    timeoutMs: int(env, 'STORAGE_TIMEOUT_MS', 3000, 100, 60_000),
    retryMs: int(env, 'STORAGE_RETRY_MS', 5000, 100, 300_000),
    lockTtlSeconds: int(env, 'LOCK_TTL_SECONDS', 15, 15, 60),
    lockWaitMs: int(env, 'LOCK_WAIT_MS', 10_000, 100, 60_000),
  };
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Builds the config from an environment map. Pure: does not touch process.env. */
export function configFromEnv(env: Env, baseDir = process.cwd()): Config {
  const microsoftAppId = str(env, 'MicrosoftAppId', '');
  if (microsoftAppId && !GUID.test(microsoftAppId)) {
    throw new ConfigError(`MicrosoftAppId=${JSON.stringify(microsoftAppId)} is not valid: use the application (client) id of the Azure Bot, a GUID such as 00000000-0000-0000-0000-000000000000, or leave it empty for local use.`);
  }
  const microsoftAppType = oneOf<AppType>(env, 'MicrosoftAppType', 'SingleTenant', ['SingleTenant', 'MultiTenant', 'UserAssignedMSI']);
  const microsoftAppTenantId = str(env, 'MicrosoftAppTenantId', '');
  if (microsoftAppTenantId && !GUID.test(microsoftAppTenantId)) {
    throw new ConfigError(`MicrosoftAppTenantId=${JSON.stringify(microsoftAppTenantId)} is not valid: use the directory (tenant) id, a GUID, or leave it empty.`);
  }
  const microsoftAppPassword = str(env, 'MicrosoftAppPassword', '');
  if (microsoftAppId && microsoftAppType === 'SingleTenant' && !microsoftAppTenantId) {
    throw new ConfigError('MicrosoftAppTenantId="" is not valid with MicrosoftAppType=SingleTenant and an app id: set the tenant id of the Azure Bot registration.');
  }
  if (microsoftAppId && microsoftAppType !== 'UserAssignedMSI' && !microsoftAppPassword) {
    throw new ConfigError(`MicrosoftAppPassword=(hidden) is not valid: it is empty while MicrosoftAppId is set with MicrosoftAppType=${microsoftAppType}; set the client secret.`);
  }

  const answerThreshold = fraction(env, 'MATCH_ANSWER_THRESHOLD', 0.35);
  const disambiguateThreshold = fraction(env, 'MATCH_DISAMBIGUATE_THRESHOLD', 0.31);
  if (disambiguateThreshold > answerThreshold) {
    throw new ConfigError(`MATCH_DISAMBIGUATE_THRESHOLD=${JSON.stringify(String(disambiguateThreshold))} is not valid: it must not be above MATCH_ANSWER_THRESHOLD (${answerThreshold}).`);
  }

  const directLineTokenSecret = str(env, 'DIRECTLINE_TOKEN_SECRET', '');
  if (directLineTokenSecret && directLineTokenSecret.length < 32) {
    throw new ConfigError('DIRECTLINE_TOKEN_SECRET=(hidden) is not valid: use at least 32 random characters (for example the output of "openssl rand -base64 48"), or leave it empty for a random secret per process.');
  }
  // Web Chat refreshes its token every 15 minutes: a shorter token would end the chat.
  const directLineTokenTtlSeconds = int(env, 'DIRECTLINE_TOKEN_TTL_SECONDS', 1800, 1200, 86_400);
  const directLineTokenMaxLifetimeSeconds = int(env, 'DIRECTLINE_TOKEN_MAX_LIFETIME_SECONDS', 86_400, 60, 7 * 86_400);
  if (directLineTokenMaxLifetimeSeconds < directLineTokenTtlSeconds) {
    throw new ConfigError(`DIRECTLINE_TOKEN_MAX_LIFETIME_SECONDS="${directLineTokenMaxLifetimeSeconds}" is not valid: it must not be below DIRECTLINE_TOKEN_TTL_SECONDS (${directLineTokenTtlSeconds}).`);
  }
  const publicUrl = webUrl(env, 'PUBLIC_URL', '');
  const teamsAppId = str(env, 'TEAMS_APP_ID', microsoftAppId);
  if (teamsAppId && !GUID.test(teamsAppId)) {
    throw new ConfigError(`TEAMS_APP_ID=${JSON.stringify(teamsAppId)} is not valid: use a GUID such as 00000000-0000-0000-0000-000000000000, or leave it empty to use MicrosoftAppId.`);
  }
  const teamsAppVersion = str(env, 'TEAMS_APP_VERSION', '1.0.0');
  if (!SEMVER.test(teamsAppVersion) || teamsAppVersion.length > 256) {
    throw new ConfigError(`TEAMS_APP_VERSION=${JSON.stringify(teamsAppVersion)} is not valid: use a version such as 1.0.0 (major.minor.patch); raise it for every new upload to Teams.`);
  }
  const teamsDeveloperName = str(env, 'TEAMS_DEVELOPER_NAME', 'Smart Industry Advisor');
  if (teamsDeveloperName.length > 32) {
    throw new ConfigError(`TEAMS_DEVELOPER_NAME=${JSON.stringify(teamsDeveloperName)} is not valid: use at most 32 characters (Teams shows it as the publisher).`);
  }
  const teamsWebsiteUrl = webUrl(env, 'TEAMS_WEBSITE_URL', publicUrl, { httpsOnly: true });

  return Object.freeze({
    port: int(env, 'PORT', 3978, 0, 65535),
    host: str(env, 'HOST', '0.0.0.0'),
    microsoftAppType,
    microsoftAppId,
    microsoftAppPassword,
    microsoftAppTenantId,
    knowledgeDir: path.resolve(baseDir, str(env, 'KNOWLEDGE_DIR', 'knowledge')),
    knowledgePollMs: int(env, 'KNOWLEDGE_POLL_MS', 500, 50, 60_000),
    logLevel: oneOf<LogLevel>(env, 'LOG_LEVEL', 'info', ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']),
    maxBodyBytes: int(env, 'MAX_BODY_BYTES', 256 * 1024, 1024, 10 * 1024 * 1024),
    maxMessageChars: int(env, 'MAX_MESSAGE_CHARS', 2000, 50, 100_000),
    answerThreshold,
    answerMargin: fraction(env, 'MATCH_ANSWER_MARGIN', 0.05),
    disambiguateThreshold,
    evalAccuracyFloor: fraction(env, 'EVAL_ACCURACY_FLOOR', 0.92),
    evalRejectionFloor: fraction(env, 'EVAL_REJECTION_FLOOR', 0.9),
    shutdownGraceSeconds: int(env, 'SHUTDOWN_GRACE_SECONDS', 10, 1, 300),
    publicUrl,
    allowedOrigins: Object.freeze(origins(env, 'ALLOWED_ORIGINS')),
    directLineTokenSecret,
    directLineTokenTtlSeconds,
    directLineTokenMaxLifetimeSeconds,
    directLineWebSocket: bool(env, 'DIRECTLINE_WEBSOCKET', true),
    directLineMaxConversations: int(env, 'DIRECTLINE_MAX_CONVERSATIONS', 5000, 1, 1_000_000),
    directLineMaxQueuedActivities: int(env, 'DIRECTLINE_MAX_QUEUED_ACTIVITIES', 200, 10, 10_000),
    directLineIdleSeconds: int(env, 'DIRECTLINE_IDLE_SECONDS', 3600, 10, 7 * 86_400),
    azureDirectLineSecret: str(env, 'DIRECTLINE_SECRET', ''),
    azureDirectLineEndpoint: webUrl(env, 'DIRECTLINE_ENDPOINT', 'https://directline.botframework.com/v3/directline', { httpsOnly: true }),
    teamsAppId,
    teamsAppVersion,
    teamsDeveloperName,
    teamsWebsiteUrl,
    teamsPrivacyUrl: webUrl(env, 'TEAMS_PRIVACY_URL', teamsWebsiteUrl, { httpsOnly: true }),
    teamsTermsUrl: webUrl(env, 'TEAMS_TERMS_URL', teamsWebsiteUrl, { httpsOnly: true }),
    storage: Object.freeze(storageFromEnv(env, baseDir)),
    insights: Object.freeze({
      retentionDays: int(env, 'INSIGHTS_RETENTION_DAYS', 90, 1, 3650),
      transcripts: onOff(env, 'TRANSCRIPTS', false),
    }),
    limits: Object.freeze(limitsFromEnv(env)),
  });
}

/**
 * Reads `.env` (when present; values already in the environment win) and process.env.
 * The only place in the code base that touches process.env.
 */
export function loadConfig(options: { envFile?: string; baseDir?: string } = {}): Config {
  const baseDir = options.baseDir ?? process.cwd();
  loadDotenv({ path: options.envFile ?? path.join(baseDir, '.env'), quiet: true });
  return configFromEnv(process.env, baseDir);
}

/** The environment variable names that hold secrets, for log redaction. */
export function secretValues(config: Config): string[] {
  const accountKey = /AccountKey=([^;]+)/i.exec(config.storage.blobConnectionString)?.[1] ?? '';
  const sas = /SharedAccessSignature=([^;]+)/i.exec(config.storage.blobConnectionString)?.[1] ?? '';
  return [config.microsoftAppPassword, config.directLineTokenSecret, config.azureDirectLineSecret, config.storage.blobConnectionString, accountKey, sas].filter((s) => s.length >= 4);
}
