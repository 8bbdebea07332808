/**
 * Markup in the knowledge texts. Answers and the bot's texts are markdown: **bold**, lists and
 * [links](https://…) to web pages work in Teams and in the web chat. Raw HTML, images, and links
 * that go anywhere but a web page, an e-mail address or a phone number are refused when the
 * knowledge is loaded, with the file and line, so that a mistake (or worse) never goes live; the
 * renderer removes them as well (src/render/markup.ts), as a safety net for every other text.
 */
import type { Reporter } from './records';
import type { ParsedYaml, PathSegment } from './yamlFile';

/** Where a link may go: a web page, an e-mail address, a phone number. */
export const SAFE_URL = /^(?:https?:\/\/|mailto:|tel:)/i;

/** An HTML tag or comment: "<b>", "</div>", "<img src=x …>", "<!--". Not "a < b" or "<5". */
export const HTML_TAG = /<\/?[a-z][a-z0-9-]*(?=[\s/>]|$)[^>]*>?|<!--/gi;

/** A link's destination as CommonMark reads it: <anything> or text with balanced parentheses, then an optional title. */
const DESTINATION = String.raw`\(\s*(?:<([^>\n]*)>|((?:[^()\s]|\([^()\s]*\))*))(?:\s+(?:"[^"]*"|'[^']*'|\([^)]*\)))?\s*\)`;
/** A markdown image: ![alt](url "title"); the URL is group 2 or 3. */
export const IMAGE = new RegExp(String.raw`!\[([^\]\n]*)\]` + DESTINATION, 'g');
/** A markdown link that is not an image: [label](url "title"); the URL is group 2 or 3. */
export const LINK = new RegExp(String.raw`(?<!!)\[([^\]\n]*)\]` + DESTINATION, 'g');
/** A reference definition on a line of its own: [ref]: url "title". */
export const REFERENCE = /^ {0,3}\[([^\]\n]+)\]:[ \t]*<?(\S*?)>?(?:[ \t]+.*)?$/gm;

export function isSafeUrl(url: string): boolean {
  return SAFE_URL.test(url.trim());
}

export interface MarkupProblem {
  /** The text as written, to find it. */
  readonly snippet: string;
  readonly message: string;
}

function clip(s: string, max = 50): string {
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}

/** What in one text the bot would not show as the editor meant it. */
export function markupProblems(text: string): MarkupProblem[] {
  const out: MarkupProblem[] = [];
  for (const m of text.matchAll(HTML_TAG)) {
    out.push({ snippet: m[0], message: `HTML ("${clip(m[0])}") is not allowed: the chat would show it as text. Use markdown instead: **bold**, lists with "- ", [link text](https://…)` });
  }
  for (const m of text.matchAll(IMAGE)) {
    out.push({ snippet: m[0], message: `an image ("${clip(m[0])}") is not shown in the chat: link to it instead, [text](https://…)` });
  }
  for (const m of text.matchAll(LINK)) {
    if (!isSafeUrl(m[2] ?? m[3] ?? '')) out.push({ snippet: m[0], message: `the link "${clip(m[0])}" does not go to a web page: a link must start with https://, http://, mailto: or tel:` });
  }
  for (const m of text.matchAll(REFERENCE)) {
    if (!isSafeUrl(m[2]!)) out.push({ snippet: m[0], message: `the link "${clip(m[0].trim())}" does not go to a web page: a link must start with https://, http://, mailto: or tel:` });
  }
  return out;
}

/** Reports every markup problem in every text of one knowledge file, at its line. */
export function checkMarkup(doc: ParsedYaml, report: Reporter): void {
  const walk = (value: unknown, path: PathSegment[]) => {
    if (typeof value === 'string') {
      for (const p of markupProblems(value)) {
        const pos = doc.locate(path, p.snippet);
        report.error(doc.file, pos.line, pos.col, p.message);
      }
    } else if (Array.isArray(value)) {
      value.forEach((v, i) => walk(v, [...path, i]));
    } else if (value && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) walk(v, [...path, k]);
    }
  };
  walk(doc.data, []);
}
