/**
 * The cases of the Direct Line fuzz test (test/channels/directline/fuzz.test.ts): generated from a
 * seed with the PRNG of the /api/messages fuzz (./fuzzCases), so one seed always gives the same
 * requests. The tokens they carry are made by the test before generating (a started
 * conversation of the fuzz, another conversation the fuzz must never reach, an expired token,
 * a forged one…), so the *shapes* are fixed by the seed and the tokens by the run.
 *
 * A case is a raw HTTP request (method, path with query, headers, body) with the statuses it may
 * get. `foreign` marks a request whose token belongs to another conversation than its path: it
 * must never succeed.
 */
import { prng } from './fuzzCases';

export interface DlFuzzRequest {
  /** The family of the case ("auth/expired", "watermark/float"…), for the summary and failures. */
  readonly label: string;
  readonly method: string;
  /** Path and query under the server's base URL, sent as is (no further encoding). */
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string | Uint8Array;
  /** The statuses this request may get. */
  readonly expect: readonly number[];
  /** The token is of another conversation than the path's: a 2xx would be a leak. */
  readonly foreign?: boolean;
}

export interface DlConversation {
  readonly conversationId: string;
  readonly token: string;
}

export interface DlFuzzContext {
  /** A started conversation of the fuzz, with its valid token: odd requests go here. */
  readonly own: DlConversation;
  /** Another started conversation: nothing sent with `own`'s token may reach it. */
  readonly other: DlConversation;
  /** An expired token of `own`'s conversation (same secret). */
  readonly expired: string;
  /** A well-formed token of `own`'s conversation signed with another secret. */
  readonly wrongSecret: string;
  /** A token with alg "none", claims of `own`. */
  readonly algNone: string;
  /** A stream token of `own` (another audience: not valid for the REST endpoints). */
  readonly streamToken: string;
  /** What `other`'s posts must never contain: the marker every foreign write carries. */
  readonly marker: string;
  readonly maxBodyBytes: number;
}

const DL = '/v3/directline';

class Rand {
  constructor(private readonly next: () => number) {}
  float(): number {
    return this.next();
  }
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }
}

const CONTROL = ['\u0000', '\u0001', '\u0007', '\b', '\u001b[31m', '\u007f', '\u0085', '\r\n', '\t'];
const BIDI = ['\u202e', '\u202d', '\u2066', '\u2069', '\u200f', '\u061c'];
const ZERO_WIDTH = ['\u200b', '\u200c', '\u200d', '\u2060', '\ufeff', '\u00ad'];
const HTML = ['<script>alert(1)</script>', '<img src=x onerror=alert(1)>', '<iframe src="javascript:alert(1)">', '"><svg onload=alert(1)>', '<a href="javascript:alert(1)">x</a>', '{{constructor.constructor("alert(1)")()}}', '${7*7}', '[x](javascript:alert(1))', '![x](data:text/html,<script>)'];
const QUESTIONS = ['Wat is een cobot?', 'Hoe begin ik met predictive maintenance?', 'what is a digital twin', 'subsidie voor automatisering', 'fieldlab zoeken'];

// ---------------------------------------------------------------- headers

interface Auth {
  readonly label: string;
  /** The Authorization header (undefined: none). */
  readonly header?: string;
  /** What the token endpoints and a conversation endpoint of `own` answer: 'ok', 401, 403 or 431 (too big for Node's parser). */
  readonly outcome: 'ok' | 401 | 403 | 431;
}

