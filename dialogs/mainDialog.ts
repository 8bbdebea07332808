/**
 * The main dialog: every message starts here. It answers from the knowledge base, offers
 * "did you mean" choices when a question is a close call, falls back with the menu when it
 * does not know, and handles card buttons (open an entry, feedback, none of these).
 */
import type { StatePropertyAccessor, TurnContext } from 'botbuilder';
import {
  ComponentDialog,
  DialogSet,
  DialogTurnStatus,
  WaterfallDialog,
  type DialogState,
  type WaterfallStepContext,
  type DialogTurnResult,
} from 'botbuilder-dialogs';
import type { QnaEntry } from '../src/knowledge/types';
import { recognizeCommand } from '../src/nlu/commands';
import type { MatchResult } from '../src/nlu/matcher';
import type { ButtonValue, OutgoingMessage } from '../src/render/cards';
import { answerMessage, choicesMessage, menuMessage, plainMessage, type RenderContext } from '../src/render/messages';
import { uiText } from '../src/render/strings';
import { getTurnRequest, setTrace, type TurnRequest } from './turnRequest';

export const MAIN_DIALOG = 'MainDialog';
const MAIN_WATERFALL = 'MainDialog.waterfall';

/** What the conversation remembers between turns for the matcher's sake. */
export interface ConversationMemory {
  lastEntryId?: string;
  lang?: 'nl' | 'en';
}

/** Where questions and feedback go for editors (kept durable by the storage layer). */
export interface InsightsSink {
  feedback(event: { entryId: string; vote: 'up' | 'down'; lang: 'nl' | 'en'; conversationId: string }): Promise<void>;
  question(event: { text: string; lang: 'nl' | 'en'; decision: string; candidates: readonly { id: string; score: number }[]; conversationId: string }): Promise<void>;
}

export interface MainDialogDeps {
  readonly memory: StatePropertyAccessor<ConversationMemory>;
  readonly insights: InsightsSink;
}

function isButtonValue(v: unknown): v is ButtonValue {
  if (!v || typeof v !== 'object') return false;
  const o = v as Record<string, unknown>;
  if (o.sia === 'open') return typeof o.id === 'string';
  if (o.sia === 'feedback') return typeof o.id === 'string' && (o.vote === 'up' || o.vote === 'down');
  return o.sia === 'none';
}

export class MainDialog extends ComponentDialog {
  constructor(private readonly deps: MainDialogDeps) {
    super(MAIN_DIALOG);
    this.addDialog(new WaterfallDialog(MAIN_WATERFALL, [this.act.bind(this)]));
    this.initialDialogId = MAIN_WATERFALL;
  }

  /** Runs the dialog stack for one turn (core-bot's DialogHelper). */
  async run(context: TurnContext, dialogState: StatePropertyAccessor<DialogState>): Promise<void> {
    const dialogSet = new DialogSet(dialogState);
    dialogSet.add(this);
    const dc = await dialogSet.createContext(context);
    const result = await dc.continueDialog();
    if (result.status === DialogTurnStatus.empty) await dc.beginDialog(this.id);
  }

  private async act(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const request = getTurnRequest(step.context);
    const ctx = this.renderContext(request);
    const send = (m: OutgoingMessage) => step.context.sendActivity(m);

    if (request.value !== undefined && request.value !== null && !request.text) {
      await this.onButton(step.context, request, ctx, request.value);
      return step.endDialog();
    }
    if (!request.text) {
      await send(menuMessage(ctx, request.attachmentOnly ? 'attachmentOnly' : 'empty'));
      this.trace(step.context, request, { decision: 'fallback' });
      return step.endDialog();
    }
    if (request.truncated) await send(plainMessage(ctx, uiText(ctx.data.ui, 'tooLong', ctx.lang, { limit: request.text.length })));

    const command = recognizeCommand(request.text);
    if (command) {
      await send(menuMessage(ctx, command === 'help' ? 'help' : 'menuTitle'));
      this.trace(step.context, request, { decision: 'dialog' });
      return step.endDialog();
    }

    const match = request.snapshot.prepared.matcher.match(request.text, { locale: request.locale });
    await this.respond(step.context, request, ctx, match);
    return step.endDialog();
  }

