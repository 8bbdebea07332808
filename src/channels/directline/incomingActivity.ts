/**
 * What a client may send as an activity, and what the bot gets: the client chooses the type and
 * the content; the server sets who sent it, to whom, in which conversation and when.
 */
import type { Activity } from 'botbuilder';

/** Types Web Chat sends: messages (text or card button values), events, typing. */
const CLIENT_TYPES = new Set(['message', 'event', 'typing']);
const MAX_TEXT = 10_000;
const LOCALE = /^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8}){0,3}$/;
/**
 * How deep objects and arrays may nest in an activity (a card's submitted value is a few levels).
 * JSON.parse takes any depth, JSON.stringify does not: an activity nested some thousands deep
 * was stored, and every later poll of the conversation failed with a 500 while formatting it.
 */
const MAX_DEPTH = 32;

export interface ClientActivity {
  readonly type: string;
  readonly text?: string;
  readonly textFormat?: string;
  readonly value?: unknown;
  readonly name?: string;
  readonly locale?: string;
  readonly channelData?: Record<string, unknown>;
  readonly entities?: unknown[];
  readonly localTimestamp?: string;
  readonly localTimezone?: string;
  readonly fromName?: string;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** True when a parsed JSON value nests objects or arrays deeper than `max` (checked without recursion). */
function nestedDeeperThan(root: unknown, max: number): boolean {
  const stack: Array<[unknown, number]> = [[root, 1]];
  while (stack.length) {
    const [v, depth] = stack.pop()!;
    if (typeof v !== 'object' || v === null) continue;
    if (depth > max) return true;
    for (const child of Array.isArray(v) ? v : Object.values(v)) stack.push([child, depth + 1]);
  }
  return false;
}

/** The accepted part of a client's activity, or a plain-language reason for a 400. */
export function readClientActivity(body: unknown): { ok: true; activity: ClientActivity } | { ok: false; message: string } {
  if (!isObject(body)) return { ok: false, message: 'The body must be a JSON activity, such as {"type": "message", "text": "Hallo"}.' };
  if (nestedDeeperThan(body, MAX_DEPTH)) return { ok: false, message: `The activity nests objects or lists more than ${MAX_DEPTH} levels deep.` };
  const type = body.type;
  if (typeof type !== 'string' || !CLIENT_TYPES.has(type)) {
    return { ok: false, message: `Activity type ${JSON.stringify(type)} is not accepted here; send "message", "event" or "typing".` };
  }
  if (body.text !== undefined && body.text !== null && typeof body.text !== 'string') return { ok: false, message: '"text" must be a string.' };
  if (typeof body.text === 'string' && body.text.length > MAX_TEXT) return { ok: false, message: `"text" is longer than ${MAX_TEXT} characters.` };
  if (body.locale !== undefined && body.locale !== null && (typeof body.locale !== 'string' || !LOCALE.test(body.locale))) {
    return { ok: false, message: '"locale" must be a language tag such as nl-NL or en-US.' };
  }
  if (body.channelData !== undefined && body.channelData !== null && !isObject(body.channelData)) return { ok: false, message: '"channelData" must be an object.' };
  if (body.entities !== undefined && body.entities !== null && !Array.isArray(body.entities)) return { ok: false, message: '"entities" must be a list.' };
  if (Array.isArray(body.attachments) && body.attachments.length > 0) {
    return { ok: false, message: 'Attachments are not accepted: the advisor reads text only.' };
  }
  const from = isObject(body.from) ? body.from : {};
  const str = (v: unknown, max: number) => (typeof v === 'string' && v.length <= max ? v : undefined);
  return {
    ok: true,
    activity: {
      type,
      text: str(body.text, MAX_TEXT),
      textFormat: str(body.textFormat, 16),
      value: body.value,
      name: str(body.name, 256),
      locale: str(body.locale, 35),
      channelData: isObject(body.channelData) ? body.channelData : undefined,
      entities: Array.isArray(body.entities) ? body.entities.slice(0, 20) : undefined,
      localTimestamp: str(body.localTimestamp, 64),
      localTimezone: str(body.localTimezone, 64),
      fromName: str(from.name, 100),
    },
  };
}

export interface Party {
  readonly id: string;
  readonly name?: string;
}

/** The activity the bot receives: the client's content, the server's addressing. */
export function toBotActivity(
  a: ClientActivity,
  addressing: { conversationId: string; userId: string; bot: Party; serviceUrl: string; fallbackLocale?: string },
): Activity {
  const activity: Record<string, unknown> = {
    type: a.type,
    channelId: 'webchat',
    serviceUrl: addressing.serviceUrl,
    conversation: { id: addressing.conversationId },
    from: { id: addressing.userId, ...(a.fromName ? { name: a.fromName } : {}), role: 'user' },
    recipient: { ...addressing.bot, role: 'bot' },
  };
  const optional: Record<string, unknown> = {
    text: a.text,
    textFormat: a.textFormat,
    value: a.value,
    name: a.name,
    locale: a.locale ?? addressing.fallbackLocale,
    channelData: a.channelData,
    entities: a.entities,
    localTimestamp: a.localTimestamp,
    localTimezone: a.localTimezone,
  };
  for (const [k, v] of Object.entries(optional)) if (v !== undefined) activity[k] = v;
  return activity as unknown as Activity;
}
