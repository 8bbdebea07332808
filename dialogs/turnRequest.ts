/**
 * What the bot hands the dialogs for one turn: the cleaned text, a card button's value, the
 * language of the reply, and the one knowledge snapshot the whole turn uses.
 */
import type { TurnContext } from 'botbuilder';
import type { Lang } from '../src/knowledge/types';
import type { Snapshot } from '../src/knowledge/store';
import type { PreparedKnowledge } from '../src/nlu/knowledgeIndex';
import type { Decision } from '../src/nlu/matcher';

export type AdvisorSnapshot = Snapshot<PreparedKnowledge>;

export interface TurnRequest {
  /** The user's text without @mentions, cut to the configured length ('' when none). */
  readonly text: string;
  /** True when the text was cut. */
  readonly truncated: boolean;
  /** A card button's value, when the message came from a button. */
  readonly value: unknown;
  readonly lang: Lang;
  readonly locale: string | undefined;
  /** True when the message carried only attachments (files, images). */
  readonly attachmentOnly: boolean;
  readonly snapshot: AdvisorSnapshot;
}

/** What the trace activity of this turn reports (QnA Maker's trace, our fields). */
export interface TraceInfo {
  readonly query: string;
  readonly language: Lang;
  readonly decision: Decision | 'dialog';
  readonly entryId: string | null;
  readonly score: number;
  readonly candidates: readonly { id: string; score: number }[];
}

const REQUEST = Symbol('advisor.turnRequest');
const TRACE = Symbol('advisor.trace');

export function setTurnRequest(context: TurnContext, request: TurnRequest): void {
  context.turnState.set(REQUEST, request);
}

export function getTurnRequest(context: TurnContext): TurnRequest {
  const r = context.turnState.get(REQUEST) as TurnRequest | undefined;
  if (!r) throw new Error('no TurnRequest on this turn (set it before running the dialogs)');
  return r;
}

export function setTrace(context: TurnContext, info: TraceInfo): void {
  context.turnState.set(TRACE, info);
}

export function getTrace(context: TurnContext): TraceInfo | undefined {
  return context.turnState.get(TRACE) as TraceInfo | undefined;
}