  private async respond(context: TurnContext, request: TurnRequest, ctx: RenderContext, match: MatchResult): Promise<void> {
    const conversationId = context.activity.conversation?.id ?? '';
    if (match.decision === 'answer' && match.best) {
      const entry = ctx.byId.get(match.best.id);
      if (entry) {
        await this.answer(context, ctx, entry);
        this.trace(context, request, { decision: 'answer', match });
        return;
      }
    }
    if (match.decision === 'disambiguate' && match.choices.length) {
      await context.sendActivity(choicesMessage(ctx, match.choices.map((c) => c.id)));
      this.trace(context, request, { decision: 'disambiguate', match });
    } else {
      await context.sendActivity(menuMessage(ctx, 'fallback'));
      this.trace(context, request, { decision: 'fallback', match });
    }
    await this.deps.insights.question({
      text: request.text,
      lang: ctx.lang,
      decision: match.decision === 'disambiguate' && match.choices.length ? 'disambiguate' : 'fallback',
      candidates: match.candidates.map((c) => ({ id: c.id, score: c.score })),
      conversationId,
    });
  }

  private async answer(context: TurnContext, ctx: RenderContext, entry: QnaEntry): Promise<void> {
    await context.sendActivity(answerMessage(ctx, entry));
    const memory = await this.deps.memory.get(context, {});
    memory.lastEntryId = entry.id;
  }

  private async onButton(context: TurnContext, request: TurnRequest, ctx: RenderContext, value: unknown): Promise<void> {
    if (!isButtonValue(value)) {
      await context.sendActivity(menuMessage(ctx, 'unknownButton'));
      this.trace(context, request, { decision: 'fallback', query: '[button]' });
      return;
    }
    if (value.sia === 'open') {
      const entry = ctx.byId.get(value.id);
      if (!entry) {
        await context.sendActivity(menuMessage(ctx, 'unknownButton'));
        this.trace(context, request, { decision: 'fallback', query: `[button] ${value.id}` });
        return;
      }
      await this.answer(context, ctx, entry);
      this.trace(context, request, { decision: 'answer', query: `[button] ${value.id}`, entryId: entry.id, score: 1 });
    } else if (value.sia === 'feedback') {
      await this.deps.insights.feedback({ entryId: value.id, vote: value.vote, lang: ctx.lang, conversationId: context.activity.conversation?.id ?? '' });
      await context.sendActivity(plainMessage(ctx, uiText(ctx.data.ui, value.vote === 'up' ? 'feedbackThanksUp' : 'feedbackThanksDown', ctx.lang)));
      this.trace(context, request, { decision: 'dialog', query: `[feedback] ${value.id} ${value.vote}`, entryId: value.id });
    } else {
      await context.sendActivity(menuMessage(ctx, 'noneOfTheseReply'));
      this.trace(context, request, { decision: 'fallback', query: '[button] none' });
    }
  }

  private renderContext(request: TurnRequest): RenderContext {
    return { data: request.snapshot.data, byId: request.snapshot.prepared.byId, lang: request.lang };
  }

  private trace(
    context: TurnContext,
    request: TurnRequest,
    t: { decision: 'answer' | 'disambiguate' | 'fallback' | 'dialog'; match?: MatchResult; query?: string; entryId?: string; score?: number },
  ): void {
    setTrace(context, {
      query: t.query ?? request.text,
      language: request.lang,
      decision: t.decision,
      entryId: t.entryId ?? (t.decision === 'answer' || t.decision === 'disambiguate' ? t.match?.best?.id ?? null : null),
      score: t.score ?? t.match?.best?.score ?? t.match?.candidates[0]?.score ?? 0,
      candidates: (t.match?.candidates ?? []).map((c) => ({ id: c.id, score: c.score })),
    });
  }
}
