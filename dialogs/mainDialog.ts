/**
 * The main dialog: every message starts here. It understands the message (against the previous
 * turn), answers entries and records at once, runs a task directly when the message already holds
 * what the task needs or starts its guided dialog otherwise, offers "did you mean" choices on a
 * close call, and falls back with the menu. At every prompt, stop / menu / opnieuw / help work.
 */
import type { StatePropertyAccessor, TurnContext } from 'botbuilder';
import {
  ComponentDialog,
  Dialog,
  DialogSet,
  DialogTurnStatus,
  WaterfallDialog,
  type DialogContext,
  type DialogState,
  type DialogTurnResult,
  type WaterfallStepContext,
} from 'botbuilder-dialogs';
import type { TaskId } from '../src/knowledge/types';
import { recognizeCommand, recognizeTaskCommand, type Command } from '../src/nlu/commands';
import type { MatchResult } from '../src/nlu/matcher';
import { slotsOf, understand, type Slots, type Target } from '../src/nlu/understand';
import type { ButtonValue } from '../src/render/cards';
import { choicesMessage, menuMessage, plainMessage } from '../src/render/messages';
import { uiText } from '../src/render/strings';
import { getTurnRequest, setTrace, type TurnRequest } from './turnRequest';
import { rememberCompany, renderContext, sendAspect, sendContacts, sendEntry, sendFieldlabs, sendPrograms, sendRecord, type AnswerDeps, type ConversationMemory, type UserProfile } from './respond';
import { FieldlabFinderDialog, HandoffDialog, ProgramCheckDialog, QuickScanDialog } from './taskDialogs';

export type { ConversationMemory, UserProfile } from './respond';

export const MAIN_DIALOG = 'MainDialog';
const MAIN_WATERFALL = 'MainDialog.waterfall';

/** Where questions and feedback go for editors (kept durable by the storage layer). */
export interface InsightsSink {
  feedback(event: { entryId: string; vote: 'up' | 'down'; lang: 'nl' | 'en'; conversationId: string }): Promise<void>;
  question(event: { text: string; lang: 'nl' | 'en'; decision: string; candidates: readonly { id: string; score: number }[]; conversationId: string }): Promise<void>;
}

export interface MainDialogDeps {
  readonly memory: StatePropertyAccessor<ConversationMemory>;
  readonly profile: StatePropertyAccessor<UserProfile>;
  readonly insights: InsightsSink;
  /** "Today" (tests fix it). */
  readonly now?: () => Date;
  /** Where problems that must not break a turn are logged. */
  readonly log?: (message: string, error: unknown) => void;
}

function buttonValue(v: unknown): ButtonValue | null {
  if (!v || typeof v !== 'object') return null;
  const o = v as Record<string, unknown>;
  if (o.sia === 'open') return typeof o.id === 'string' ? (o as unknown as ButtonValue) : null;
  if (o.sia === 'feedback') return typeof o.id === 'string' && (o.vote === 'up' || o.vote === 'down') ? (o as unknown as ButtonValue) : null;
  if (o.sia === 'slot') return typeof o.slot === 'string' && typeof o.value === 'string' ? (o as unknown as ButtonValue) : null;
  return o.sia === 'none' ? (o as unknown as ButtonValue) : null;
}

type TraceInput = { decision: 'answer' | 'disambiguate' | 'fallback' | 'dialog'; match?: MatchResult; query?: string; entryId?: string | null; score?: number };

export class MainDialog extends ComponentDialog {
  private readonly answers: AnswerDeps;

