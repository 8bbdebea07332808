/**
 * The cases of the HTTP fuzz test (test/server/fuzz.test.ts): generated from a seed, so one seed
 * always gives the same requests. A case is a raw request (body, content type, headers) with the
 * statuses it may get and what its reply must hold; a session is a few cases of one conversation
 * that must run in order (a task started, then odd answers to its questions).
 *
 * The generator knows the protocol, not the bot: it decides what is *designed* (a 400 for an
 * activity without a type, a 413 over the body limit, a 415 for a body that is not JSON) and
 * leaves the bot's answers to the test, which checks their shape.
 */

/** A small, fast, seedable PRNG (mulberry32): the same seed gives the same sequence everywhere. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface FuzzRequest {
  /** The family of the case ("text/html", "malformed/json"…), for the summary and failure messages. */
  readonly label: string;
  readonly body: string | Uint8Array;
  /** The Content-Type header; undefined sends none. */
  readonly contentType?: string;
  readonly headers?: Readonly<Record<string, string>>;
  /** The statuses this request may get (the designed behaviour). */
  readonly expect: readonly number[];
  /**
   * What a 2xx reply must hold: 'message' at least one message activity from the bot, 'any' the
   * activities list (possibly empty), 'empty' an empty body (replies went to the serviceUrl).
   */
  readonly reply: 'message' | 'any' | 'empty';
  /** The channel of the activity, when it is one (traces only reach 'emulator'). */
  readonly channelId?: string;
  /** A UI text (knowledge/ui.yaml key) one of the replies must be: 'empty' for a message with nothing visible, 'tooLong' for one cut to MAX_MESSAGE_CHARS. */
  readonly says?: 'empty' | 'tooLong';
}

export interface FuzzSession {
  readonly requests: readonly FuzzRequest[];
  /** Sent all at once (a double click, a retry): the conversation's lock makes them take turns. */
  readonly together?: boolean;
}

/** What the generator may borrow from the knowledge: real questions and ids make deeper paths. */
export interface Vocabulary {
  readonly questions: readonly string[];
  /** Ids a button may open: entries, tasks, programs, fieldlabs, organisations. */
  readonly ids: readonly string[];
  readonly themes: readonly string[];
  readonly provinces: readonly string[];
  readonly needs: readonly string[];
}

export interface Limits {
  readonly maxBodyBytes: number;
}

export interface FuzzOptions {
  readonly seed: number;
  /** Requests to generate (at least; a session is never cut). */
  readonly requests: number;
  readonly vocabulary: Vocabulary;
  readonly limits: Limits;
  /** A serviceUrl on 127.0.0.1 that accepts the bot's replies, for the cases without expectReplies. */
  readonly serviceUrl: string;
  /** The bot's id in `recipient` (its own join is not welcomed). */
  readonly botId: string;
}

// ---------------------------------------------------------------- the building blocks

const HTML = [
  '<script>window.__pwned=1</script>',
  '<img src=x onerror="window.__pwned=1">',
  '<a href="javascript:window.__pwned=1">klik</a>',
  '<iframe src="//evil.example"></iframe>',
  '<svg onload=alert(1)>',
  '</div><div style="position:fixed;inset:0">',
  '<b>vet</b> <i>schuin</i>',
  '<at>Advisor</at>',
  '<at>',
  '&lt;script&gt;alert(1)&lt;/script&gt;',
  '<!-- comment -->',
  '<![CDATA[x]]>',
  '<style>*{display:none}</style>',
  '<p onclick=alert(1)>p</p>',
];

const MARKDOWN = [
  '[klik hier](javascript:window.__pwned=1)',
  '[click](JaVaScRiPt:alert(1))',
  '[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)',
  '![plaatje](https://evil.example/track.png)',
  '![x](data:image/svg+xml;base64,PHN2Zz48L3N2Zz4=)',
  '<https://evil.example/>',
  '[ref]: javascript:alert(1)',
  '# Kop\n## Sub',
  '```js\nalert(1)\n```',
  '| a | b |\n|---|---|\n| 1 | 2 |',
  '**vet** _schuin_ ~~weg~~',
  '> citaat\n> - lijst',
  '* * *',
  '\\*niet vet\\*',
  '[a](https://example.com "title")',
];

const CARD_JSON = [
  JSON.stringify({ type: 'AdaptiveCard', version: '1.4', body: [{ type: 'TextBlock', text: 'pwned' }], actions: [{ type: 'Action.OpenUrl', title: 'x', url: 'javascript:alert(1)' }] }),
  JSON.stringify({ contentType: 'application/vnd.microsoft.card.adaptive', content: { type: 'AdaptiveCard', body: [] } }),
  JSON.stringify({ sia: 'open', id: 'find-fieldlab', lang: 'nl' }),
  JSON.stringify({ type: 'Action.Submit', data: { sia: 'feedback', id: 'x', vote: 'up' } }),
  '{"type":"message","text":"nested activity"}',
];