function auth(r: Rand, c: DlFuzzContext): Auth {
  const [h, p] = c.own.token.split('.');
  switch (r.int(0, 17)) {
    case 0:
      return { label: 'auth/missing', outcome: 401 };
    case 1:
      return { label: 'auth/empty', header: r.pick(['', 'Bearer', 'Bearer ', 'bearer\t']), outcome: 401 };
    case 2:
      return { label: 'auth/other-scheme', header: r.pick([`Basic ${Buffer.from('a:b').toString('base64')}`, `Token ${c.own.token}`, `Bearer: ${c.own.token}`, c.own.token]), outcome: 401 };
    case 3:
      return { label: 'auth/malformed', header: `Bearer ${r.pick(['abc', 'a.b', 'a.b.c', '...', 'eyJ.eyJ.x', `${h}.${p}`, `${h}..`, `${c.own.token}.x`, '%00', 'null', 'undefined', '[object Object]'])}`, outcome: 401 };
    case 4:
      return { label: 'auth/two-tokens', header: `Bearer ${c.own.token} ${c.own.token}`, outcome: 401 };
    case 5:
      return { label: 'auth/wrong-signature', header: `Bearer ${c.wrongSecret}`, outcome: 401 };
    case 6:
      return { label: 'auth/forged-signature', header: `Bearer ${h}.${p}.${Buffer.from('forged-signature-bytes-0123456789').toString('base64url')}`, outcome: 401 };
    case 7:
      return { label: 'auth/alg-none', header: `Bearer ${c.algNone}`, outcome: 401 };
    case 8:
      return { label: 'auth/tampered-claims', header: `Bearer ${h}.${Buffer.from(JSON.stringify({ conv: c.other.conversationId, user: 'dl_x', oit: 1, iat: 1, exp: 9_999_999_999 })).toString('base64url')}.${c.own.token.split('.')[2]}`, outcome: 401 };
    case 9:
      return { label: 'auth/stream-token', header: `Bearer ${c.streamToken}`, outcome: 401 };
    case 10:
    case 11:
      return { label: 'auth/expired', header: `Bearer ${c.expired}`, outcome: 403 };
    case 12:
      return { label: 'auth/huge', header: `Bearer ${'x'.repeat(r.int(1000, 12_000))}`, outcome: 401 };
    case 13:
      return { label: 'auth/huge-over-header-limit', header: `Bearer ${'A'.repeat(r.int(17_000, 40_000))}`, outcome: 431 };
    case 14:
      return { label: 'auth/odd-characters', header: `Bearer ${r.pick(['é', 'tok\u00ff', '"quoted"', "'x'", '\\x00', '<script>', 'a,b'])}`, outcome: 401 };
    default:
      return { label: 'auth/valid', header: r.chance(0.8) ? `Bearer ${c.own.token}` : r.pick([`bearer ${c.own.token}`, `BEARER   ${c.own.token}  `]), outcome: 'ok' };
  }
}

// ---------------------------------------------------------------- bodies

interface Body {
  readonly label: string;
  readonly body?: string | Uint8Array;
  readonly headers: Record<string, string>;
  /** The status the body alone decides (before the route: 400, 413, 415), or undefined when it reaches the route. */
  readonly status?: number;
  /** What the route's handler sees in req.body (for the activity POST: whether it is a valid activity is decided there). */
  readonly json?: unknown;
}

const JSON_HEADERS = { 'content-type': 'application/json' };

function nested(depth: number): string {
  return `${'['.repeat(depth)}${']'.repeat(depth)}`;
}

