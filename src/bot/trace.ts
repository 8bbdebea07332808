/**
 * The trace activity the bot sends for every message, as QnA Maker's recognizer did. The Bot
 * Framework delivers trace activities only on the emulator channel.
 */
import { ActivityTypes, type Activity } from 'botbuilder';
import type { TraceInfo } from '../../dialogs/turnRequest';

export const TRACE_NAME = 'KnowledgeBase';
export const TRACE_VALUE_TYPE = 'urn:smart-industry-advisor:knowledgebase-trace:v1';
export const TRACE_LABEL = 'Smart Industry Advisor knowledge base trace';

export function traceActivity(info: TraceInfo): Partial<Activity> {
  return {
    type: ActivityTypes.Trace,
    name: TRACE_NAME,
    valueType: TRACE_VALUE_TYPE,
    label: TRACE_LABEL,
    value: {
      query: info.query,
      language: info.language,
      decision: info.decision,
      entryId: info.entryId,
      score: info.score,
      candidates: info.candidates.map((c) => ({ id: c.id, score: c.score })),
    },
  };
}