const INJECTION = [
  "'; DROP TABLE users; --",
  '" OR 1=1 --',
  "' OR ''='",
  '{{7*7}}',
  '${process.env}',
  '${7*7}',
  '#{7*7}',
  '<%= 7*7 %>',
  '{{constructor.constructor("return process")()}}',
  '%s%s%s%n%d',
  '{0}{1}{limit}{year}{name}',
  '$(rm -rf /)',
  '`id`',
  '../../../../etc/passwd',
  '..\\..\\windows\\win.ini',
  'null',
  'undefined',
  'NaN',
  '__proto__',
  'constructor',
  'toString',
  'hasOwnProperty',
  '\\u0000',
  '%00%0d%0a',
];

const CONTROL = ['\u0000', '\u0007', '\u0008', '\u001b[2J\u001b[31m', '\r\n', '\r', '\u000b\u000c', '\u0085', '\u2028\u2029', '\u007f', '\u009b'];

const RTL_ZERO_WIDTH = [
  '\u202e' + 'tobac si tahw',
  '\u200f' + 'שלום' + '\u200e',
  'مرحبا كيف حالك',
  '\u061c' + 'cobot',
  'co\u200bbot',
  '\u200c\u200d',
  '\u2060\ufeff',
  '\u200b',
  '\u202a\u202b\u202c\u202d',
  '\u2066\u2067\u2068\u2069',
];

/** Characters that show nothing: a message of only these is an empty message. */
const INVISIBLE = ['\u200b', '\u200c', '\u200d', '\u2060', '\ufeff', '\u00ad', '\u202a', '\u202e', '\u2066', '\u2069', '\u200e', '\u200f', '\u0000', '\u0007', '\u001b', '\u007f', ' ', '\n'];

const EMOJI = ['👍', '👨‍👩‍👧‍👦', '🏳️‍🌈', '🇳🇱', '👋🏽', '🤖', '🦾', '\ud83d', '\ude00', '\ude00\ud83d', 'a\udbffb', '\udfff'];

const UNICODE = ['𝕮𝖔𝖇𝖔𝖙', 'ｃｏｂｏｔ', 'İstanbul', 'straße', 'ﬁeldlab', '数字化转型', 'ロボット', 'Z̸̡͎̀a̵̜̓l̴̰̈́g̸̛͇o̶̲͝', 'ǅ', '\u0301\u0301', 'Ω≈ç√∫'];

const WHITESPACE = ['', ' ', '   ', '\t', '\n', '\n\n\t \r\n', '\u00a0', '\u2003\u2009', '\u3000', ' \u00a0 \t '];

const COMMANDS = ['stop', 'menu', 'help', 'opnieuw', 'restart', 'annuleren', 'cancel', 'hulp', '?', '1', '99', '0', '-1'];

const ACTIVITY_TYPES = ['conversationUpdate', 'invoke', 'event', 'typing', 'endOfConversation', 'messageReaction', 'installationUpdate', 'messageUpdate', 'messageDelete', 'deleteUserData', 'contactRelationUpdate', 'handoff', 'trace', 'suggestion', 'command', 'commandResult', 'somethingNew', 'Message', 'MESSAGE', ' message', 'x'.repeat(64)];

const INVOKE_NAMES = [
  'adaptiveCard/action', 'application/search', 'signin/verifyState', 'signin/tokenExchange', 'signin/failure',
  'composeExtension/query', 'composeExtension/queryLink', 'composeExtension/anonymousQueryLink', 'composeExtension/selectItem',
  'composeExtension/submitAction', 'composeExtension/fetchTask', 'composeExtension/querySettingUrl', 'composeExtension/setting',
  'composeExtension/onCardButtonClicked', 'task/fetch', 'task/submit', 'tab/fetch', 'tab/submit', 'fileConsent/invoke',
  'actionableMessage/executeAction', 'config/fetch', 'config/submit', 'healthCheck', 'unknown/invoke', '',
];

const EVENT_NAMES = ['webchat/join', 'webchat/exit', 'application/vnd.microsoft.meetingStart', 'application/vnd.microsoft.meetingEnd', 'application/vnd.microsoft.readReceipt', 'tokens/response', 'ContinueConversation', 'handoff.initiate', 'startConversation', ''];