  constructor(private readonly deps: MainDialogDeps) {
    super(MAIN_DIALOG);
    this.answers = { memory: deps.memory, profile: deps.profile, now: deps.now ?? (() => new Date()) };
    this.addDialog(new FieldlabFinderDialog(this.answers));
    this.addDialog(new ProgramCheckDialog(this.answers));
    this.addDialog(new QuickScanDialog(this.answers));
    this.addDialog(new HandoffDialog(this.answers, (e) => deps.log?.('handoff event not delivered', e)));
    this.addDialog(new WaterfallDialog(MAIN_WATERFALL, [this.act.bind(this), async (step) => step.endDialog()]));
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

  /** While a task is waiting for an answer: commands, feedback and other buttons come first. */
  protected override async onContinueDialog(innerDc: DialogContext): Promise<DialogTurnResult> {
    const context = innerDc.context;
    const request = getTurnRequest(context);
    this.trace(context, request, { decision: 'dialog', entryId: innerDc.activeDialog?.id ?? null });
    const value = request.text ? null : buttonValue(request.value);
    if (value?.sia === 'feedback') {
      await this.feedback(context, value);
      await innerDc.repromptDialog();
      return Dialog.EndOfTurn;
    }
    if (value?.sia === 'open' || value?.sia === 'none') {
      await innerDc.cancelAllDialogs();
      return innerDc.beginDialog(MAIN_WATERFALL);
    }
    const command = request.text ? recognizeCommand(request.text) : null;
    if (command === 'help') {
      await context.sendActivity(plainMessage(renderContext(context), uiText(request.snapshot.data.ui, 'help', request.lang)));
      await innerDc.repromptDialog();
      return Dialog.EndOfTurn;
    }
    if (command) {
      await innerDc.cancelAllDialogs();
      await this.command(context, command, true);
      return { status: DialogTurnStatus.complete };
    }
    return super.onContinueDialog(innerDc);
  }

  private async act(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const context = step.context;
    const request = getTurnRequest(context);
    const ctx = renderContext(context);

    const value = request.text ? null : buttonValue(request.value);
    if (request.value !== undefined && request.value !== null && !request.text) {
      if (!value || value.sia === 'slot') {
        // A button of a question that is no longer open (or not ours).
        await context.sendActivity(menuMessage(ctx, 'unknownButton'));
        this.trace(context, request, { decision: 'fallback', query: '[button]' });
        return step.endDialog();
      }
      return this.onButton(step, request, value);
    }
    if (!request.text) {
      await context.sendActivity(menuMessage(ctx, request.attachmentOnly ? 'attachmentOnly' : 'empty'));
      this.trace(context, request, { decision: 'fallback' });
      return step.endDialog();
    }
    if (request.truncated) await context.sendActivity(plainMessage(ctx, uiText(ctx.data.ui, 'tooLong', ctx.lang, { limit: request.text.length })));

    const command = recognizeCommand(request.text);
    if (command) {
      await this.command(context, command, false);
      this.trace(context, request, { decision: 'dialog' });
      return step.endDialog();
    }

    const taskCommand = recognizeTaskCommand(request.text);
    if (taskCommand) {
      const memory = await this.deps.memory.get(context, {});
      this.trace(context, request, { decision: 'dialog', entryId: taskCommand });
      return this.runTask(step, taskCommand, { ...memory.slots }, true);
    }

    const memory = await this.deps.memory.get(context, {});
    const u = understand(request.snapshot.prepared, request.text, request.locale, memory.previous);
    const said = slotsOf(u.entities);
    const slots: Slots = { ...memory.slots, ...said };
    await rememberCompany(context, this.answers, said);

    if (u.followUp?.type === 'task') {
      this.trace(context, request, { decision: 'answer', match: u.match, entryId: u.followUp.task, score: u.match.best?.score ?? 0 });
      return this.runTask(step, u.followUp.task, slots, false);
    }
    if (u.followUp?.type === 'aspect') {
      await sendAspect(context, this.answers, u.followUp.target, u.followUp.aspect);
      this.trace(context, request, { decision: 'answer', match: u.match, entryId: u.followUp.target.id, score: u.match.best?.score ?? 0 });
      return step.endDialog();
    }
    if (u.target) {
      const score = u.match.candidates.find((c) => c.id === u.target!.id)?.score ?? 0;
      this.trace(context, request, { decision: 'answer', match: u.match, entryId: u.target.id, score });
      if (u.match.nearMiss && u.target.id === u.match.best?.id) await this.insight(context, request, u.match, 'near-miss');
      return this.open(step, u.target, slots);
    }
    if (u.match.decision === 'disambiguate' && u.match.choices.length) {
      await context.sendActivity(choicesMessage(ctx, u.match.choices.map((c) => c.id)));
      this.trace(context, request, { decision: 'disambiguate', match: u.match });
    } else {
      await context.sendActivity(menuMessage(ctx, 'fallback'));
      this.trace(context, request, { decision: 'fallback', match: u.match });
    }
    await this.insight(context, request, u.match);
    return step.endDialog();
  }

  /** Opens what a message or a button leads to. */
  private async open(step: WaterfallStepContext, target: Target, slots: Slots): Promise<DialogTurnResult> {
    const context = step.context;
    const prepared = getTurnRequest(context).snapshot.prepared;
    if (target.kind === 'task') return this.runTask(step, target.id as TaskId, slots, true);
    if (target.kind === 'entry') {
      const entry = prepared.byId.get(target.id);
      if (entry) {
        await sendEntry(context, this.answers, entry);
      } else {
        await context.sendActivity(menuMessage(renderContext(context), 'unknownButton'));
      }
      return step.endDialog();
    }
    if (!(await sendRecord(context, this.answers, target))) await context.sendActivity(menuMessage(renderContext(context), 'unknownButton'));
    return step.endDialog();
  }

  /**
   * A task: answered at once when the message (or the conversation) already holds what it needs,
   * otherwise its guided dialog asks for the rest.
   */
  private async runTask(step: WaterfallStepContext, task: TaskId, slots: Slots, handoff: boolean): Promise<DialogTurnResult> {
    const context = step.context;
    const request = getTurnRequest(context);
    if (task === 'find-fieldlab' && (slots.province || slots.themes?.length)) {
      await sendFieldlabs(context, this.answers, slots);
      return step.endDialog();
    }
    if (task === 'check-programs' && slots.need) {
      await sendPrograms(context, this.answers, slots);
      return step.endDialog();
    }
    if (task === 'talk-to-person' && slots.province) {
      await sendContacts(context, this.answers, slots, handoff, (e) => this.deps.log?.('handoff event not delivered', e));
      return step.endDialog();
    }
    this.trace(context, request, { decision: 'dialog', entryId: task });
    return step.beginDialog(task, slots);
  }

  private async onButton(step: WaterfallStepContext, request: TurnRequest, value: ButtonValue): Promise<DialogTurnResult> {
    const context = step.context;
    const ctx = renderContext(context);
    if (value.sia === 'open') {
      const kind = request.snapshot.prepared.kinds.get(value.id);
      this.trace(context, request, { decision: 'answer', query: `[button] ${value.id}`, entryId: value.id, score: 1 });
      if (!kind) {
        await context.sendActivity(menuMessage(ctx, 'unknownButton'));
        this.trace(context, request, { decision: 'fallback', query: `[button] ${value.id}` });
        return step.endDialog();
      }
      const memory = await this.deps.memory.get(context, {});
      const slots: Slots = { ...memory.slots };
      if (value.theme) slots.themes = [value.theme];
      if (value.need) slots.need = value.need as Slots['need'];
      return this.open(step, { kind, id: value.id }, slots);
    }
    if (value.sia === 'feedback') {
      await this.feedback(context, value);
      this.trace(context, request, { decision: 'dialog', query: `[feedback] ${value.id} ${value.vote}`, entryId: value.id });
      return step.endDialog();
    }
    await context.sendActivity(menuMessage(ctx, 'noneOfTheseReply'));
    this.trace(context, request, { decision: 'fallback', query: '[button] none' });
    return step.endDialog();
  }

  private async command(context: TurnContext, command: Command, wasInTask: boolean): Promise<void> {
    const ctx = renderContext(context);
    if (command === 'help') {
      await context.sendActivity(menuMessage(ctx, 'help'));
    } else if (command === 'restart') {
      const memory = await this.deps.memory.get(context, {});
      delete memory.slots;
      delete memory.previous;
      await context.sendActivity(plainMessage(ctx, uiText(ctx.data.ui, 'restarted', ctx.lang)));
      await context.sendActivity(menuMessage(ctx, 'welcome'));
    } else if (command === 'cancel' && wasInTask) {
      await context.sendActivity(menuMessage(ctx, 'cancelled'));
    } else {
      await context.sendActivity(menuMessage(ctx, 'menuTitle'));
    }
  }

  private async feedback(context: TurnContext, value: Extract<ButtonValue, { sia: 'feedback' }>): Promise<void> {
    const ctx = renderContext(context);
    try {
      await this.deps.insights.feedback({ entryId: value.id, vote: value.vote, lang: ctx.lang, conversationId: context.activity.conversation?.id ?? '' });
    } finally {
      await context.sendActivity(plainMessage(ctx, uiText(ctx.data.ui, value.vote === 'up' ? 'feedbackThanksUp' : 'feedbackThanksDown', ctx.lang)));
    }
  }

  private async insight(context: TurnContext, request: TurnRequest, match: MatchResult, decision?: 'near-miss'): Promise<void> {
    await this.deps.insights.question({
      text: request.text,
      lang: request.lang,
      decision: decision ?? (match.decision === 'disambiguate' && match.choices.length ? 'disambiguate' : 'fallback'),
      candidates: match.candidates.map((c) => ({ id: c.id, score: c.score })),
      conversationId: context.activity.conversation?.id ?? '',
    });
  }

  private trace(context: TurnContext, request: TurnRequest, t: TraceInput): void {
    setTrace(context, {
      query: t.query ?? request.text,
      language: request.lang,
      decision: t.decision,
      entryId: t.entryId !== undefined ? t.entryId : t.decision === 'answer' || t.decision === 'disambiguate' ? (t.match?.best?.id ?? null) : null,
      score: t.score ?? t.match?.best?.score ?? t.match?.candidates[0]?.score ?? 0,
      candidates: (t.match?.candidates ?? []).map((c) => ({ id: c.id, score: c.score })),
    });
  }
}
