/**
 * A prompt for one piece of information (a theme, a place, a company size…). It sends our own
 * card, recognises the answer from a button's value or the typed text, re-asks with examples at
 * most twice, and then ends without a value, so the dialog can offer a way out.
 */
import type { Activity, TurnContext } from 'botbuilder';
import { Prompt, type PromptOptions, type PromptRecognizerResult } from 'botbuilder-dialogs';

export type Recognize<T> = (context: TurnContext) => T | undefined;

/** Attempts before giving up: the first answer and two re-asks. */
export const MAX_ATTEMPTS = 3;

export class SlotPrompt<T> extends Prompt<T> {
  constructor(
    dialogId: string,
    private readonly recognize: Recognize<T>,
  ) {
    super(dialogId, async (prompt) => prompt.recognized.succeeded || prompt.attemptCount >= MAX_ATTEMPTS);
  }

  protected async onPrompt(context: TurnContext, _state: object, options: PromptOptions, isRetry: boolean): Promise<void> {
    const activity = isRetry && options.retryPrompt ? options.retryPrompt : options.prompt;
    if (activity) await context.sendActivity(activity as Partial<Activity>);
  }

  protected async onRecognize(context: TurnContext): Promise<PromptRecognizerResult<T>> {
    const value = this.recognize(context);
    return value === undefined ? { succeeded: false } : { succeeded: true, value };
  }
}