const LOCALES: readonly (string | null | undefined)[] = [
  undefined, null, '', 'xx', 'nl_NL', 'nl-NL', 'nl-BE', 'nl', 'NL', 'en-US', 'en-GB', 'EN', 'fr-FR', 'de', 'zh-Hant-TW',
  'x'.repeat(500), 'en-US-x-' + 'a'.repeat(120), 'en-US-x-twain', 'nl-NL\u0000', '<script>', '*', 'i-klingon',
];

const CHANNELS = ['msteams', 'webchat', 'emulator', 'directline', 'slack', 'telegram', 'unknown-channel', 'test', 'MSTEAMS', '<script>', 'x'.repeat(256)];

/** Card submissions of every shape but ours, and ours with odd content. */
function oddValues(r: Rand, v: Vocabulary): unknown[] {
  const id = r.pick(v.ids);
  const hostile = r.pick([...HTML, ...MARKDOWN, ...INJECTION]);
  return [
    [], [1, 2, 3], [{ sia: 'open', id }], {}, 0, 42, -1, 1e308, true, false, 'tekst', '',
    nested(r.int(2, 60)),
    { sia: 'open' },
    { sia: 'open', id },
    { sia: 'open', id, lang: r.pick(['nl', 'en', 'xx', 5, null, ['nl']]) },
    { sia: 'open', id: `${id}-does-not-exist` },
    { sia: 'open', id: 5 },
    { sia: 'open', id: { id } },
    { sia: 'open', id: r.pick(['__proto__', 'constructor', 'toString', 'hasOwnProperty', '', ' ', 'x'.repeat(5000)]) },
    { sia: 'open', id: r.pick(['find-fieldlab', 'check-programs', 'talk-to-person', 'quick-scan']), theme: r.pick([hostile, { x: 1 }, ['ai'], 5, null, '', 'x'.repeat(3000), ...v.themes]), need: r.pick([hostile, 5, {}, null, ...v.needs]), lang: 'nl' },
    { sia: 'open', id: 'find-fieldlab', theme: hostile, lang: 'nl' },
    { sia: 'open', id: 'check-programs', need: hostile, lang: 'en' },
    { sia: 'feedback', id, vote: r.pick(['up', 'down', 'sideways', 5, null]) },
    { sia: 'feedback', id: hostile, vote: 'up' },
    { sia: 'slot', slot: r.pick(['theme', 'place', 'size', 'need', 'score', 'other', 5]), value: r.pick(['any', '3', hostile, 7, null, ...v.provinces, ...v.themes]) },
    { sia: 'none' },
    { sia: 'none', lang: hostile },
    { sia: r.pick(['delete', 'OPEN', '', null, 5, {}, ['open']]), id },
    { lang: 'xx' },
    { lang: ['nl'] },
    { action: { type: 'Action.Execute', verb: 'x' } },
    { msteams: { type: 'messageBack', text: hostile } },
    { text: hostile },
    { sia: 'open', id, lang: 'nl', extra: 'x'.repeat(r.int(10, 20000)) },
  ];
}

function nested(depth: number): unknown {
  let v: unknown = 'bodem';
  for (let i = 0; i < depth; i++) v = i % 2 ? [v] : { sia: 'open', id: v };
  return v;
}

/** Random helpers over one PRNG. */
class Rand {
  constructor(readonly next: () => number) {}
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(list: readonly T[]): T {
    return list[Math.floor(this.next() * list.length)]!;
  }
  /** A string of `length` code units made of the parts in random order (a random block of at most 4 KB, repeated). */
  repeatFrom(parts: readonly string[], length: number): string {
    const pieces: string[] = [];
    let size = 0;
    while (size < Math.min(length, 4096)) {
      const p = this.pick(parts);
      pieces.push(p);
      size += p.length;
    }
    return pieces.join('').repeat(Math.ceil(length / size)).slice(0, length);
  }
}

interface OddText {
  readonly family: string;
  readonly text: string;
  /** Nothing visible: the bot must say it sees no question. */
  readonly blank?: boolean;
  /** Far over MAX_MESSAGE_CHARS, with no markup the bot strips: the bot must say it read only the start. */
  readonly long?: boolean;
}

