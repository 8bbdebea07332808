/**
 * A minimal Bot Framework adapter for tests: runs turns through the middleware pipeline and the
 * bot logic, in parallel if asked, and keeps what the bot sent. Errors are thrown back to the
 * caller unless an onTurnError handler is set.
 */
import { BotAdapter, TurnContext, type Activity, type ResourceResponse } from 'botbuilder';

const REPLIES = Symbol('loopback.replies');

export class LoopbackAdapter extends BotAdapter {
  readonly sent: Array<Partial<Activity>> = [];
  private seq = 0;

  async sendActivities(context: TurnContext, activities: Partial<Activity>[]): Promise<ResourceResponse[]> {
    this.sent.push(...activities);
    (context.turnState.get(REPLIES) as Array<Partial<Activity>> | undefined)?.push(...activities);
    return activities.map(() => ({ id: `sent-${++this.seq}` }));
  }

  async updateActivity(): Promise<ResourceResponse | void> {}
  async deleteActivity(): Promise<void> {}
  async continueConversation(): Promise<void> {}

  /** Runs one turn; resolves with what the bot sent in it. */
  async turn(activity: Partial<Activity>, logic: (context: TurnContext) => Promise<void>): Promise<Array<Partial<Activity>>> {
    const replies: Array<Partial<Activity>> = [];
    const context = new TurnContext(this, {
      type: 'message',
      id: `in-${++this.seq}`,
      channelId: 'test',
      serviceUrl: 'http://127.0.0.1:1',
      from: { id: 'user-1', name: 'User', role: 'user' },
      recipient: { id: 'bot-1', name: 'Bot', role: 'bot' },
      timestamp: new Date(),
      locale: 'nl-NL',
      ...activity,
      conversation: { id: 'conv-1', ...(activity.conversation ?? {}) } as Activity['conversation'],
    } as Activity);
    context.turnState.set(REPLIES, replies);
    await this.runMiddleware(context, logic);
    return replies;
  }
}
