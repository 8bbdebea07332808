/**
 * Removes personal data from a text before anything is stored: each e-mail address, phone
 * number, IBAN, KvK number, BSN-like number, postal address and introduced name becomes a typed
 * placeholder ([email], [phone], [iban], [kvk], [bsn], [address], [name]). Pure functions.
 *
 * Ordinary questions keep their numbers: years, amounts ("300.000 euro"), counts ("20
 * medewerkers"), standards ("ISO 9001", "NIS2") and a bare 4-digit postcode area ("5611") are not
 * personal data, and the report needs them. Doubtful cases lean towards privacy: any separate
 * 8-digit number is treated as a KvK number, any 9-digit one as a BSN.
 */
import { words as dutchStopwords } from 'natural/lib/natural/util/stopwords_nl';
import { words as englishStopwords } from 'natural/lib/natural/util/stopwords';

export type PersonalDataKind = 'email' | 'phone' | 'iban' | 'kvk' | 'bsn' | 'address' | 'name';

export interface Redaction {
  readonly text: string;
  /** What was replaced, in the order the passes found it. */
  readonly found: readonly PersonalDataKind[];
}

const tag = (kind: PersonalDataKind) => `[${kind}]`;

// ---------------------------------------------------------------------------------------------
// e-mail

const EMAIL = /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)*\.\p{L}{2,}/gu;

// ---------------------------------------------------------------------------------------------
// IBAN: country, check digits, then groups of four (spaces optional); checked with mod 97.

const IBAN = /\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,4})?\b/gi;

export function ibanChecksumOk(iban: string): boolean {
  const s = iban.replace(/\s+/g, '').toUpperCase();
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]{11,30}$/.test(s)) return false;
  const moved = s.slice(4) + s.slice(0, 4);
  let rest = 0;
  for (const ch of moved) {
    const v = ch >= 'A' && ch <= 'Z' ? String(ch.charCodeAt(0) - 55) : ch;
    for (const d of v) rest = (rest * 10 + Number(d)) % 97;
  }
  return rest === 1;
}

function isIban(candidate: string): boolean {
  const s = candidate.replace(/\s+/g, '').toUpperCase();
  // A Dutch IBAN with a typo is still somebody's account number.
  return ibanChecksumOk(s) || /^NL\d{2}[A-Z]{4}\d{10}$/.test(s);
}

// ---------------------------------------------------------------------------------------------
// Addresses: Dutch postcode (1234 AB) with or without a house number, and street + number.

/** Two-letter words and units that follow a 4-digit number without being a postcode. */
const NOT_POSTCODE_LETTERS = new Set([
  // Dutch and English words
  'en', 'in', 'op', 'of', 'is', 'te', 'ik', 'je', 'we', 'ze', 'na', 'om', 'al', 'nu', 'zo', 'de', 'er', 'ga', 'me', 'ja', 'nee',
  'at', 'to', 'on', 'or', 'an', 'as', 'be', 'by', 'do', 'go', 'he', 'if', 'it', 'my', 'no', 'so', 'up', 'us', 'am', 'vs',
  // units
  'km', 'kg', 'mm', 'cm', 'dm', 'kw', 'mw', 'gw', 'kb', 'mb', 'gb', 'tb', 'pb', 'pc', 'uu', 'hz', 'ms', 'ns', 'mu', 'ha', 'lb', 'ft', 'st', 'pk',
  // postal rules: SA, SD and SS are never used
  'sa', 'sd', 'ss',
]);

const POSTCODE = /\b([1-9]\d{3})( ?)([A-Za-z]{2})\b(?:(?: ?,)? ?(\d{1,5})(?: ?- ?\d{1,4}\b| ?[A-Za-z]{1,2}\b)?)?/g;

const STREET_SUFFIX = '(?:straat|laan|weg|plein|gracht|kade|singel|dijk|steeg|dreef|hof|park|baan|pad|markt|wal|veld|ring|hout|pad|erf|brink|dam|boulevard|avenue)';
const STREET = new RegExp(`\\b[\\p{L}'’-]{2,}${STREET_SUFFIX} \\d{1,5}(?: ?- ?\\d{1,4}\\b|[ -]?[A-Za-z]\\b)?`, 'giu');
const ENGLISH_STREET = /\b\d{1,5},? (?:[A-Z][a-z]+ ){1,3}(?:Street|St\.|Road|Rd\.|Lane|Avenue|Ave\.|Drive|Way|Square)\b/g;