/** An odd text: each family the brief names, sometimes mixed into a real question. */
function oddText(r: Rand, v: Vocabulary): OddText {
  const q = r.pick(v.questions);
  const family = r.pick(['empty', 'whitespace', 'invisible', 'control', 'rtl', 'emoji', 'unicode', 'html', 'markdown', 'card-json', 'injection', 'long-word', 'huge', 'commands', 'question', 'mixed', 'mixed', 'number']);
  const mix = (frag: string) => {
    const at = r.int(0, q.length);
    return r.chance(0.5) ? `${q.slice(0, at)} ${frag} ${q.slice(at)}` : frag;
  };
  switch (family) {
    case 'empty':
      return { family, text: '', blank: true };
    case 'whitespace':
      return { family, text: r.pick(WHITESPACE), blank: true };
    case 'invisible':
      return { family, text: r.repeatFrom(INVISIBLE, r.int(1, 20)), blank: true };
    case 'control':
      return { family, text: mix(r.repeatFrom(CONTROL, r.int(1, 40))) };
    case 'rtl':
      return { family, text: mix(r.pick(RTL_ZERO_WIDTH)) };
    case 'emoji':
      return { family, text: mix(r.repeatFrom(EMOJI, r.int(1, 30))) };
    case 'unicode':
      return { family, text: mix(r.pick(UNICODE)) };
    case 'html':
      return { family, text: mix(r.pick(HTML)) };
    case 'markdown':
      return { family, text: mix(r.pick(MARKDOWN)) };
    case 'card-json':
      return { family, text: r.pick(CARD_JSON) };
    case 'injection':
      return { family, text: mix(r.pick(INJECTION)) };
    case 'long-word':
      return { family, text: mix(r.pick(['a', 'x', 'ä', 'a\u0301', '9', 'co', '🤖']).repeat(5000).slice(0, 5000)), long: true };
    case 'huge':
      return { family, ...hugeText(r, q) };
    case 'commands':
      return { family, text: r.pick(COMMANDS) };
    case 'number':
      return { family, text: String(r.pick([0, -1, 1e21, 3.14, 12345678, 2 ** 53, Number.MAX_VALUE])) };
    case 'mixed':
      return { family, text: [q, r.pick(HTML), r.pick(EMOJI), r.pick(RTL_ZERO_WIDTH), r.pick(INJECTION), r.pick(MARKDOWN)].sort(() => r.next() - 0.5).join(' ') };
    default:
      return { family: 'question', text: q };
  }
}

/** About 100 KB of text: over MAX_MESSAGE_CHARS always, over the body limit when it escapes to more. */
function hugeText(r: Rand, q: string): { text: string; long: boolean } {
  const size = 100 * 1024;
  switch (r.int(0, 4)) {
    case 0:
      return { text: 'x'.repeat(size), long: true };
    case 1:
      return { text: `${q} `.repeat(Math.ceil(size / (q.length + 1))).slice(0, size), long: true };
    case 2:
      return { text: r.repeatFrom(['🤖', '👍🏽', 'é', 'ß', ' '], size), long: true }; // more bytes than characters
    case 3:
      return { text: r.repeatFrom(CONTROL, size), long: false }; // JSON escapes make this several times larger
    default:
      return { text: r.repeatFrom([...HTML, ...MARKDOWN, ' '], size), long: false }; // <at>…</at> is stripped
  }
}

// ---------------------------------------------------------------- activities

interface ActivityShape {
  readonly activity: Record<string, unknown>;
  /** The bot must reply with a message. */
  readonly mustReply: boolean;
  /** Which of its texts the bot must reply with, when the case decides it. */
  readonly says?: FuzzRequest['says'];
}

function locale(r: Rand): string | null | undefined {
  return r.chance(0.6) ? r.pick(['nl-NL', 'en-US']) : r.pick(LOCALES);
}

function channel(r: Rand): string {
  return r.chance(0.6) ? r.pick(['emulator', 'webchat', 'msteams']) : r.pick(CHANNELS);
}

