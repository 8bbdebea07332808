/**
 * The last word on markup in what the bot sends. The knowledge check already refuses HTML,
 * images and links that do not go to a web page (src/knowledge/markup.ts); this removes them from
 * every text at render time as well, whatever its source: knowledge, placeholders filled in, or
 * anything a user sent that ends up in a reply. Web Chat renders message text as markdown, Teams
 * renders markdown and a subset of HTML, and both render markdown in Adaptive Card TextBlocks.
 */
import { HTML_TAG, IMAGE, LINK, REFERENCE, isSafeUrl } from '../knowledge/markup';

/** The host of a URL without "www.", to name a link by (the URL itself when it has none). */
export function hostOf(url: string): string {
  try {
    return new URL(url).hostname.replace(/^www\./, '') || url;
  } catch {
    return url;
  }
}

/** Links and images without the ones that may not be: safe links stay, images become links, the rest their text. */
function withSafeLinks(text: string): string {
  return text
    .replace(IMAGE, (_m, alt: string, bracketed?: string, bare?: string) => {
      const url = bracketed ?? bare ?? '';
      return isSafeUrl(url) ? `[${alt.trim() || hostOf(url)}](${url})` : alt;
    })
    .replace(LINK, (m, label: string, bracketed?: string, bare?: string) => (isSafeUrl(bracketed ?? bare ?? '') ? m : label))
    .replace(REFERENCE, (m, _ref: string, url: string) => (isSafeUrl(url) ? m : ''));
}

/** Message text (markdown): no HTML (angle brackets are shown, never interpreted), no images, web links only. */
export function safeMarkdown(text: string): string {
  return withSafeLinks(text).replace(/</g, '&lt;');
}

/** Cuts text to `max` characters without splitting a surrogate pair. */
function cut(text: string, max: number): string {
  if (text.length <= max) return text;
  const code = text.charCodeAt(max - 1);
  return text.slice(0, code >= 0xd800 && code <= 0xdbff ? max - 1 : max);
}

/** A TextBlock of a card: one paragraph of markdown with web links only, no HTML, at most 200 characters. */
export function cardMarkdown(text: string): string {
  return cut(withSafeLinks(text).replace(HTML_TAG, '').replace(/[<>]/g, '').replace(/\s+/g, ' ').trim(), 200);
}

/** A button title or another text that is no markdown at all: links become their text. */
export function plainText(text: string): string {
  return cardMarkdown(text.replace(IMAGE, '$1').replace(LINK, '$1'));
}
