/**
 * Text normalization shared by the knowledge side (questions) and the user side (messages):
 * Unicode clean-up, case, accents, punctuation, common spellings; then tokens.
 */

const INVISIBLE = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u00AD\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF]/g;
const URL = /\b(?:https?:\/\/|www\.)\S+/gi;
const EMAIL = /\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b/g;
const MARKUP = /<\/?[a-z][^>]{0,200}>/gi;

/** Upper-case abbreviations that collide with common lower-case words once lower-cased. */
const CASE_SENSITIVE: ReadonlyArray<[RegExp, string]> = [
  [/\bIT\b/g, ' ict '],
  [/\bOR\b/g, ' ondernemingsraad '],
];

/** Spellings that tokenizing would otherwise tear apart or keep apart. */
const SPELLINGS: ReadonlyArray<[RegExp, string]> = [
  [/\b3\s*-?\s*d\b/g, '3d'],
  [/\b(\d)\s*-?\s*g\b/g, '$1g'],
  [/\be-?mail/g, 'email'],
  [/\bnis\s*-?\s*2\b/g, 'nis2'],
  [/\bco-?bot/g, 'cobot'],
  [/(\p{L})['’`´](\p{L})/gu, '$1$2'], // camera's → cameras, plc's → plcs
  [/\bs\s*&\s*o\b/g, 'so'],
];

/** The longest word the matcher looks at; longer "words" are noise (or an attack). */
export const MAX_TOKEN_LENGTH = 40;
/** The most tokens the matcher looks at in one message. */
export const MAX_TOKENS = 160;

export function normalize(text: string): string {
  let s = text.normalize('NFKC').replace(INVISIBLE, '').replace(MARKUP, ' ').replace(URL, ' ').replace(EMAIL, ' ');
  for (const [re, to] of CASE_SENSITIVE) s = s.replace(re, to);
  s = s.toLowerCase().normalize('NFKD').replace(/\p{M}+/gu, '');
  for (const [re, to] of SPELLINGS) s = s.replace(re, to);
  return s.replace(/\s+/g, ' ').trim();
}

export function tokenize(normalized: string): string[] {
  const out: string[] = [];
  for (const t of normalized.split(/[^\p{L}\p{N}]+/u)) {
    if (!t || t.length > MAX_TOKEN_LENGTH) continue;
    out.push(t);
    if (out.length >= MAX_TOKENS) break;
  }
  return out;
}
