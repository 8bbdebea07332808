/**
 * Runs MainDialog under botbuilder-testing's DialogTestClient, with the turn preparation the
 * real bot does (language, cleaned text, knowledge snapshot) as middleware.
 */
import { ConversationState, MemoryStorage, type Activity, type TurnContext } from 'botbuilder';
import { DialogTestClient } from 'botbuilder-testing';
import { loadKnowledge } from '../../src/knowledge/loader';
import { prepareKnowledge } from '../../src/nlu/knowledgeIndex';
import { buildTurnRequest } from '../../src/bot/advisorBot';
import { MainDialog, type ConversationMemory, type InsightsSink } from '../../dialogs/mainDialog';
import { getTrace, setTurnRequest, type AdvisorSnapshot, type TraceInfo } from '../../dialogs/turnRequest';
import { KNOWLEDGE, testConfig } from './testConfig';

let cached: AdvisorSnapshot | null = null;
export function shippedSnapshot(): AdvisorSnapshot {
  if (!cached) {
    const c = testConfig();
    const data = loadKnowledge(KNOWLEDGE).data!;
    cached = { version: 'test', loadedAt: new Date(), data, prepared: prepareKnowledge(data, { answer: c.answerThreshold, margin: c.answerMargin, disambiguate: c.disambiguateThreshold }) };
  }
  return cached;
}

export interface RecordedInsights extends InsightsSink {
  readonly feedbacks: Array<{ entryId: string; vote: string; lang: string }>;
  readonly questions: Array<{ text: string; decision: string }>;
}

export function recordingInsights(): RecordedInsights {
  const feedbacks: RecordedInsights['feedbacks'] = [];
  const questions: RecordedInsights['questions'] = [];
  return {
    feedbacks,
    questions,
    async feedback(e) {
      feedbacks.push(e);
    },
    async question(e) {
      questions.push(e);
    },
  };
}

export interface Harness {
  readonly client: DialogTestClient;
  readonly insights: RecordedInsights;
  readonly traces: TraceInfo[];
  /** Sends a message (text or a partial activity) and returns every reply of that turn. */
  send(activity: string | Partial<Activity>): Promise<Array<Partial<Activity>>>;
}

export function dialogHarness(snapshot: AdvisorSnapshot = shippedSnapshot()): Harness {
  const conversationState = new ConversationState(new MemoryStorage());
  const memory = conversationState.createProperty<ConversationMemory>('memory');
  const insights = recordingInsights();
  const traces: TraceInfo[] = [];
  const dialog = new MainDialog({ memory, insights });
  const middleware = {
    onTurn: async (context: TurnContext, next: () => Promise<void>) => {
      setTurnRequest(context, await buildTurnRequest(context, { knowledge: () => snapshot, memory, maxMessageChars: 2000 }));
      await next();
      const t = getTrace(context);
      if (t) traces.push(t);
    },
  };
  const client = new DialogTestClient('test', dialog, undefined, [middleware], conversationState);
  return {
    client,
    insights,
    traces,
    async send(activity) {
      const first = await client.sendActivity(activity);
      const replies: Array<Partial<Activity>> = first ? [first] : [];
      for (let r = client.getNextReply(); r; r = client.getNextReply()) replies.push(r);
      return replies;
    },
  };
}