/** The addressing of an activity, with optional fields left out or odd now and then. */
function envelope(r: Rand, o: FuzzOptions, conversationId: string, channelId: string): Record<string, unknown> {
  const a: Record<string, unknown> = {
    channelId,
    deliveryMode: 'expectReplies',
    conversation: { id: conversationId },
  };
  // Odd but allowed: what the protocol requires is there and of the right type.
  a.from = { id: `user-${r.int(1, 50)}`, ...r.pick<Record<string, unknown>>([{}, { name: 'Jan' }, { name: '' }, { name: '<script>x</script>' }, { name: 'Ünïcødé 👋' }, { name: null }, { role: 'user', aadObjectId: 'x' }]) };
  if (r.chance(0.85)) a.recipient = r.chance(0.9) ? { id: o.botId, name: 'Advisor' } : r.pick([{}, { id: '' }, { id: null }, { name: 'no id' }]);
  const loc = locale(r);
  if (loc !== undefined) a.locale = loc;
  if (r.chance(0.7)) a.id = r.pick([`act-${r.int(1, 1e9)}`, `act-${r.int(1, 1e9)}`, '', null, 'x'.repeat(300)]);
  if (r.chance(0.5)) a.timestamp = r.pick([new Date(1_700_000_000_000 + r.int(0, 1e9)).toISOString(), 'not a date', '', 0, '9999-99-99T99:99:99Z']);
  if (r.chance(0.15)) a.localTimestamp = r.pick(['2026-01-01T10:00:00+01:00', 'nope', 5]);
  if (r.chance(0.1)) a.replyToId = r.pick(['x', '', null]);
  if (r.chance(0.1)) a.channelData = r.pick([{}, { tenant: { id: 't' } }, { tenant: 5 }, null, { eventType: 'teamRenamed', team: null }, { eventType: 5 }, { clientActivityID: '<script>' }]);
  if (r.chance(0.08)) a.textFormat = r.pick(['markdown', 'plain', 'xml', 5, '']);
  if (r.chance(0.05)) a.callerId = r.pick(['urn:botframework:azure', 5, '']);
  if (r.chance(0.05)) a.relatesTo = r.pick([{}, 'x', { conversation: null }]);
  if (r.chance(0.05)) a.serviceUrl = 'http://127.0.0.1:1/'; // never called: the replies come back in the body
  const conversation = a.conversation as Record<string, unknown>;
  if (channelId === 'msteams' && r.chance(0.7)) conversation.conversationType = r.pick(['personal', 'personal', 'groupChat', 'channel', undefined, '']);
  if (r.chance(0.1)) conversation.tenantId = r.pick(['t', '', null]);
  if (r.chance(0.1)) conversation.isGroup = r.pick([true, false, null]);
  if (r.chance(0.05)) conversation.name = r.pick(['<script>', '', 'x'.repeat(1000)]);
  return a;
}

/** Whether the bot will surely answer a message on this channel and conversation (Teams group chats need an @mention). */
function addressed(a: Record<string, unknown>, o: FuzzOptions): boolean {
  if (a.channelId !== 'msteams') return true;
  const type = (a.conversation as { conversationType?: unknown }).conversationType;
  if (!type || type === 'personal') return true;
  if (a.value && !a.text) return true;
  const botId = (a.recipient as { id?: unknown } | undefined)?.id;
  return botId === o.botId && Array.isArray(a.entities) && a.entities.some((e: { type?: string; mentioned?: { id?: string } }) => e?.type === 'mention' && e.mentioned?.id === o.botId);
}

function messageActivity(r: Rand, o: FuzzOptions, conversationId: string): { shape: ActivityShape; family: string } {
  const a = envelope(r, o, conversationId, channel(r));
  a.type = 'message';
  let family: string;
  let t: OddText | null = null;
  if (r.chance(0.3)) {
    family = 'value';
    a.value = r.pick(oddValues(r, o.vocabulary));
    if (r.chance(0.3)) a.text = r.pick(['', ' ', r.pick(o.vocabulary.questions)]);
  } else {
    t = oddText(r, o.vocabulary);
    family = `text/${t.family}`;
    if (t.family !== 'empty' || r.chance(0.5)) a.text = t.text;
    if (r.chance(0.05)) {
      a.text = null;
      t = { ...t, blank: true, long: false };
    }
  }
  if (r.chance(0.15)) {
    const mentionText = r.pick(['<at>Advisor</at>', '<at>Someone</at>', '@Advisor', '']);
    a.entities = r.pick([
      [{ type: 'mention', text: mentionText, mentioned: { id: o.botId, name: 'Advisor' } }],
      [{ type: 'mention', text: 5, mentioned: null }],
      [null, 5, 'x', {}],
      [{ type: 'clientInfo', locale: 'nl-NL', platform: 'Web' }],
      [],
    ]);
    if (typeof a.text === 'string' && r.chance(0.5)) a.text = `${mentionText} ${a.text}`;
  }
  if (r.chance(0.06)) a.attachments = r.pick([[], [null], [5], [{ contentType: 'image/png', contentUrl: 'http://127.0.0.1:1/x.png' }], [{ contentType: 'application/vnd.microsoft.card.adaptive', content: { type: 'AdaptiveCard' } }]]);
  const mustReply = addressed(a, o);
  // Only a plain text message decides the reply: no mentions to strip, no files, no card value.
  const plain = t && mustReply && a.entities === undefined && a.value === undefined && (a.attachments === undefined || (a.attachments as unknown[]).length === 0);
  const says = plain ? (t!.blank ? 'empty' : t!.long ? 'tooLong' : undefined) : undefined;
  return { shape: { activity: a, mustReply, says }, family };
}

