/**
 * Adaptive Cards (version 1.4, within what Teams renders) and the plain activity shapes the
 * bot sends. No botbuilder import: these are the Bot Framework's JSON shapes, built by hand.
 */
import type { Lang } from '../knowledge/types';
import { cardMarkdown, plainText, safeMarkdown } from './markup';

export const CARD_CONTENT_TYPE = 'application/vnd.microsoft.card.adaptive';
export const CARD_VERSION = '1.4';

/** What a card button sends back to the bot in `activity.value`. */
export type ButtonValue =
  /** Opens an entry, a record, or starts a task (optionally with a theme or a kind of project known). */
  | { readonly sia: 'open'; readonly id: string; readonly lang: Lang; readonly theme?: string; readonly need?: string }
  /** An answer to the question a task asked ("slot": theme, place, size, need, score). */
  | { readonly sia: 'slot'; readonly slot: string; readonly value: string; readonly lang: Lang }
  | { readonly sia: 'feedback'; readonly id: string; readonly vote: 'up' | 'down'; readonly lang: Lang }
  | { readonly sia: 'none'; readonly lang: Lang };

export interface CardAction {
  readonly type: 'Action.Submit' | 'Action.OpenUrl';
  readonly title: string;
  readonly data?: ButtonValue;
  readonly url?: string;
}

export interface AdaptiveCard {
  readonly type: 'AdaptiveCard';
  readonly $schema: string;
  readonly version: string;
  readonly fallbackText: string;
  readonly speak?: string;
  readonly body: readonly object[];
  readonly actions?: readonly CardAction[];
}

export interface Attachment {
  readonly contentType: string;
  readonly content: AdaptiveCard;
}

/** A markdown message in one language, with cards when given. Every message of the bot is built here. */
export function outgoing(
  lang: Lang,
  text: string,
  options: { attachments?: Attachment[]; inputHint?: OutgoingMessage['inputHint']; layout?: 'carousel' | 'list' } = {},
): OutgoingMessage {
  return {
    type: 'message',
    text: safeMarkdown(text),
    textFormat: 'markdown',
    locale: LOCALES[lang],
    inputHint: options.inputHint ?? 'acceptingInput',
    ...(options.attachments?.length ? { attachments: options.attachments } : {}),
    ...(options.layout ? { attachmentLayout: options.layout } : {}),
  };
}

export interface OutgoingMessage {
  readonly type: 'message';
  readonly text?: string;
  readonly textFormat?: 'markdown' | 'plain';
  readonly speak?: string;
  readonly locale: string;
  readonly attachments?: Attachment[];
  readonly attachmentLayout?: 'carousel' | 'list';
  readonly inputHint?: 'acceptingInput' | 'expectingInput' | 'ignoringInput';
}

export const LOCALES: Readonly<Record<Lang, string>> = { nl: 'nl-NL', en: 'en-US' };

export function textBlock(text: string, options: { weight?: 'Bolder'; size?: 'Medium' | 'Small'; isSubtle?: boolean; separator?: boolean } = {}): object {
  return { type: 'TextBlock', text: cardMarkdown(text), wrap: true, ...options };
}

export function submit(title: string, data: ButtonValue): CardAction {
  return { type: 'Action.Submit', title: plainText(title), data };
}

export function actionSet(actions: readonly CardAction[], separator = false): object {
  return { type: 'ActionSet', actions, ...(separator ? { separator: true, spacing: 'Medium' } : {}) };
}

export function card(body: readonly object[], fallbackText: string, actions?: readonly CardAction[]): Attachment {
  return {
    contentType: CARD_CONTENT_TYPE,
    content: {
      type: 'AdaptiveCard',
      $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
      version: CARD_VERSION,
      fallbackText: safeMarkdown(fallbackText),
      speak: safeMarkdown(fallbackText),
      body,
      ...(actions && actions.length ? { actions } : {}),
    },
  };
}

/** Numbered list of button titles, for channels (and the terminal) that show no cards. */
export function numberedOptions(intro: string, titles: readonly string[]): string {
  return [intro, ...titles.map((t, i) => `${i + 1}. ${t}`)].join('\n');
}
