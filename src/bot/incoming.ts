/**
 * Cleaning an incoming message before it is matched: the bot's own @mention (Teams) and any
 * leftover <at>…</at> markup go, a message with nothing visible is empty, and very long text is
 * cut to the configured length.
 */

const AT_TAG = /<at\b[^>]*>[\s\S]*?<\/at>/gi;

export interface MentionEntity {
  readonly type?: string;
  readonly text?: string;
  readonly mentioned?: { readonly id?: string; readonly name?: string };
}

/** Removes mentions of the bot (by id) and every leftover <at>…</at> tag. */
export function stripMentions(text: string, entities: readonly unknown[] | undefined, botId: string | undefined): string {
  let out = text;
  for (const e of entities ?? []) {
    const m = e as MentionEntity;
    if (m?.type !== 'mention' || typeof m.text !== 'string') continue;
    if (!botId || m.mentioned?.id === botId) out = out.split(m.text).join(' ');
  }
  return out.replace(AT_TAG, ' ').replace(/\s+/g, ' ').trim();
}

/** Controls, format characters (zero-width spaces and joiners, direction marks, soft hyphen, BOM) and spaces. */
const SHOWS_NOTHING = /[\p{Cc}\p{Cf}\p{Z}\s]/gu;

/** The text, or '' when none of it shows (zero-width and direction marks, control characters, spaces). */
export function visibleOrEmpty(text: string): string {
  return text.replace(SHOWS_NOTHING, '') ? text : '';
}

export function cutText(text: string, max: number): { text: string; truncated: boolean } {
  if (text.length <= max) return { text, truncated: false };
  // Do not cut a surrogate pair in half.
  let end = max;
  const code = text.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end--;
  return { text: text.slice(0, end), truncated: true };
}