function otherActivity(r: Rand, o: FuzzOptions, conversationId: string): { shape: ActivityShape; family: string } {
  const type = r.pick(ACTIVITY_TYPES);
  const a = envelope(r, o, conversationId, channel(r));
  a.type = type;
  let mustReply = false;
  switch (type) {
    case 'conversationUpdate': {
      const members = r.pick<unknown>([undefined, null, [], [null], [{}], [{ id: '' }], [{ id: 5 }], [{ id: o.botId }], [{ id: 'new-user', name: '<img src=x onerror=alert(1)>' }], Array.from({ length: 300 }, (_, i) => ({ id: `m${i}` })), [5, 'x', true]]);
      if (members !== undefined) a.membersAdded = members;
      if (r.chance(0.3)) a.membersRemoved = r.pick([[], [{ id: 'x' }], [null], null]);
      const botId = (a.recipient as { id?: unknown } | undefined)?.id;
      // A member with an id that is not the bot's is welcomed (on every channel but a Teams channel event).
      mustReply = Array.isArray(members) && members.some((m) => m && typeof m === 'object' && (m as { id?: unknown }).id && (m as { id?: unknown }).id !== botId);
      if (a.channelId === 'msteams') mustReply = false; // Teams routes channel events through its own handlers
      break;
    }
    case 'invoke':
      if (r.chance(0.9)) a.name = r.pick(INVOKE_NAMES);
      if (r.chance(0.8)) a.value = r.pick<unknown>([undefined, null, 5, 'x', [], {}, { action: null }, { action: { type: 'Action.Execute', verb: 'x', data: {} } }, { action: { type: 'Action.Submit' } }, { kind: 'search', queryText: '<script>' }, { kind: 5 }, { action: 'accept' }, { commandId: 'x' }, ...oddValues(r, o.vocabulary).slice(0, 8)]);
      break;
    case 'event':
      if (r.chance(0.9)) a.name = r.pick(EVENT_NAMES);
      if (r.chance(0.7)) a.value = r.pick(oddValues(r, o.vocabulary));
      break;
    case 'messageReaction':
      if (r.chance(0.8)) a.reactionsAdded = r.pick<unknown>([[], [null], [{ type: 'like' }], [{ type: 5 }], 'x', {}]);
      if (r.chance(0.5)) a.reactionsRemoved = r.pick<unknown>([[], [{ type: 'like' }], 5]);
      break;
    case 'installationUpdate':
      if (r.chance(0.8)) a.action = r.pick<unknown>(['add', 'remove', 'add-upgrade', 'remove-upgrade', 5, '', null]);
      break;
    case 'endOfConversation':
      if (r.chance(0.5)) a.code = r.pick<unknown>(['completedSuccessfully', 'unknown', 5, null]);
      break;
    default:
      if (r.chance(0.3)) a.value = r.pick(oddValues(r, o.vocabulary));
      if (r.chance(0.3)) a.text = oddText(r, o.vocabulary).text;
  }
  return { shape: { activity: a, mustReply }, family: `type/${type.length > 30 ? 'long' : type.trim() || 'blank'}` };
}

// ---------------------------------------------------------------- malformed requests

function bytesOf(s: string): number {
  return Buffer.byteLength(s, 'utf8');
}