function body(r: Rand, c: DlFuzzContext, valid: () => unknown): Body {
  switch (r.int(0, 11)) {
    case 0:
      return { label: 'body/none', headers: {}, json: undefined };
    case 1: {
      const v = valid();
      return { label: 'body/valid', body: JSON.stringify(v), headers: JSON_HEADERS, json: v };
    }
    case 2:
      return { label: 'body/invalid-json', body: r.pick(['{', '{"type":', "{'type':'message'}", 'NaN', '[1,]', '{"a":undefined}', '\ufeff{}', 'nul', '{"a" "b"}', '\u0000', '{"type":"message"}}']), headers: JSON_HEADERS, status: 400 };
    case 3: {
      const v = r.pick<unknown>([[], [valid()], 'message', 42, true, null, {}, { user: 5 }, { locale: 5 }, { locale: '<script>' }, { locale: 'x'.repeat(500) }, { __proto__: { type: 'message' } }, JSON.parse('{"__proto__":{"polluted":1}}'), { constructor: { prototype: { polluted: 1 } } }]);
      return { label: 'body/wrong-type', body: JSON.stringify(v), headers: JSON_HEADERS, json: v };
    }
    case 4: {
      const type = r.pick(['text/plain', 'application/xml', 'application/x-www-form-urlencoded', 'text/html', 'multipart/form-data; boundary=x', 'application/octet-stream', 'text/csv', 'application/jsonx', 'json', 'application/json-patch']);
      return { label: 'content-type/not-json', body: JSON.stringify(valid()), headers: { 'content-type': type }, status: 415 };
    }
    case 5:
      return { label: 'content-type/none', body: new TextEncoder().encode(JSON.stringify(valid())), headers: {}, status: 415 };
    case 6: {
      const v = valid();
      return { label: 'content-type/json-variant', body: JSON.stringify(v), headers: { 'content-type': r.pick(['application/json; charset=utf-8', 'Application/JSON', 'application/json ; charset=UTF-8', 'application/vnd.api+json']) }, json: v };
    }
    case 7:
      return { label: 'content-encoding/odd', body: JSON.stringify(valid()), headers: { ...JSON_HEADERS, 'content-encoding': r.pick(['gzip', 'br', 'deflate', 'x-custom', 'gzip, gzip', 'compress']) }, status: 415 };
    case 8: {
      const over = c.maxBodyBytes + r.int(1, 64 * 1024);
      return { label: 'limit/over', body: JSON.stringify({ type: 'message', text: 'x'.repeat(over) }), headers: JSON_HEADERS, status: 413 };
    }
    case 9: {
      // Big but under the limit: the handler sees it.
      const v = { type: 'message', value: { junk: Array.from({ length: r.int(100, 3000) }, (_, i) => ({ i, s: 'y'.repeat(20) })) } };
      return { label: 'body/big-under-limit', body: JSON.stringify(v), headers: JSON_HEADERS, json: v };
    }
    case 10: {
      const depth = r.int(1000, 60_000);
      const text = r.chance(0.5) ? nested(depth) : `{"type":"message","value":${nested(depth)}}`;
      return { label: 'body/deeply-nested', body: text, headers: JSON_HEADERS, json: JSON.parse(text) };
    }
    default:
      return { label: 'body/empty-json-type', body: '', headers: JSON_HEADERS, json: undefined };
  }
}

// ---------------------------------------------------------------- activities

function oddString(r: Rand): string {
  const pieces = [...CONTROL, ...BIDI, ...ZERO_WIDTH, ...HTML, 'cobot', 'Wat is een ', '🤖', 'é'];
  return Array.from({ length: r.int(1, 30) }, () => r.pick(pieces)).join('');
}

function oddValue(r: Rand, depth = 0): unknown {
  const leaf = (): unknown => r.pick<unknown>([null, 0, -1, 1e308, Number.MAX_SAFE_INTEGER, true, '', 'x', oddString(r), [], {}, 'x'.repeat(r.int(100, 5000))]);
  if (depth > 3 || r.chance(0.4)) return leaf();
  if (r.chance(0.5)) return Array.from({ length: r.int(0, 5) }, () => oddValue(r, depth + 1));
  const o: Record<string, unknown> = {};
  for (let i = r.int(0, 5); i > 0; i--) o[r.pick(['sia', 'id', 'lang', 'slot', 'value', 'action', 'data', '__proto__', 'constructor', 'toString', 'x'.repeat(50), ''])] = oddValue(r, depth + 1);
  return o;
}

/** A card submission: the bot's own value shapes, with odd parts. */
function cardValue(r: Rand): unknown {
  return r.pick<unknown>([
    { sia: 'open', id: r.pick(['cobot-what', 'no-such-entry', '', 5, null, '../../etc/passwd', '<script>', 'x'.repeat(2000)]), lang: r.pick(['nl', 'en', 'de', 5, null, '']) },
    { sia: 'slot', slot: r.pick(['theme', 'place', 'size', 'need', 'score', 'x', 5, null]), value: r.pick(['any', '3', 5, null, [], {}, oddString(r)]), lang: 'nl' },
    { sia: r.pick(['task', 'feedback', 'reset', 'lang', 'x', 5, null, '', {}]), value: oddValue(r) },
    { sia: 'open' },
    { action: { type: 'Action.Submit', data: oddValue(r) } },
    oddValue(r),
  ]);
}

interface ActivityCase {
  readonly label: string;
  readonly activity: unknown;
  /** 200 when it is an activity the route takes, 400 when it refuses it. */
  readonly status: 200 | 400;
}

