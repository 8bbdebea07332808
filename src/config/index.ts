/**
 * The one reader of process.env: turns the environment (and an optional .env file) into one
 * typed, validated, frozen config object. An invalid value throws a ConfigError whose message
 * is one line naming the variable, the bad value and what is allowed.
 */
import path from 'node:path';
import { config as loadDotenv } from 'dotenv';

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
export type AppType = 'SingleTenant' | 'MultiTenant' | 'UserAssignedMSI';

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
}

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

const SECRET_NAMES = new Set(['MicrosoftAppPassword']);

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
  const disambiguateThreshold = fraction(env, 'MATCH_DISAMBIGUATE_THRESHOLD', 0.27);
  if (disambiguateThreshold > answerThreshold) {
    throw new ConfigError(`MATCH_DISAMBIGUATE_THRESHOLD=${JSON.stringify(String(disambiguateThreshold))} is not valid: it must not be above MATCH_ANSWER_THRESHOLD (${answerThreshold}).`);
  }

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
    evalAccuracyFloor: fraction(env, 'EVAL_ACCURACY_FLOOR', 0.83),
    evalRejectionFloor: fraction(env, 'EVAL_REJECTION_FLOOR', 0.85),
    shutdownGraceSeconds: int(env, 'SHUTDOWN_GRACE_SECONDS', 10, 1, 300),
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
  return [config.microsoftAppPassword].filter((s) => s.length >= 4);
}