function malformed(r: Rand, o: FuzzOptions, conversationId: string): FuzzRequest {
  const valid = (): Record<string, unknown> => ({ type: 'message', channelId: 'emulator', deliveryMode: 'expectReplies', conversation: { id: conversationId }, from: { id: 'user-malformed' }, text: 'wat is een cobot' });
  const json = (label: string, body: unknown): FuzzRequest => ({ label, body: JSON.stringify(body), contentType: 'application/json', expect: [400], reply: 'any' });
  const kind = r.int(0, 5);
  if (kind === 0) {
    const whole = JSON.stringify(valid());
    const body = r.pick(['{', '{"type": "message", ', "{'type':'message'}", '{"a":1}}', 'NaN', '[1,]', '{"a":undefined}', '\ufeff{}', '{"type":"message",}', 'nul', '{"a" "b"}', whole.slice(0, r.int(1, whole.length - 1)), `${whole}x`, '\u0000']);
    return { label: 'malformed/invalid-json', body, contentType: 'application/json', expect: [400], reply: 'any' };
  }
  if (kind === 1) return json('malformed/not-an-object', r.pick<unknown>([[], [valid()], 'message', 42, null, true, '']));
  if (kind === 2) {
    const a: Record<string, unknown> = valid();
    const broken = r.pick([
      () => delete a.type,
      () => (a.type = r.pick<unknown>(['', 5, ['message'], null, {}, 'x'.repeat(65)])),
      () => delete a.channelId,
      () => (a.channelId = r.pick<unknown>(['', 5, null, 'x'.repeat(257)])),
      () => delete a.conversation,
      () => (a.conversation = r.pick<unknown>(['c', {}, { id: 5 }, { id: '' }, { id: 'x'.repeat(2049) }, [], null])),
      () => delete a.from,
      () => (a.from = r.pick<unknown>(['x', 5, [], {}, { id: '' }, { id: 5 }, { id: {} }, { id: 'u', name: 5 }, { id: 'u', role: [] }])),
      () => (a.recipient = r.pick<unknown>(['x', 5, [], { id: 7 }, { id: 'b', name: {} }])),
      () => (a.id = r.pick<unknown>([5, {}, [], true, 'x'.repeat(2049)])),
      () => (a.replyToId = r.pick<unknown>([5, {}, []])),
      () => (a.channelData = r.pick<unknown>(['x', 5, [], true])),
      () => (a.conversation = { id: conversationId, ...r.pick<Record<string, unknown>>([{ tenantId: 5 }, { tenantId: {} }, { conversationType: 5 }, { isGroup: 'yes' }, { isGroup: 1 }, { name: [] }]) }),
      () => (a.text = r.pick<unknown>([5, {}, [], true])),
      () => (a.locale = r.pick<unknown>([5, {}, []])),
      () => (a.entities = r.pick<unknown>([{}, 'x', 5])),
      () => (a.attachments = r.pick<unknown>([{}, 'x', 5])),
      () => ((a.type = 'conversationUpdate'), (a.membersAdded = r.pick<unknown>([{}, 'x', 5]))),
      () => ((a.serviceUrl = r.pick<unknown>([5, {}, [], true, 'not a url', 'ftp://127.0.0.1/', 'javascript:alert(1)'])), r.chance(0.5) && delete a.deliveryMode),
      () => delete a.deliveryMode, // no serviceUrl to reply to
    ]);
    broken();
    return json('malformed/activity', a);
  }
  if (kind === 3) {
    const body = JSON.stringify(valid());
    const variant = r.int(0, 8);
    const bytes = new TextEncoder().encode(body);
    switch (variant) {
      case 0:
        return { label: 'content-type/text-plain', body, contentType: 'text/plain', expect: [415], reply: 'any' };
      case 1:
        return { label: 'content-type/none', body: bytes, expect: [415], reply: 'any' };
      case 2:
        return { label: 'content-type/xml', body: '<activity type="message"/>', contentType: 'application/xml', expect: [415], reply: 'any' };
      case 3:
        return { label: 'content-type/form', body: `type=message&channelId=emulator&deliveryMode=expectReplies&conversation[id]=${conversationId}&text=cobot`, contentType: 'application/x-www-form-urlencoded', expect: [415], reply: 'any' };
      case 4: {
        const boundary = `----fuzz${r.int(1, 1e9)}`;
        const multipart = [`--${boundary}`, 'Content-Disposition: form-data; name="type"', '', 'message', `--${boundary}`, 'Content-Disposition: form-data; name="file"; filename="a.bin"', 'Content-Type: application/octet-stream', '', 'x'.repeat(r.int(1, 5000)), `--${boundary}--`, ''].join('\r\n');
        return { label: 'content-type/multipart', body: multipart, contentType: `multipart/form-data; boundary=${boundary}`, expect: [415], reply: 'any' };
      }
      case 5:
        return { label: 'content-type/csv', body: 'type,text\nmessage,hoi', contentType: 'text/csv', expect: [415], reply: 'any' };
      case 6:
        return { label: 'content-encoding/gzip-invalid', body, contentType: 'application/json', headers: { 'content-encoding': 'gzip' }, expect: [415], reply: 'any' };
      case 7:
        return { label: 'content-encoding/other', body, contentType: 'application/json', headers: { 'content-encoding': r.pick(['br', 'deflate', 'x-custom', 'gzip, gzip']) }, expect: [415], reply: 'any' };
      default:
        return { label: 'content-type/html', body: '<script>alert(1)</script>', contentType: 'text/html', expect: [415], reply: 'any' };
    }
  }
  if (kind === 4) {
    // Over the body limit: text, a card value, many entities.
    const over = o.limits.maxBodyBytes + r.int(1, 64 * 1024);
    const a: Record<string, unknown> = valid();
    const what = r.int(0, 2);
    if (what === 0) a.text = 'x'.repeat(over);
    else if (what === 1) a.value = { sia: 'open', id: 'x'.repeat(over) };
    else a.entities = Array.from({ length: Math.ceil(over / 20) }, () => ({ type: 'clientInfo' }));
    return { label: 'limit/over', body: JSON.stringify(a), contentType: 'application/json', expect: [413], reply: 'any' };
  }
  // Valid JSON with a charset or odd spacing in the content type: accepted.
  return {
    label: 'content-type/json-variant',
    body: JSON.stringify(valid()),
    contentType: r.pick(['application/json; charset=utf-8', 'application/json;charset=UTF-8', 'Application/JSON', 'application/json ; charset=utf-8']),
    expect: [200],
    reply: 'message',
    channelId: 'emulator',
  };
}

