/**
 * The answers every path ends in — an entry, a record, fieldlab suggestions, fitting programs,
 * regional contacts (with the handoff event) — sent with what the conversation should remember.
 * Used by MainDialog for direct answers and by the task dialogs at their end.
 */
import { EventFactory, type StatePropertyAccessor, type TurnContext, type Transcript } from 'botbuilder';
import { suggestFieldlabs } from '../src/advice/fieldlabs';
import { checkPrograms } from '../src/advice/programs';
import { contactsFor } from '../src/advice/regions';
import type { ScanResult } from '../src/advice/quickscan';
import type { Lang, ProvinceId, QnaEntry } from '../src/knowledge/types';
import type { Aspect, PreviousTurn, Slots, Target } from '../src/nlu/understand';
import { answerMessage, plainMessage, type RenderContext } from '../src/render/messages';
import {
  contactsMessage,
  fieldlabAdviceMessages,
  fieldlabMessage,
  organisationMessage,
  programAdviceMessages,
  programAspectMessage,
  programMessage,
} from '../src/render/records';
import { uiText } from '../src/render/strings';
import type { OutgoingMessage } from '../src/render/cards';
import { getTurnRequest } from './turnRequest';

/** What the conversation remembers between turns. */
export interface ConversationMemory {
  lang?: Lang;
  /** What the previous answer was about (for follow-ups). */
  previous?: PreviousTurn;
  /** What the user told so far: not asked again. */
  slots?: Slots;
}

/** What is kept about a user across conversations. */
export interface UserProfile {
  province?: ProvinceId;
  /** Quick-scan results, the newest last (at most five). */
  scans?: ScanResult[];
}

export interface AnswerDeps {
  readonly memory: StatePropertyAccessor<ConversationMemory>;
  readonly profile: StatePropertyAccessor<UserProfile>;
  /** "Today" for application windows (tests fix it). */
  readonly now: () => Date;
}

export function renderContext(context: TurnContext): RenderContext {
  const r = getTurnRequest(context);
  return { data: r.snapshot.data, byId: r.snapshot.prepared.byId, lang: r.lang };
}

async function sendAll(context: TurnContext, messages: readonly OutgoingMessage[]): Promise<void> {
  for (const m of messages) await context.sendActivity(m);
}

/** Only the slots a task used are remembered: a theme named in a question about training is not a fieldlab theme. */
function pick(slots: Slots, ...keys: (keyof Slots)[]): Slots {
  const out: Slots = {};
  for (const k of keys) if (slots[k] !== undefined) (out as Record<string, unknown>)[k] = slots[k];
  return out;
}

/** Where the company is and how big it is, whenever the user says so: not asked again. */
export async function rememberCompany(context: TurnContext, deps: AnswerDeps, slots: Slots): Promise<void> {
  const company = pick(slots, 'province', 'placeName', 'size');
  if (!Object.keys(company).length) return;
  const memory = await deps.memory.get(context, {});
  memory.slots = { ...memory.slots, ...company };
}

/** Remembers what this turn was about and what the user told. */
export async function remember(context: TurnContext, deps: AnswerDeps, target: Target, slots?: Slots): Promise<void> {
  const memory = await deps.memory.get(context, {});
  memory.previous = { target, query: getTurnRequest(context).text };
  if (slots) {
    memory.slots = { ...memory.slots, ...slots };
    if (slots.province) {
      const profile = await deps.profile.get(context, {});
      profile.province = slots.province;
    }
  }
}

export async function sendEntry(context: TurnContext, deps: AnswerDeps, entry: QnaEntry): Promise<void> {
  await context.sendActivity(answerMessage(renderContext(context), entry));
  await remember(context, deps, { kind: 'entry', id: entry.id });
}

