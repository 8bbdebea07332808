/**
 * The guided tasks: find a fieldlab, check programs, the quick scan, talk to a person. Each asks
 * only what the conversation does not know yet, re-asks an unclear answer at most twice, then
 * offers a way out. The logic of the answers lives in src/advice; the answers in ./respond.
 */
import { ComponentDialog, WaterfallDialog, type DialogTurnResult, type WaterfallStepContext } from 'botbuilder-dialogs';
import type { CompanySize, ProgramNeed, TaskId } from '../src/knowledge/types';
import { scanStatements, scoreScan } from '../src/advice/quickscan';
import type { Slots } from '../src/nlu/understand';
import { menuMessage, plainMessage } from '../src/render/messages';
import { scanResultMessages } from '../src/render/records';
import { uiText } from '../src/render/strings';
import { SlotPrompt } from './slotPrompt';
import {
  needQuestion,
  placeQuestion,
  recognizeNeed,
  recognizePlace,
  recognizeScore,
  recognizeSize,
  recognizeThemes,
  scoreQuestion,
  sizeQuestion,
  themeQuestion,
  type PlaceAnswer,
} from './slots';
import { keepScan, renderContext, sendContacts, sendFieldlabs, sendPrograms, type AnswerDeps } from './respond';

/** Slots plus "the user said any place is fine". */
export interface TaskOptions extends Slots {
  anyPlace?: boolean;
}

async function wayOut(step: WaterfallStepContext): Promise<DialogTurnResult> {
  await step.context.sendActivity(menuMessage(renderContext(step.context), 'wayOut'));
  return step.endDialog();
}

function slotsOf(step: WaterfallStepContext): TaskOptions {
  return ((step.values as { slots?: TaskOptions }).slots ??= { ...((step.options as TaskOptions | undefined) ?? {}) });
}

/** A step that asks for the place unless it is known. */
function askPlace(id: string) {
  return async (step: WaterfallStepContext): Promise<DialogTurnResult> => {
    const slots = slotsOf(step);
    if (slots.province || slots.anyPlace) return step.next();
    const ctx = renderContext(step.context);
    return step.prompt(id, { prompt: placeQuestion(ctx), retryPrompt: placeQuestion(ctx, true) });
  };
}

/** After askPlace: false when the user gave up (the way out has been offered). */
function takePlace(step: WaterfallStepContext): boolean {
  const slots = slotsOf(step);
  if (slots.province || slots.anyPlace) return true;
  const place = step.result as PlaceAnswer | undefined;
  if (!place) return false;
  if (place.province) {
    slots.province = place.province;
    slots.placeName = place.placeName;
  } else slots.anyPlace = true;
  return true;
}

function withoutFlags(slots: TaskOptions): Slots {
  const { anyPlace: _ignored, ...rest } = slots;
  return rest;
}

export class FieldlabFinderDialog extends ComponentDialog {
  static readonly id: TaskId = 'find-fieldlab';

  constructor(private readonly deps: AnswerDeps) {
    super(FieldlabFinderDialog.id);
    const theme = `${FieldlabFinderDialog.id}.theme`;
    const place = `${FieldlabFinderDialog.id}.place`;
    this.addDialog(new SlotPrompt(theme, recognizeThemes));
    this.addDialog(new SlotPrompt(place, recognizePlace));
    this.addDialog(
      new WaterfallDialog(`${FieldlabFinderDialog.id}.steps`, [
        async (step) => {
          const slots = slotsOf(step);
          if (slots.themes) return step.next(slots.themes);
          const ctx = renderContext(step.context);
          return step.prompt(theme, { prompt: themeQuestion(ctx), retryPrompt: themeQuestion(ctx, true) });
        },
        async (step) => {
          if (step.result === undefined) return wayOut(step);
          slotsOf(step).themes = step.result as string[];
          return askPlace(place)(step);
        },
        async (step) => {
          if (!takePlace(step)) return wayOut(step);
          await sendFieldlabs(step.context, this.deps, withoutFlags(slotsOf(step)));
          return step.endDialog();
        },
      ]),
    );
    this.initialDialogId = `${FieldlabFinderDialog.id}.steps`;
  }
}

export class ProgramCheckDialog extends ComponentDialog {
  static readonly id: TaskId = 'check-programs';