function activity(r: Rand): ActivityCase {
  const base = (): Record<string, unknown> => ({ type: 'message', channelData: { clientActivityID: `fz-${r.int(1, 1e9)}` } });
  switch (r.int(0, 13)) {
    case 0: {
      const a = base();
      delete a.type;
      a.text = 'hallo';
      return { label: 'activity/missing-type', activity: a, status: 400 };
    }
    case 1: {
      const a = base();
      a.type = r.pick<unknown>(['', 5, null, ['message'], {}, 'conversationUpdate', 'invoke', 'endOfConversation', 'MESSAGE', 'message ', 'x'.repeat(300), 'trace', 'handoff']);
      return { label: 'activity/wrong-type', activity: a, status: 400 };
    }
    case 2: {
      const a = base();
      a.text = r.pick<unknown>([5, {}, [], true, ['hallo']]);
      return { label: 'activity/text-not-string', activity: a, status: 400 };
    }
    case 3: {
      const a = base();
      const long = r.chance(0.5);
      a.text = long ? 'cobot '.repeat(r.int(1700, 8000)) : 'x'.repeat(r.int(5000, 10_000));
      return { label: long ? 'activity/text-over-10000' : 'activity/text-long', activity: a, status: (a.text as string).length > 10_000 ? 400 : 200 };
    }
    case 4: {
      const a = base();
      a.text = r.pick([...CONTROL, ...BIDI, ...ZERO_WIDTH]).repeat(r.int(1, 50)) + r.pick(['Wat is een cobot?', '', 'cobot']) + r.pick([...BIDI, ...ZERO_WIDTH]);
      return { label: 'activity/control-bidi-zero-width', activity: a, status: 200 };
    }
    case 5: {
      const a = base();
      a.text = `${r.pick(HTML)} ${r.pick(['cobot', ''])}`;
      if (r.chance(0.3)) a.textFormat = r.pick(['xml', 'markdown', 'plain', 'x'.repeat(40)]);
      return { label: 'activity/html', activity: a, status: 200 };
    }
    case 6: {
      const a = base();
      a.value = cardValue(r);
      if (r.chance(0.3)) a.text = r.pick(['', ' ', oddString(r)]);
      return { label: 'activity/card-submission', activity: a, status: 200 };
    }
    case 7: {
      const a = base();
      a.type = 'event';
      a.name = r.pick<unknown>(['webchat/join', 'startConversation', '', 5, null, 'x'.repeat(400), oddString(r)]);
      a.value = oddValue(r);
      return { label: 'activity/event', activity: a, status: 200 };
    }
    case 8: {
      const a = base();
      a.type = 'typing';
      return { label: 'activity/typing', activity: a, status: 200 };
    }
    case 9: {
      const a = base();
      a.text = 'Wat is een cobot?';
      const [k, v, ok] = r.pick<[string, unknown, boolean]>([
        ['locale', 5, false],
        ['locale', '<script>', false],
        ['locale', 'x'.repeat(100), false],
        ['locale', 'en-US', true],
        ['locale', null, true],
        ['channelData', 'x', false],
        ['channelData', [], false],
        ['channelData', 5, false],
        ['entities', {}, false],
        ['entities', 'x', false],
        ['entities', Array.from({ length: 500 }, () => ({ type: 'clientInfo' })), true],
        ['attachments', [{ contentType: 'image/png', contentUrl: 'http://127.0.0.1:1/x.png' }], false],
        ['attachments', [], true],
        ['attachments', 'x', true],
      ]);
      a[k] = v;
      return { label: `activity/field-${k}`, activity: a, status: ok ? 200 : 400 };
    }
    case 10: {
      // The addressing is the server's: what the client says about it is ignored.
      const a = base();
      a.text = 'Wat is een cobot?';
      a.from = r.pick<unknown>([{ id: 'bot', role: 'bot' }, { id: 5 }, 'x', { id: 'smart-industry-advisor', name: '<script>' }, null]);
      a.conversation = r.pick<unknown>([{ id: 'someone-else' }, 5, null]);
      a.recipient = r.pick<unknown>([{ id: 'x' }, 5]);
      a.serviceUrl = r.pick(['http://127.0.0.1:1/', 'javascript:alert(1)', 5]);
      a.id = r.pick<unknown>(['x', 5, {}]);
      return { label: 'activity/spoofed-addressing', activity: a, status: 200 };
    }
    case 11:
      return { label: 'activity/nested-junk', activity: { ...base(), text: r.chance(0.5) ? 'cobot' : undefined, value: oddValue(r), channelData: { junk: oddValue(r) }, entities: [oddValue(r), oddValue(r)] }, status: 200 };
    case 12:
      return { label: 'activity/not-an-object', activity: r.pick<unknown>([[], [base()], 'message', 5, null, true]), status: 400 };
    default: {
      const a = base();
      a.text = r.pick(QUESTIONS);
      return { label: 'activity/question', activity: a, status: 200 };
    }
  }
}