function redactPostcodes(text: string, found: PersonalDataKind[]): string {
  return text.replace(POSTCODE, (m, _digits: string, space: string, letters: string, house: string | undefined) => {
    const lower = letters.toLowerCase();
    if (NOT_POSTCODE_LETTERS.has(lower)) return m;
    const upper = letters === letters.toUpperCase();
    // "1234AB" and "1234 AB" are postcodes; "1234 ab" only with a house number after it.
    if (space && !upper && !house) return m;
    found.push('address');
    return tag('address');
  });
}

// ---------------------------------------------------------------------------------------------
// Phone numbers: Dutch (10 digits from a 0), +31 / 0031, and international (+ or 00, 8..15 digits).

const PHONE_CANDIDATE = /(?<![\p{L}\p{N}+@])(?:\+|\b00|\()?\d[\d()]*(?:(?: ?[-./] ?| )\(?\d[\d()]*\)?)*/gu;
const PHONE_SEPARATOR = /( ?[-./] ?| )/;

function isPhone(s: string): boolean {
  const t = s.trim();
  const international = /^(\+|00)/.test(t);
  const digits = t.replace(/\(0\)/g, '').replace(/\D/g, '');
  if (international) {
    const national = t.startsWith('+') ? digits : digits.slice(2);
    if (national.startsWith('31')) return national.length === 11;
    return national.length >= 8 && national.length <= 15;
  }
  const plain = t.replace(/^\(/, '');
  if (!plain.startsWith('0') || plain.startsWith('00')) return false;
  if (/^\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}/.test(plain)) return false; // a date
  return digits.length === 10;
}

/** Within a run of digit groups, replaces each longest stretch of groups that forms a phone number. */
function redactPhoneRun(run: string, found: PersonalDataKind[]): string {
  const parts = run.split(PHONE_SEPARATOR); // [group, sep, group, sep, ...]
  const groups = parts.filter((_, i) => i % 2 === 0);
  const seps = parts.filter((_, i) => i % 2 === 1);
  const join = (from: number, to: number) => groups.slice(from, to + 1).reduce((acc, g, k) => (k === 0 ? g : acc + seps[from + k - 1] + g), '');
  let out = '';
  for (let i = 0; i < groups.length; ) {
    let end = -1;
    for (let j = groups.length - 1; j >= i; j--) {
      if (isPhone(join(i, j))) {
        end = j;
        break;
      }
    }
    const piece = end >= 0 ? tag('phone') : groups[i]!;
    if (end >= 0) found.push('phone');
    const last = end >= 0 ? end : i;
    out += piece + (last < groups.length - 1 ? seps[last]! : '');
    i = last + 1;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// KvK (8 digits) and BSN (9 digits), labelled or on their own; amounts are left alone.

const KVK_LABELLED = /\b(k\.?v\.?k\.?(?:[- ]?(?:nummer|nr\.?|no\.?|number))?|kamer van koophandel(?:[- ]?nummer)?|chamber of commerce(?: number)?)([\s:.#-]*)(\d{2}[ .]?\d{2}[ .]?\d{2}[ .]?\d{2})\b/gi;
const BSN_LABELLED = /\b(bsn(?:[- ]?(?:nummer|nr\.?|number))?|burgerservicenummer|sofi[- ]?nummer|citizen service number)([\s:.#-]*)(\d{4}[ .]?\d{2}[ .]?\d{3}|\d{3}[ .]?\d{3}[ .]?\d{3})\b/gi;
const BARE_NUMBER = /(?<![\p{L}\p{N}.,€$])(\d{8,9})(?![\p{L}\p{N}]|[.,]\d)/gu;

function isAmount(text: string, start: number, end: number): boolean {
  const before = text.slice(Math.max(0, start - 5), start);
  const after = text.slice(end, end + 8);
  return /(€|eur|euro|\$|usd)\s?$/i.test(before) || /^\s?(€|eur\b|euro|,-|\$|usd\b|dollar)/i.test(after);
}

// ---------------------------------------------------------------------------------------------
// Names after an introduction ("ik ben", "mijn naam is", "my name is", "met <naam>", sign-offs).

const STOP = new Set([...dutchStopwords, ...englishStopwords, 'ik', 'i', 'and', 'en', 'wat', 'what', 'hoe', 'how', 'wie', 'waar', 'welke', 'graag', 'please', 'hier', 'here', 'from', 'uit', 'bij', 'at'].map((w) => w.toLowerCase()));

/** Capitalised words that follow "Ik ben" / "I am" without being a name. */
const NOT_NAMES = new Set(
  [
    'Dutch', 'English', 'German', 'Belgian', 'French', 'Nederlands', 'Nederlandse', 'Nederlander', 'Belg', 'Duits', 'Engels',
    'Eigenaar', 'Directeur', 'Manager', 'Ondernemer', 'Student', 'Engineer', 'Owner', 'Director', 'Interested', 'Looking',
    'Working', 'Benieuwd', 'Bezig', 'Geïnteresseerd', 'Werkzaam', 'Trying', 'Just', 'Not', 'Niet', 'Also', 'Ook', 'New', 'Nieuw',
    'Een', 'De', 'Het', 'The', 'A', 'An', 'Op', 'On', 'In', 'Van', 'From', 'Uit', 'Hier', 'Here', 'Blij', 'Happy', 'Glad', 'Sorry',
    'Smart', 'Industrie', 'Industry', 'Welke', 'Wat', 'Which', 'What', 'Graag', 'Please', 'Dank', 'Thanks', 'Bedankt',
  ].map((w) => w.toLowerCase()),
);

const PARTICLES = new Set(['van', 'de', 'der', 'den', 'het', 'ter', 'ten', 'te', 'in', "'t", 'von', 'da', 'di', 'du', 'le', 'la', 'el', 'al', 'bin', 'ibn', 'op', 'vd', 'v.d.']);

const WORD = /[ \t]*((?:\p{Lu}\.){1,4}|[\p{L}][\p{L}'’-]*)/uy;

const isCapitalised = (w: string) => /^\p{Lu}\p{Ll}/u.test(w) || /^(?:\p{Lu}\.)+$/u.test(w);

/**
 * Where a name starting at `pos` may end: after each of up to four name words, with particles
 * (van, de, ter…) between them; empty when no name starts there. `strong`: the trigger leaves no
 * doubt ("mijn naam is"), so lowercase words count too (but not stop words such as "en", "ik",
 * "and"); otherwise every word must be capitalised. Punctuation and line ends stop a name.
 */
function nameEnds(text: string, pos: number, strong: boolean): number[] {
  const words: Array<{ w: string; lower: string; end: number }> = [];
  WORD.lastIndex = pos;
  for (let m = WORD.exec(text); m && words.length < 12; m = WORD.exec(text)) words.push({ w: m[1]!, lower: m[1]!.toLowerCase(), end: WORD.lastIndex });
  const acceptable = (x: { w: string; lower: string }) =>
    !NOT_NAMES.has(x.lower.replace(/\.$/, '')) && (isCapitalised(x.w) || (strong && !STOP.has(x.lower) && !PARTICLES.has(x.lower)));
  if (!words.length || !acceptable(words[0]!)) return [];
  const ends = [words[0]!.end];
  for (let i = 1; i < words.length && ends.length < 4; ) {
    let j = i;
    while (j < words.length && j - i < 3 && PARTICLES.has(words[j]!.lower)) j++;
    const next = words[j];
    if (!next || !acceptable(next)) break;
    ends.push(next.end);
    i = j + 1;
  }
  return ends;
}

const GREETING = '(?:hallo|hoi|hi|hello|hey|goedemorgen|goedemiddag|goedenavond|good morning|good afternoon|good evening|dag|beste|dear)';
const STRONG_TRIGGER = /\b(?:mijn naam is|m'n naam is|my name is|my name's|ik heet|call me|je spreekt met|u spreekt met|you(?:'re| are) speaking (?:to|with)|(?:mijn )?naam\s*:|name\s*:|contactpersoon\s*:|contact person\s*:)\s*/giu;
const WEAK_TRIGGER = new RegExp(`(?:^|[.!?\\n]\\s*|^\\s*${GREETING}[\\s,!.]*)(?:ik ben|i am|i'm|this is|hier is|dit is|met)\\s+`, 'giu');
const SIGN_OFF = /\b(?:met vriendelijke groet(?:en)?|vriendelijke groet(?:en)?|hartelijke groet(?:en)?|groet(?:en|jes)?|mvg|m\.v\.g\.|gr\.|kind regards|best regards|warm regards|regards|cheers|many thanks|thanks|bedankt|alvast bedankt)[,!.]?\s+/giu;

interface Span {
  readonly start: number;
  readonly end: number;
}

function nameSpans(text: string): Span[] {
  const spans: Span[] = [];
  const longest = (ends: number[], fits: (end: number) => boolean = () => true) => [...ends].reverse().find(fits) ?? -1;
  for (const m of text.matchAll(STRONG_TRIGGER)) {
    const start = m.index! + m[0].length;
    const end = longest(nameEnds(text, start, true));
    if (end > start) spans.push({ start, end });
  }
  for (const m of text.matchAll(WEAK_TRIGGER)) {
    const start = m.index! + m[0].length;
    // "Met Jan de Vries, ..." is a greeting on the phone; "Met Industrie 4.0 ..." is not.
    const isMet = /met\s+$/i.test(m[0]);
    const end = longest(nameEnds(text, start, false), (e) => !isMet || /^\s*(?:[,.!:;(\n]|$|van\b|hier\b|from\b)/.test(text.slice(e)));
    if (end > start) spans.push({ start, end });
  }
  for (const m of text.matchAll(SIGN_OFF)) {
    const start = m.index! + m[0].length;
    // A signature ends the message (or its line).
    const end = longest(nameEnds(text, start, false), (e) => /^\s*(?:[.!]?\s*$|\n)/.test(text.slice(e)));
    if (end > start) spans.push({ start, end });
  }
  return spans.sort((a, b) => a.start - b.start);
}

function redactNames(text: string, found: PersonalDataKind[]): string {
  let out = '';
  let at = 0;
  for (const s of nameSpans(text)) {
    if (s.start < at) continue;
    const lead = text.slice(s.start, s.end).match(/^\s*/)![0];
    out += text.slice(at, s.start) + lead + tag('name');
    found.push('name');
    at = s.end;
  }
  return out + text.slice(at);
}

// ---------------------------------------------------------------------------------------------

/** The text with personal data replaced by typed placeholders, and what was found. */
export function redactDetailed(input: string): Redaction {
  const found: PersonalDataKind[] = [];
  let text = input.replace(EMAIL, () => (found.push('email'), tag('email')));
  text = text.replace(IBAN, (m) => (isIban(m) ? (found.push('iban'), tag('iban')) : m));
  text = redactPostcodes(text, found);
  text = text.replace(STREET, () => (found.push('address'), tag('address')));
  text = text.replace(ENGLISH_STREET, () => (found.push('address'), tag('address')));
  text = text.replace(KVK_LABELLED, (_m, label: string, sep: string) => (found.push('kvk'), `${label}${sep}${tag('kvk')}`));
  text = text.replace(BSN_LABELLED, (_m, label: string, sep: string) => (found.push('bsn'), `${label}${sep}${tag('bsn')}`));
  text = text.replace(PHONE_CANDIDATE, (m) => redactPhoneRun(m, found));
  text = text.replace(BARE_NUMBER, (m: string, _d: string, offset: number, whole: string) => {
    if (isAmount(whole, offset, offset + m.length)) return m;
    const kind: PersonalDataKind = m.length === 8 ? 'kvk' : 'bsn';
    found.push(kind);
    return tag(kind);
  });
  text = redactNames(text, found);
  return { text, found };
}

/** The text with personal data replaced by typed placeholders. */
export function redact(text: string): string {
  return redactDetailed(text).text;
}

/** Redacts every string inside a JSON-like value (card submissions, activity values). */
export function redactDeep<T>(value: T): T {
  if (typeof value === 'string') return redact(value) as T;
  if (Array.isArray(value)) return value.map((v) => redactDeep(v)) as T;
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, redactDeep(v)])) as T;
  }
  return value;
}
