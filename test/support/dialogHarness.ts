/**
 * Runs MainDialog under botbuilder-testing's DialogTestClient, with the turn preparation the
 * real bot does (language, cleaned text, knowledge snapshot) as middleware.
 */
import { ConversationState, MemoryStorage, UserState, type Activity, type TurnContext } from 'botbuilder';
import { DialogTestClient } from 'botbuilder-testing';
import { loadKnowledge } from '../../src/knowledge/loader';
import { prepareKnowledge } from '../../src/nlu/knowledgeIndex';
import { buildTurnRequest } from '../../src/bot/advisorBot';
import { MainDialog, type ConversationMemory, type InsightsSink, type UserProfile } from '../../dialogs/mainDialog';
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

export function dialogHarness(options: { snapshot?: AdvisorSnapshot; now?: Date; storage?: MemoryStorage } = {}): Harness {
  const snapshot = options.snapshot ?? shippedSnapshot();
  const storage = options.storage ?? new MemoryStorage();
  const conversationState = new ConversationState(storage);
  const userState = new UserState(storage);
  const memory = conversationState.createProperty<ConversationMemory>('memory');
  const profile = userState.createProperty<UserProfile>('profile');
  const insights = recordingInsights();
  const traces: TraceInfo[] = [];
  const now = options.now ?? new Date('2026-11-29T10:00:00Z');
  const dialog = new MainDialog({ memory, profile, insights, now: () => now });
  const middleware = {
    onTurn: async (context: TurnContext, next: () => Promise<void>) => {
      setTurnRequest(context, await buildTurnRequest(context, { knowledge: () => snapshot, memory, maxMessageChars: 2000 }));
      await next();
      const t = getTrace(context);
      if (t) traces.push(t);
    },
  };
  const saveUser = { onTurn: async (context: TurnContext, next: () => Promise<void>) => { await next(); await userState.saveChanges(context); } };
  const client = new DialogTestClient('test', dialog, undefined, [saveUser, middleware], conversationState);
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