  constructor(private readonly deps: AnswerDeps) {
    super(ProgramCheckDialog.id);
    const size = `${ProgramCheckDialog.id}.size`;
    const need = `${ProgramCheckDialog.id}.need`;
    const place = `${ProgramCheckDialog.id}.place`;
    this.addDialog(new SlotPrompt(size, recognizeSize));
    this.addDialog(new SlotPrompt(need, recognizeNeed));
    this.addDialog(new SlotPrompt(place, recognizePlace));
    this.addDialog(
      new WaterfallDialog(`${ProgramCheckDialog.id}.steps`, [
        async (step) => {
          const slots = slotsOf(step);
          if (slots.size) return step.next(slots.size);
          const ctx = renderContext(step.context);
          return step.prompt(size, { prompt: sizeQuestion(ctx), retryPrompt: sizeQuestion(ctx, true) });
        },
        async (step) => {
          if (step.result === undefined) return wayOut(step);
          const slots = slotsOf(step);
          slots.size = step.result as CompanySize;
          if (slots.need) return step.next(slots.need);
          const ctx = renderContext(step.context);
          return step.prompt(need, { prompt: needQuestion(ctx), retryPrompt: needQuestion(ctx, true) });
        },
        async (step) => {
          if (step.result === undefined) return wayOut(step);
          slotsOf(step).need = step.result as ProgramNeed;
          return askPlace(place)(step);
        },
        async (step) => {
          if (!takePlace(step)) return wayOut(step);
          await sendPrograms(step.context, this.deps, withoutFlags(slotsOf(step)));
          return step.endDialog();
        },
      ]),
    );
    this.initialDialogId = `${ProgramCheckDialog.id}.steps`;
  }
}

export class HandoffDialog extends ComponentDialog {
  static readonly id: TaskId = 'talk-to-person';

  constructor(
    private readonly deps: AnswerDeps,
    private readonly log?: (e: unknown) => void,
  ) {
    super(HandoffDialog.id);
    const place = `${HandoffDialog.id}.place`;
    this.addDialog(new SlotPrompt(place, recognizePlace));
    this.addDialog(
      new WaterfallDialog(`${HandoffDialog.id}.steps`, [
        askPlace(place),
        async (step) => {
          if (!takePlace(step)) return wayOut(step);
          const slots = slotsOf(step);
          if (!slots.province) {
            // "Anywhere" does not give a regional contact: the national ones help everyone.
            await step.context.sendActivity(menuMessage(renderContext(step.context), 'contactsNone'));
            return step.endDialog();
          }
          await sendContacts(step.context, this.deps, withoutFlags(slots), true, this.log);
          return step.endDialog();
        },
      ]),
    );
    this.initialDialogId = `${HandoffDialog.id}.steps`;
  }
}

interface ScanState {
  answers: number[];
}

export class QuickScanDialog extends ComponentDialog {
  static readonly id: TaskId = 'quick-scan';

  constructor(private readonly deps: AnswerDeps) {
    super(QuickScanDialog.id);
    const score = `${QuickScanDialog.id}.score`;
    const loop = `${QuickScanDialog.id}.statement`;
    this.addDialog(new SlotPrompt(score, recognizeScore));
    // The introduction, then one statement per turn.
    this.addDialog(
      new WaterfallDialog(`${QuickScanDialog.id}.steps`, [
        async (step) => {
          const ctx = renderContext(step.context);
          const total = scanStatements(ctx.data.quickScan).length;
          const profile = await this.deps.profile.get(step.context, {});
          const last = profile.scans?.[profile.scans.length - 1];
          const intro = [uiText(ctx.data.ui, 'scanIntro', ctx.lang, { count: total })];
          if (last) intro.push(uiText(ctx.data.ui, 'scanPrevious', ctx.lang, { date: last.date.slice(0, 10) }));
          await step.context.sendActivity(plainMessage(ctx, intro.join('\n\n')));
          return step.beginDialog(loop, { answers: [] } satisfies ScanState);
        },
        async (step) => step.endDialog(step.result),
      ]),
    );
    this.addDialog(
      new WaterfallDialog(loop, [
        async (step) => {
          const ctx = renderContext(step.context);
          const state = step.options as ScanState;
          const order = scanStatements(ctx.data.quickScan);
          const at = order[state.answers.length]!;
          const statement = ctx.data.quickScan.dimensions.find((d) => d.id === at.dimension)!.statements[at.index]![ctx.lang];
          const n = state.answers.length + 1;
          return step.prompt(score, { prompt: scoreQuestion(ctx, n, order.length, statement), retryPrompt: scoreQuestion(ctx, n, order.length, statement, true) });
        },
        async (step) => {
          if (step.result === undefined) return wayOut(step);
          const ctx = renderContext(step.context);
          const state = step.options as ScanState;
          const answers = [...state.answers, step.result as number];
          const total = scanStatements(ctx.data.quickScan).length;
          if (answers.length < total) return step.replaceDialog(loop, { answers } satisfies ScanState);
          const result = scoreScan(ctx.data.quickScan, answers, this.deps.now());
          const previous = await keepScan(step.context, this.deps, result);
          for (const m of scanResultMessages(ctx, result, previous)) await step.context.sendActivity(m);
          return step.endDialog();
        },
      ]),
    );
    this.initialDialogId = `${QuickScanDialog.id}.steps`;
  }
}
