/**
 * Builds the bot's messages from knowledge: answers with follow-ups and feedback buttons, the
 * menu, "did you mean" choices. Text in markdown, buttons in an Adaptive Card, and a numbered
 * text fallback for channels that show no cards.
 */
import type { KnowledgeData, Lang, QnaEntry } from '../knowledge/types';
import { uiText, type UiKey } from './strings';
import { hostOf } from './markup';
import {
  actionSet,
  card,
  numberedOptions,
  outgoing,
  submit,
  textBlock,
  type CardAction,
  type OutgoingMessage,
} from './cards';

export interface RenderContext {
  readonly data: KnowledgeData;
  readonly byId: ReadonlyMap<string, QnaEntry>;
  readonly lang: Lang;
}

/** The title of anything a button can open: an entry, a task, a program, a fieldlab, an organisation. */
export function titleOf(ctx: RenderContext, id: string): string {
  const L = ctx.lang;
  return (
    ctx.byId.get(id)?.title[L] ??
    ctx.data.tasks.find((t) => t.id === id)?.title[L] ??
    ctx.data.programs.find((p) => p.id === id)?.name[L] ??
    ctx.data.fieldlabs.find((f) => f.id === id)?.name ??
    ctx.data.organisations.find((o) => o.id === id)?.name[L] ??
    id
  );
}

export function plainMessage(ctx: RenderContext, text: string): OutgoingMessage {
  return outgoing(ctx.lang, text);
}

/** A UI text with the main menu as buttons (welcome, fallback, help, empty message). */
export function menuMessage(ctx: RenderContext, key: UiKey, vars?: Record<string, string | number>): OutgoingMessage {
  const { lang, data } = ctx;
  const intro = uiText(data.ui, key, lang, vars);
  const actions = data.ui.menu.map((m) => submit(m.title[lang], { sia: 'open', id: m.target, lang }));
  const titles = data.ui.menu.map((m) => m.title[lang]);
  const menuTitle = uiText(data.ui, 'menuTitle', lang);
  return outgoing(lang, intro, { attachments: [card([textBlock(menuTitle, { weight: 'Bolder' }), actionSet(actions)], numberedOptions(menuTitle, titles))] });
}

/** The answer of an entry, its dated-facts note and sources, follow-up and feedback buttons. */
export function answerMessage(ctx: RenderContext, entry: QnaEntry): OutgoingMessage {
  const { lang, data } = ctx;
  const parts = [entry.answer[lang]];
  if (entry.factsYear) parts.push(uiText(data.ui, 'factsYearNote', lang, { year: entry.factsYear }));
  if (entry.sources.length) {
    const links = entry.sources.slice(0, 3).map((u) => `[${hostOf(u)}](${u})`).join(' · ');
    parts.push(`${uiText(data.ui, 'sourcesTitle', lang)}: ${links}`);
  }
  const followUps = entry.followUps.filter((id) => titleOf(ctx, id) !== id);
  const body: object[] = [];
  const titles: string[] = [];
  if (followUps.length) {
    const related = uiText(data.ui, 'relatedTitle', lang);
    body.push(textBlock(related, { weight: 'Bolder' }));
    const actions: CardAction[] = followUps.map((id) => submit(titleOf(ctx, id), { sia: 'open', id, lang }));
    body.push(actionSet(actions));
    titles.push(...followUps.map((id) => titleOf(ctx, id)));
  }
  body.push(
    actionSet(
      [
        submit(uiText(data.ui, 'feedbackUp', lang), { sia: 'feedback', id: entry.id, vote: 'up', lang }),
        submit(uiText(data.ui, 'feedbackDown', lang), { sia: 'feedback', id: entry.id, vote: 'down', lang }),
      ],
      followUps.length > 0,
    ),
  );
  const fallback = titles.length ? numberedOptions(uiText(data.ui, 'relatedTitle', lang), titles) : uiText(data.ui, 'feedbackUp', lang);
  return outgoing(lang, parts.join('\n\n'), { attachments: [card(body, fallback)] });
}

/** "Did you mean": one button per candidate entry and one for "none of these". */
export function choicesMessage(ctx: RenderContext, ids: readonly string[]): OutgoingMessage {
  const { lang, data } = ctx;
  const intro = uiText(data.ui, 'didYouMean', lang);
  const none = uiText(data.ui, 'noneOfThese', lang);
  const actions = [...ids.map((id) => submit(titleOf(ctx, id), { sia: 'open', id, lang })), submit(none, { sia: 'none', lang })];
  const titles = [...ids.map((id) => titleOf(ctx, id)), none];
  return outgoing(lang, intro, { inputHint: 'expectingInput', attachments: [card([actionSet(actions)], numberedOptions(intro, titles))] });
}