// ---------------------------------------------------------------- paths

function pct(s: string): string {
  return Array.from(Buffer.from(s, 'utf8'), (b) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`).join('');
}

/** A conversation id for the path: `own` as is, or something that is not `own`. */
function pathId(r: Rand, c: DlFuzzContext): { label: string; id: string; foreign: boolean; mayBeOwn?: boolean; matrix?: boolean } {
  switch (r.int(0, 9)) {
    case 0:
    case 1:
    case 2:
    case 3:
      return { label: 'id/own', id: c.own.conversationId, foreign: false };
    case 4:
      return { label: 'id/other-conversation', id: c.other.conversationId, foreign: true };
    case 5:
      return { label: 'id/unknown', id: r.pick(['AAAAAAAAAAAAAAAAAAAAAAAA', 'x', '0', 'null', 'undefined', c.own.conversationId.slice(1), `${c.own.conversationId}x`, c.own.conversationId.toUpperCase()]), foreign: true };
    case 6:
      return { label: 'id/traversal', id: r.pick(['..', '.', '..%2F..%2Fhealthz', '%2e%2e', '%2e%2e%2f%2e%2e%2fhealthz', `..%2F${c.other.conversationId}`, `${c.own.conversationId}%2F..%2F${c.other.conversationId}`, '..%5C..%5C', '%252e%252e%252f']), foreign: true };
    case 7:
      // The own id with a character percent-encoded: the server may decode it (then it is the own id).
      if (r.chance(0.7)) return { label: 'id/encoded-own', id: `${pct(c.own.conversationId.slice(0, 1))}${c.own.conversationId.slice(1)}`, foreign: false, mayBeOwn: true };
      // A matrix parameter: the router ends the path at ';', so "{own};x=1/activities" is GET conversations/{own} (reconnect), and a POST there has no route.
      return { label: 'id/matrix-param', id: `${c.own.conversationId};x=1`, foreign: false, mayBeOwn: true, matrix: true };
    case 8:
      return { label: 'id/odd-encoding', id: r.pick(['%00', '%', '%zz', '%C0%AE', '%E2%80%AE', '%F0%9F%A4%96', `${c.own.conversationId}%00`, `${c.own.conversationId}%20`, encodeURIComponent('<script>'), encodeURIComponent(oddString(r))]), foreign: true };
    default:
      return { label: 'id/huge', id: 'x'.repeat(r.int(300, 6000)), foreign: true };
  }
}

function watermark(r: Rand): { label: string; query: string; ok: boolean } {
  const [label, query, ok] = r.pick<[string, string, boolean]>([
    ['watermark/none', '', true],
    ['watermark/empty', '?watermark=', true],
    ['watermark/zero', '?watermark=0', true],
    ['watermark/number', `?watermark=${r.int(1, 50)}`, true],
    ['watermark/huge', `?watermark=${'9'.repeat(15)}`, true],
    ['watermark/too-long', `?watermark=${'9'.repeat(r.int(16, 400))}`, false],
    ['watermark/negative', `?watermark=-${r.int(1, 99)}`, false],
    ['watermark/float', r.pick(['?watermark=1.5', '?watermark=1e3', '?watermark=.5', '?watermark=1.']), false],
    ['watermark/non-numeric', `?watermark=${r.pick(['abc', 'NaN', 'Infinity', '0x10', 'true', 'null', '%00', '%20', '+1', '1%20', '%D9%A1', '%3Cscript%3E'])}`, false],
    ['watermark/repeated', `?watermark=1&watermark=${r.int(2, 9)}`, false],
    ['watermark/array-syntax', r.pick(['?watermark[]=1', '?watermark[a]=1']), false],
    ['watermark/odd-query', r.pick(['?watermark[__proto__]=1', '?__proto__[watermark]=1', '?constructor[prototype][x]=1', '?&&&', '?=', '?watermark', `?x=${'y'.repeat(3000)}`]), true],
  ]);
  return { label, query, ok };
}

// ---------------------------------------------------------------- cases

function withAuth(a: Auth, headers: Record<string, string> = {}): Record<string, string> {
  return a.header === undefined ? headers : { ...headers, authorization: a.header };
}

/** What the route answers for an auth outcome once the body got through (`okStatus` when the token is good). */
function authStatus(a: Auth, okStatus: readonly number[]): readonly number[] {
  return a.outcome === 'ok' ? okStatus : [a.outcome];
}

function tokenCase(r: Rand, c: DlFuzzContext): DlFuzzRequest {
  const which = r.pick(['generate', 'refresh']);
  const a = auth(r, c);
  const b = body(r, c, () => r.pick<unknown>([{}, { user: { id: 'dl_me' } }, { trustedOrigin: 'https://evil.example' }]));
  const headers = withAuth(a, b.headers);
  let expect: readonly number[];
  if (a.outcome === 431) expect = [431];
  else if (b.status) expect = [b.status];
  else expect = which === 'generate' ? [200] : authStatus(a, [200]);
  return { label: `tokens/${which}/${b.status ? b.label : a.label}`, method: 'POST', path: `${DL}/tokens/${which}`, headers, body: b.body, expect };
}

function startCase(r: Rand, c: DlFuzzContext): DlFuzzRequest {
  const a = auth(r, c);
  const b = body(r, c, () => ({ user: r.pick<unknown>([{}, { id: 'x' }, 5]), locale: r.pick<unknown>(['nl-NL', 'en-US', 5, '<script>', '', 'x'.repeat(300)]) }));
  const expect = a.outcome === 431 ? [431] : b.status ? [b.status] : authStatus(a, [200]); // own is started: 200, not 201
  return { label: `start/${b.status ? b.label : a.label}`, method: 'POST', path: `${DL}/conversations`, headers: withAuth(a, b.headers), body: b.body, expect };
}

function getActivitiesCase(r: Rand, c: DlFuzzContext): DlFuzzRequest {
  const a = r.chance(0.75) ? { label: 'auth/valid', header: `Bearer ${c.own.token}`, outcome: 'ok' as const } : auth(r, c);
  const id = pathId(r, c);
  const w = watermark(r);
  const reconnect = r.chance(0.15);
  const path = `${DL}/conversations/${id.id}${reconnect ? '' : '/activities'}${w.query}`;
  let expect: readonly number[];
  let label: string;
  if (a.outcome === 431) {
    expect = [431];
    label = a.label;
  } else if (a.outcome !== 'ok') {
    // A bad token is refused whatever the path (a path that routes nowhere: 404).
    expect = [a.outcome, 404, 405];
    label = a.label;
  } else if (id.matrix) {
    expect = [200, 400, 403];
    label = id.label;
  } else if (id.mayBeOwn) {
    expect = reconnect || w.ok ? [200, 403] : [400, 403];
    label = id.label;
  } else if (id.foreign) {
    expect = [403, 404, 405];
    label = id.label;
  } else {
    expect = reconnect || w.ok ? [200] : [400];
    label = w.label;
  }
  return { label: `${reconnect ? 'reconnect' : 'get-activities'}/${label}`, method: 'GET', path, headers: withAuth(a), expect, foreign: a.outcome === 'ok' && id.foreign };
}

function postActivityCase(r: Rand, c: DlFuzzContext): DlFuzzRequest {
  const a = r.chance(0.7) ? { label: 'auth/valid', header: `Bearer ${c.own.token}`, outcome: 'ok' as const } : auth(r, c);
  const id = pathId(r, c);
  const act = activity(r);
  const useBody = r.chance(0.25);
  const b: Body = useBody ? body(r, c, () => act.activity) : { label: act.label, body: JSON.stringify(act.activity), headers: JSON_HEADERS, json: act.activity };
  // Writes to another conversation carry the marker, so the test can tell none got through.
  let sent = b;
  if (id.foreign && b.json && typeof b.json === 'object' && !Array.isArray(b.json) && b.status === undefined) {
    // Spliced into the text, not stringified again: a deeply nested body is more than JSON.stringify's stack takes.
    const text = String(b.body);
    const marked = `${text.slice(0, -1)}${text.trim() === '{}' ? '' : ','}"text":${JSON.stringify(`${c.marker} ${String((b.json as { text?: unknown }).text ?? '')}`)}}`;
    sent = { ...b, body: marked };
  }
  const routeStatus = (): readonly number[] => {
    if (!useBody || b.label === 'body/valid' || b.label === 'content-type/json-variant') return [act.status];
    // Any other body: refused, unless it happens to be an activity the route takes.
    return [200, 400];
  };
  let expect: readonly number[];
  let label: string;
  if (a.outcome === 431) {
    expect = [431];
    label = a.label;
  } else if (sent.status) {
    expect = [sent.status, 404, 405];
    label = sent.label;
  } else if (a.outcome !== 'ok') {
    expect = [a.outcome, 404, 405];
    label = a.label;
  } else if (id.matrix) {
    expect = [403, 405];
    label = id.label;
  } else if (id.mayBeOwn) {
    expect = [...routeStatus(), 403];
    label = id.label;
  } else if (id.foreign) {
    expect = [403, 404, 405];
    label = id.label;
  } else {
    expect = routeStatus();
    label = useBody ? `${sent.label}` : act.label;
  }
  return { label: `post-activity/${label}`, method: 'POST', path: `${DL}/conversations/${id.id}/activities`, headers: withAuth(a, sent.headers), body: sent.body, expect, foreign: a.outcome === 'ok' && id.foreign };
}

function methodCase(r: Rand, c: DlFuzzContext): DlFuzzRequest {
  const paths = [`${DL}/tokens/generate`, `${DL}/tokens/refresh`, `${DL}/conversations`, `${DL}/conversations/${c.own.conversationId}/activities`, `${DL}/conversations/${c.own.conversationId}`, `${DL}/conversations/${c.own.conversationId}/upload`, `${DL}/conversations/${c.own.conversationId}/stream`, `${DL}`, `${DL}/`, `${DL}/tokens`];
  const path = r.pick(paths);
  const method = r.pick(['PUT', 'DELETE', 'PATCH', 'GET', 'POST', 'OPTIONS', 'HEAD']);
  const hasBody = method !== 'GET' && method !== 'HEAD' && r.chance(0.5);
  return {
    label: `method/${method}`,
    method,
    path,
    headers: { authorization: `Bearer ${c.own.token}`, ...(hasBody ? JSON_HEADERS : {}), ...(method === 'OPTIONS' && r.chance(0.5) ? { origin: r.pick(['https://evil.example', 'null', 'http://localhost']), 'access-control-request-method': 'POST' } : {}) },
    body: hasBody ? '{"type":"message","text":"hallo"}' : undefined,
    // Whatever the route does with it (a 2xx for the routes that take this method): never a 5xx.
    expect: [200, 201, 204, 400, 403, 404, 405, 415],
  };
}

function uploadCase(r: Rand, c: DlFuzzContext): DlFuzzRequest {
  const id = pathId(r, c);
  const b = body(r, c, () => ({ name: 'x.png' }));
  const expect = b.status ? [b.status, 404, 405] : id.foreign || id.matrix ? [403, 404, 405] : id.mayBeOwn ? [400, 403] : [400];
  return { label: `upload/${b.status ? b.label : id.label}`, method: 'POST', path: `${DL}/conversations/${id.id}/upload`, headers: withAuth({ label: 'auth/valid', header: `Bearer ${c.own.token}`, outcome: 'ok' }, b.headers), body: b.body, expect, foreign: !b.status && id.foreign };
}

/** `count` requests, in order. The same seed and context always give the same requests. */
export function directLineFuzzCases(seed: number, count: number, c: DlFuzzContext): DlFuzzRequest[] {
  const r = new Rand(prng(seed));
  const out: DlFuzzRequest[] = [];
  while (out.length < count) {
    const roll = r.float();
    if (roll < 0.2) out.push(tokenCase(r, c));
    else if (roll < 0.3) out.push(startCase(r, c));
    else if (roll < 0.55) out.push(getActivitiesCase(r, c));
    else if (roll < 0.85) out.push(postActivityCase(r, c));
    else if (roll < 0.95) out.push(methodCase(r, c));
    else out.push(uploadCase(r, c));
  }
  return out;
}