/** A program, fieldlab or organisation asked about by name. */
export async function sendRecord(context: TurnContext, deps: AnswerDeps, target: Target): Promise<boolean> {
  const ctx = renderContext(context);
  const prepared = getTurnRequest(context).snapshot.prepared;
  let m: OutgoingMessage | null = null;
  if (target.kind === 'program' && prepared.programs.has(target.id)) m = programMessage(ctx, prepared.programs.get(target.id)!);
  else if (target.kind === 'fieldlab' && prepared.fieldlabs.has(target.id)) m = fieldlabMessage(ctx, prepared.fieldlabs.get(target.id)!);
  else if (target.kind === 'organisation' && prepared.organisations.has(target.id)) m = organisationMessage(ctx, prepared.organisations.get(target.id)!);
  if (!m) return false;
  await context.sendActivity(m);
  await remember(context, deps, target);
  return true;
}

export async function sendAspect(context: TurnContext, deps: AnswerDeps, target: Target, aspect: Aspect): Promise<void> {
  const ctx = renderContext(context);
  const prepared = getTurnRequest(context).snapshot.prepared;
  const program = target.kind === 'program' ? prepared.programs.get(target.id) : undefined;
  if (program) {
    await context.sendActivity(programAspectMessage(ctx, program, aspect));
    await remember(context, deps, target);
  } else {
    await sendRecord(context, deps, target);
  }
}

export async function sendFieldlabs(context: TurnContext, deps: AnswerDeps, slots: Slots): Promise<void> {
  const ctx = renderContext(context);
  const request = { themes: slots.themes ?? [], province: slots.province ?? null, placeName: slots.placeName };
  const advice = suggestFieldlabs(request, ctx.data);
  const contacts = request.province ? contactsFor(request.province, ctx.data) : null;
  await sendAll(context, fieldlabAdviceMessages(ctx, advice, request, contacts));
  await remember(context, deps, { kind: 'task', id: 'find-fieldlab' }, pick(slots, 'province', 'placeName', 'themes'));
}

export async function sendPrograms(context: TurnContext, deps: AnswerDeps, slots: Slots): Promise<void> {
  const ctx = renderContext(context);
  const profile = { size: slots.size ?? null, need: slots.need ?? null, province: slots.province ?? null };
  const advice = checkPrograms(profile, ctx.data, deps.now());
  const contacts = profile.province ? contactsFor(profile.province, ctx.data) : null;
  await sendAll(context, programAdviceMessages(ctx, advice, profile, contacts));
  await remember(context, deps, { kind: 'task', id: 'check-programs' }, pick(slots, 'province', 'placeName', 'size', 'need'));
}

/** The people to call in a province; with `handoff`, also the Bot Framework handoff event. */
export async function sendContacts(context: TurnContext, deps: AnswerDeps, slots: Slots, handoff: boolean, log?: (e: unknown) => void): Promise<void> {
  const ctx = renderContext(context);
  const province = slots.province!;
  const contacts = contactsFor(province, ctx.data);
  await context.sendActivity(contactsMessage(ctx, contacts));
  if (handoff) {
    await context.sendActivity(plainMessage(ctx, uiText(ctx.data.ui, 'handoffDone', ctx.lang)));
    // Teams does not route conversations to people, and refuses event activities.
    if (context.activity.channelId !== 'msteams') {
      try {
        const transcript: Transcript = { activities: [] };
        await context.sendActivity(
          EventFactory.createHandoffInitiation(context, { province, organisations: [contacts.rom?.id, contacts.edih?.id].filter(Boolean), lang: ctx.lang }, transcript),
        );
      } catch (e) {
        log?.(e);
      }
    }
  }
  await remember(context, deps, { kind: 'task', id: 'talk-to-person' }, pick(slots, 'province', 'placeName'));
}

/** Saves a finished quick scan in the user's profile (at most five kept) and returns the one before. */
export async function keepScan(context: TurnContext, deps: AnswerDeps, result: ScanResult): Promise<ScanResult | null> {
  const profile = await deps.profile.get(context, {});
  const previous = profile.scans?.length ? profile.scans[profile.scans.length - 1]! : null;
  profile.scans = [...(profile.scans ?? []), result].slice(-5);
  await remember(context, deps, { kind: 'task', id: 'quick-scan' });
  return previous;
}
