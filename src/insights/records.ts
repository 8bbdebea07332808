/**
 * What the editors' insights keep, record by record. Texts are redacted before they get here;
 * conversations are known only by a pseudonym (a hash), enough to count distinct conversations.
 */
import { createHash } from 'node:crypto';
import type { StoredRecord } from '../storage/contract';

export type Lang = 'nl' | 'en';

export interface Candidate {
  readonly id: string;
  readonly score: number;
}

/** A question the bot could not answer outright: fallback, disambiguation, near miss. */
export interface QuestionData {
  readonly text: string;
  readonly lang: Lang;
  /** fallback, disambiguate, near-miss, or whatever the dialog reports. */
  readonly decision: string;
  readonly candidates: readonly Candidate[];
  readonly conversation: string;
}

export interface FeedbackData {
  readonly entryId: string;
  readonly vote: 'up' | 'down';
  readonly lang: Lang;
  readonly conversation: string;
}

export interface TranscriptData {
  readonly conversation: string;
  readonly role: string;
  readonly type: string;
  readonly channel: string;
  readonly text?: string;
  readonly name?: string;
  readonly value?: unknown;
  readonly locale?: string;
  readonly attachments?: readonly string[];
}

export interface QuestionRecord extends StoredRecord {
  readonly kind: 'question';
  readonly data: QuestionData & Record<string, unknown>;
}

export interface FeedbackRecord extends StoredRecord {
  readonly kind: 'feedback';
  readonly data: FeedbackData & Record<string, unknown>;
}

/** A stable pseudonym for a conversation id (not reversible without the id itself). */
export function pseudonym(conversationId: string): string {
  return conversationId ? createHash('sha256').update(`sia:${conversationId}`).digest('hex').slice(0, 16) : '';
}

function isLang(v: unknown): v is Lang {
  return v === 'nl' || v === 'en';
}

/** The question records that look right (a store may hold records from older versions). */
export function asQuestions(records: readonly StoredRecord[]): QuestionRecord[] {
  return records.filter(
    (r): r is QuestionRecord => r.kind === 'question' && typeof r.data.text === 'string' && isLang(r.data.lang) && typeof r.data.decision === 'string',
  ).map((r) => ({ ...r, data: { ...r.data, candidates: Array.isArray(r.data.candidates) ? r.data.candidates : [] } }));
}

export function asFeedback(records: readonly StoredRecord[]): FeedbackRecord[] {
  return records.filter(
    (r): r is FeedbackRecord => r.kind === 'feedback' && typeof r.data.entryId === 'string' && (r.data.vote === 'up' || r.data.vote === 'down'),
  );
}
