/**
 * `npm run chat`: a conversation with the real bot (same dialogs, same knowledge, same state
 * handling) in the terminal, for trying content without a server. Buttons are shown numbered;
 * type the number to press one. Type "exit" (or Ctrl+D) to leave.
 */
import readline from 'node:readline';
import {
  ActivityTypes,
  BotAdapter,
  TurnContext,
  type Activity,
  type ConversationReference,
  type ResourceResponse,
} from 'botbuilder';
import { readConfig } from './common';
import { createLogger } from '../log/logger';
import { KnowledgeLoadError } from '../knowledge/store';
import { formatProblem } from '../knowledge/types';
import { createBotCore } from '../app';
import type { ButtonValue } from '../render/cards';

interface CardLike {
  body?: Array<{ type?: string; text?: string; actions?: Array<{ title?: string; data?: ButtonValue; url?: string }> }>;
  actions?: Array<{ title?: string; data?: ButtonValue; url?: string }>;
}

/** Renders outgoing activities as terminal text and remembers the buttons it showed. */
export class TerminalAdapter extends BotAdapter {
  buttons: ButtonValue[] = [];
  private seq = 0;
  private lastTurn: string | undefined;
  readonly reference: Partial<ConversationReference>;

  constructor(
    private readonly write: (text: string) => void,
    locale: string,
    private readonly showTrace = false,
  ) {
    super();
    this.reference = {
      channelId: 'terminal',
      serviceUrl: 'http://localhost/terminal',
      conversation: { id: `terminal-${process.pid}`, isGroup: false, conversationType: 'personal', name: 'terminal' },
      user: { id: 'terminal-user', name: 'You' },
      bot: { id: 'advisor', name: 'Smart Industry Advisor' },
      locale,
    };
  }

  async sendActivities(context: TurnContext, activities: Partial<Activity>[]): Promise<ResourceResponse[]> {
    if (context.activity.id !== this.lastTurn) {
      this.lastTurn = context.activity.id;
      this.buttons = [];
    }
    for (const a of activities) {
      if (a.type === ActivityTypes.Trace) {
        if (this.showTrace) this.write(`  [trace] ${JSON.stringify(a.value)}`);
        continue;
      }
      if (a.type !== ActivityTypes.Message) continue;
      if (a.text) this.write(`\nAdvisor: ${a.text.replace(/&lt;/g, '<')}`);
      for (const att of a.attachments ?? []) {
        const content = att.content as CardLike;
        for (const block of content.body ?? []) {
          if (block.type === 'TextBlock' && block.text) this.write(`  ${block.text}`);
          for (const action of block.actions ?? []) this.showButton(action);
        }
        for (const action of content.actions ?? []) this.showButton(action);
      }
    }
    return activities.map(() => ({ id: String(++this.seq) }));
  }

  /** Buttons are numbered across one reply; links are shown as addresses. */
  private showButton(action: { title?: string; data?: ButtonValue; url?: string }): void {
    if (action.url) {
      this.write(`  (${action.title}: ${action.url})`);
      return;
    }
    if (!action.data) return;
    this.buttons.push(action.data);
    this.write(`  [${this.buttons.length}] ${action.title}`);
  }

  async updateActivity(): Promise<ResourceResponse | void> {}
  async deleteActivity(): Promise<void> {}
  async continueConversation(): Promise<void> {}

  /** Runs one turn: typed text, or the button behind a number. */
  async say(input: string, logic: (context: TurnContext) => Promise<void>, type: string = ActivityTypes.Message): Promise<void> {
    const n = /^\d{1,2}$/.test(input.trim()) ? Number(input.trim()) : 0;
    const button = n >= 1 && n <= this.buttons.length ? this.buttons[n - 1] : undefined;
    const activity: Partial<Activity> = {
      ...TurnContext.applyConversationReference({ type }, this.reference, true),
      id: `in-${++this.seq}`,
      timestamp: new Date(),
      ...(type === ActivityTypes.ConversationUpdate
        ? { membersAdded: [this.reference.user!, this.reference.bot!] }
        : button
          ? { value: button, text: '' }
          : { text: input }),
    };
    await this.runMiddleware(new TurnContext(this, activity), logic);
  }
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (args.includes('--help') || args.includes('-h')) {
    process.stdout.write('Usage: npm run chat [-- --en] [-- --trace]\n\nTalk to the bot in the terminal. --en starts in English; --trace shows what the matcher decided.\nButtons are numbered: type the number to press one. Type "exit" or press Ctrl+D to leave.\n');
    return;
  }
  const config = readConfig((line) => process.stderr.write(`${line}\n`));
  if (!config) {
    process.exitCode = 2;
    return;
  }
  const logger = createLogger({ level: 'warn', destination: { write: (l: string) => process.stderr.write(l) } });
  let core;
  try {
    core = createBotCore(config, logger);
  } catch (e) {
    if (e instanceof KnowledgeLoadError) {
      for (const p of e.problems) process.stderr.write(`${formatProblem(p)}\n`);
      process.exitCode = 1;
      return;
    }
    throw e;
  }
  const out = (t: string) => process.stdout.write(`${t}\n`);
  const adapter = new TerminalAdapter(out, args.includes('--en') ? 'en-US' : 'nl-NL', args.includes('--trace'));
  adapter.onTurnError = core.adapterErrorHandler;
  const logic = (c: TurnContext) => core.bot.run(c);

  await adapter.say('', logic, ActivityTypes.ConversationUpdate);
  const rl = readline.createInterface({ input: process.stdin, output: process.stdout, terminal: process.stdin.isTTY });
  rl.setPrompt('\nYou: ');
  rl.prompt();
  for await (const line of rl) {
    if (/^(exit|quit)$/i.test(line.trim())) break;
    await adapter.say(line, logic);
    rl.prompt();
  }
  rl.close();
}

if (require.main === module) {
  void main();
}
