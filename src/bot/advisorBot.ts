/**
 * The bot: welcomes people who join, cleans each message, decides the reply language, runs the
 * dialogs, and sends the trace of what it matched. Works for Teams and every other channel.
 */
import { TeamsActivityHandler, type BotState, type InvokeResponse, type StatePropertyAccessor, type TurnContext } from 'botbuilder';
import type { DialogState } from 'botbuilder-dialogs';
import type { Logger } from 'pino';
import type { Lang } from '../knowledge/types';
import { localeLanguage } from '../nlu/language';
import { menuMessage } from '../render/messages';
import { MainDialog, type ConversationMemory } from '../../dialogs/mainDialog';
import { getTrace, setTurnRequest, type AdvisorSnapshot, type TurnRequest } from '../../dialogs/turnRequest';
import { cutText, stripMentions, visibleOrEmpty } from './incoming';
import { traceActivity } from './trace';

export interface AdvisorBotDeps {
  readonly conversationState: BotState;
  readonly userState: BotState;
  readonly dialog: MainDialog;
  readonly dialogState: StatePropertyAccessor<DialogState>;
  readonly memory: StatePropertyAccessor<ConversationMemory>;
  readonly knowledge: () => AdvisorSnapshot;
  readonly maxMessageChars: number;
  readonly logger: Logger;
}

export class AdvisorBot extends TeamsActivityHandler {
  constructor(private readonly deps: AdvisorBotDeps) {
    super();

    this.onMembersAdded(async (context, next) => {
      const botId = context.activity.recipient?.id;
      const joined = (context.activity.membersAdded ?? []).filter((m) => m && m.id && m.id !== botId);
      if (joined.length) {
        const snapshot = this.deps.knowledge();
        const memory = await this.deps.memory.get(context, {});
        const lang: Lang = memory.lang ?? localeLanguage(context.activity.locale) ?? 'nl';
        await context.sendActivity(menuMessage({ data: snapshot.data, byId: snapshot.prepared.byId, lang }, 'welcome'));
      }
      await next();
    });

    this.onMessage(async (context, next) => {
      await this.handleMessage(context);
      await next();
    });
  }

  override async run(context: TurnContext): Promise<void> {
    // botbuilder's Teams handler reads channelData.eventType of message updates and deletes unchecked.
    if (context.activity.channelId === 'msteams' && (typeof context.activity.channelData !== 'object' || context.activity.channelData === null)) {
      context.activity.channelData = {};
    }
    await super.run(context);
    await this.deps.conversationState.saveChanges(context, false);
    await this.deps.userState.saveChanges(context, false);
  }

  /**
   * The bot answers no invoke itself (its cards use Action.Submit), so botbuilder replies 501 to
   * each. Before that, botbuilder reads the value of some invokes (adaptiveCard/action,
   * application/search, Teams' fileConsent, messaging extensions…) without checking its shape: a
   * TypeError there is a malformed request, answered 400, not a failed turn with an apology.
   */
  protected override async onInvokeActivity(context: TurnContext): Promise<InvokeResponse> {
    try {
      return await super.onInvokeActivity(context);
    } catch (e) {
      if (!(e instanceof TypeError)) throw e;
      this.deps.logger.debug({ conversationId: context.activity.conversation?.id, reason: e.message }, 'invoke with a malformed value refused');
      return { status: 400, body: { code: 'BadRequest', message: 'the value of this invoke does not have the shape its name needs' } };
    }
  }

  private async handleMessage(context: TurnContext): Promise<void> {
    const activity = context.activity;
    if (!addressedToBot(activity)) return;
    setTurnRequest(context, await buildTurnRequest(context, this.deps));
    await this.deps.dialog.run(context, this.deps.dialogState);

    const trace = getTrace(context);
    if (trace) {
      if (tracesReachChannel(context)) await context.sendActivity(traceActivity(trace));
      this.deps.logger.debug({ conversationId: activity.conversation?.id, decision: trace.decision, entryId: trace.entryId, score: trace.score, language: trace.language }, 'turn');
    }
  }
}

/**
 * Cleans the message and decides the reply language. The language of the text wins when it is
 * clear; otherwise the language this conversation has used so far; otherwise the locale;
 * otherwise Dutch. A card button carries the language of the card it sits on.
 */
export async function buildTurnRequest(
  context: TurnContext,
  deps: Pick<AdvisorBotDeps, 'knowledge' | 'memory' | 'maxMessageChars'>,
): Promise<TurnRequest> {
  const activity = context.activity;
  const snapshot = deps.knowledge();
  const raw = typeof activity.text === 'string' ? activity.text : '';
  const cleaned = visibleOrEmpty(stripMentions(raw, activity.entities, activity.recipient?.id));
  const { text, truncated } = cutText(cleaned, deps.maxMessageChars);
  const memory = await deps.memory.get(context, {});
  const locale = typeof activity.locale === 'string' ? activity.locale : undefined;
  const value = activity.value as { lang?: unknown } | undefined;

  let lang: Lang;
  if (!text && value && (value.lang === 'nl' || value.lang === 'en')) {
    lang = value.lang;
  } else if (text) {
    const guess = snapshot.prepared.matcher.detectLanguage(text, locale);
    lang = guess.by === 'text' ? guess.lang : (memory.lang ?? guess.lang);
  } else {
    lang = memory.lang ?? localeLanguage(locale) ?? 'nl';
  }
  memory.lang = lang;

  const attachmentOnly = !text && !activity.value && Array.isArray(activity.attachments) && activity.attachments.length > 0;
  return { text, truncated, value: activity.value, lang, locale, attachmentOnly, snapshot };
}

/**
 * Trace activities are for the Emulator: the adapter drops them on every other channel, but
 * replies that come back in the response (deliveryMode expectReplies) do not pass that filter.
 */
export function tracesReachChannel(context: TurnContext): boolean {
  return context.activity.channelId === 'emulator' || context.activity.deliveryMode !== 'expectReplies';
}

/**
 * In a Teams channel or group chat the bot only answers when it is @mentioned (Teams delivers
 * channel messages to bots only then, but group chats and other channels may differ).
 */
export function addressedToBot(activity: TurnContext['activity']): boolean {
  const type = activity.conversation?.conversationType;
  if (activity.channelId !== 'msteams' || !type || type === 'personal') return true;
  if (activity.value && !activity.text) return true; // a press on one of our own card buttons
  const botId = activity.recipient?.id;
  return (activity.entities ?? []).some((e) => e?.type === 'mention' && (e as { mentioned?: { id?: string } }).mentioned?.id === botId);
}