// ---------------------------------------------------------------- cases and sessions

function activityRequest(o: FuzzOptions, label: string, shape: ActivityShape): FuzzRequest {
  const body = JSON.stringify(shape.activity);
  const over = bytesOf(body) > o.limits.maxBodyBytes;
  return {
    label: over ? `${label} (over the limit)` : label,
    body,
    contentType: 'application/json',
    expect: over ? [413] : [200],
    reply: shape.mustReply ? 'message' : 'any',
    channelId: String(shape.activity.channelId),
    ...(shape.says && !over ? { says: shape.says } : {}),
  };
}

/** A task started by a button or by words, then odd answers to its questions. */
function taskSession(r: Rand, o: FuzzOptions, conversationId: string): FuzzRequest[] {
  const task = r.pick(['find-fieldlab', 'check-programs', 'quick-scan', 'talk-to-person']);
  const base = (): Record<string, unknown> => ({ type: 'message', channelId: r.pick(['emulator', 'webchat', 'msteams']), deliveryMode: 'expectReplies', conversation: { id: conversationId }, from: { id: 'user-task' }, recipient: { id: o.botId }, locale: r.pick(['nl-NL', 'en-US']) });
  const start = base();
  if (r.chance(0.5)) start.value = { sia: 'open', id: task, lang: 'nl' };
  else start.text = r.pick(['fieldlab zoeken', 'welke subsidies zijn er voor mij', 'quick scan', 'ik wil iemand spreken', 'find a fieldlab', 'check programs']);
  const out = [activityRequest(o, `session/${task}/start`, { activity: start, mustReply: true })];
  const steps = r.int(1, 4);
  for (let i = 0; i < steps; i++) {
    const a = base();
    const pickStep = r.int(0, 4);
    if (pickStep === 0) a.value = r.pick(oddValues(r, o.vocabulary));
    else if (pickStep === 1) a.value = { sia: 'slot', slot: r.pick(['theme', 'place', 'size', 'need', 'score']), value: r.pick(['any', '1', '3', '5', 'micro', ...o.vocabulary.provinces, ...o.vocabulary.themes, ...o.vocabulary.needs, r.pick(HTML)]), lang: 'nl' };
    else if (pickStep === 2) a.text = r.pick([...COMMANDS, 'Utrecht', '12 mensen', 'maakt niet uit', '3', 'AI']);
    else a.text = oddText(r, o.vocabulary).text;
    out.push(activityRequest(o, `session/${task}/step`, { activity: a, mustReply: true }));
  }
  return out;
}

/** The same turn without expectReplies: the replies go to the serviceUrl, the response has no body. */
function serviceUrlRequest(r: Rand, o: FuzzOptions, conversationId: string): FuzzRequest {
  const { shape } = messageActivity(r, o, conversationId);
  const a: Record<string, unknown> = { ...shape.activity, serviceUrl: o.serviceUrl };
  delete a.deliveryMode;
  const req = activityRequest(o, 'serviceUrl/message', { activity: a, mustReply: false });
  return { ...req, expect: req.expect[0] === 413 ? [413] : [200, 201, 202], reply: 'empty' };
}

/** Every session of the run, in order. The same options always give the same sessions. */
export function fuzzSessions(o: FuzzOptions): FuzzSession[] {
  const r = new Rand(prng(o.seed));
  const sessions: FuzzSession[] = [];
  let count = 0;
  let n = 0;
  while (count < o.requests) {
    const conversationId = `fuzz-${o.seed}-${++n}`;
    const roll = r.next();
    let requests: FuzzRequest[];
    if (roll < 0.5) {
      const { shape, family } = messageActivity(r, o, conversationId);
      requests = [activityRequest(o, `message/${family}`, shape)];
    } else if (roll < 0.7) {
      const { shape, family } = otherActivity(r, o, conversationId);
      requests = [activityRequest(o, family, shape)];
    } else if (roll < 0.85) {
      requests = [malformed(r, o, conversationId)];
    } else if (roll < 0.93) {
      requests = taskSession(r, o, conversationId);
    } else if (roll < 0.95) {
      // The same message two or three times at once, each with its own activity id.
      const { shape, family } = messageActivity(r, o, conversationId);
      const copies = r.int(2, 3);
      requests = Array.from({ length: copies }, (_, i) => activityRequest(o, `together/${family}`, { ...shape, activity: { ...shape.activity, id: `together-${n}-${i}` } }));
      sessions.push({ requests, together: true });
      count += requests.length;
      continue;
    } else {
      requests = [serviceUrlRequest(r, o, conversationId)];
    }
    sessions.push({ requests });
    count += requests.length;
  }
  return sessions;
}
