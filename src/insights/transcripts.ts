/**
 * Transcripts (TRANSCRIPTS=on, off by default): botbuilder's TranscriptLoggerMiddleware hands
 * every activity of a conversation to this logger, which keeps a redacted copy in the
 * configured store: texts and card values redacted, names and user ids left out, the
 * conversation known only by its pseudonym, attachments by their type. Typing indicators and
 * traces (which repeat the user's text) are not kept.
 */
import type { Activity, TranscriptLogger } from 'botbuilder';
import type { InsightsWriter } from './insightsWriter';
import { pseudonym, type TranscriptData } from './records';
import { redact, redactDeep } from './redact';

const KEPT_TYPES = new Set(['message', 'conversationUpdate', 'event', 'invoke', 'messageReaction', 'endOfConversation']);

/** The redacted record of one activity, or null when the activity is not kept. */
export function transcriptData(activity: Partial<Activity>): TranscriptData | null {
  if (!activity.type || !KEPT_TYPES.has(activity.type)) return null;
  const data: Record<string, unknown> = {
    conversation: pseudonym(activity.conversation?.id ?? ''),
    // TranscriptLoggerMiddleware marks the incoming activity 'user'; the bot's own replies often carry no role.
    role: activity.from?.role ?? 'bot',
    type: activity.type,
    channel: activity.channelId ?? '',
  };
  if (typeof activity.text === 'string' && activity.text) data.text = redact(activity.text);
  if (typeof activity.name === 'string' && activity.name) data.name = activity.name;
  if (activity.value !== undefined && activity.value !== null) data.value = redactDeep(activity.value);
  if (typeof activity.locale === 'string') data.locale = activity.locale;
  if (activity.attachments?.length) data.attachments = activity.attachments.map((a) => a.contentType ?? 'unknown');
  if (activity.type === 'conversationUpdate') {
    data.membersAdded = activity.membersAdded?.length ?? 0;
    data.membersRemoved = activity.membersRemoved?.length ?? 0;
  }
  return data as unknown as TranscriptData;
}

export class RedactingTranscriptLogger implements TranscriptLogger {
  constructor(
    private readonly writer: Pick<InsightsWriter, 'enqueue'>,
    private readonly now: () => Date = () => new Date(),
  ) {}

  logActivity(activity: Activity): void {
    const data = transcriptData(activity);
    if (!data) return;
    const ts = activity.timestamp ? new Date(activity.timestamp) : this.now();
    const at = Number.isNaN(ts.getTime()) ? this.now() : ts;
    this.writer.enqueue({ kind: 'transcript', at: at.toISOString(), data: { ...data } });
  }
}
