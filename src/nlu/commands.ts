/**
 * Short commands that work anywhere in a conversation, in both languages: help, menu, cancel,
 * restart. Only a message that is nothing but the command counts ("help" yes, "help me with
 * NIS2" no: that is a question).
 */
import type { TaskId } from '../knowledge/types';
import { normalize, tokenize } from './normalize';

export type Command = 'help' | 'menu' | 'cancel' | 'restart';

const COMMANDS: ReadonlyArray<[Command, readonly string[]]> = [
  ['help', ['help', 'hulp', 'helpen', 'help me', 'wat kan ik vragen', 'what can i ask', '?']],
  ['menu', ['menu', 'hoofdmenu', 'main menu', 'onderwerpen', 'topics', 'start']],
  ['cancel', ['stop', 'annuleer', 'annuleren', 'cancel', 'stoppen', 'laat maar', 'never mind', 'nevermind', 'quit', 'exit']],
  ['restart', ['opnieuw', 'begin opnieuw', 'opnieuw beginnen', 'restart', 'start over', 'reset', 'herstart']],
];

const LOOKUP = new Map<string, Command>();
for (const [command, phrases] of COMMANDS) for (const p of phrases) LOOKUP.set(p === '?' ? '?' : tokenize(normalize(p)).join(' '), command);

export function recognizeCommand(text: string): Command | null {
  const trimmed = text.trim();
  if (trimmed === '?') return 'help';
  const key = tokenize(normalize(trimmed)).join(' ');
  if (!key || key.split(' ').length > 3) return null;
  return LOOKUP.get(key) ?? null;
}

/**
 * The commands of the Teams command menu (and their obvious variants) that start a task. Only the
 * bare word counts, without a question mark: "fieldlab" starts the finder, "fieldlab?" is a question.
 */
const TASK_COMMANDS: ReadonlyArray<[TaskId, readonly string[]]> = [
  ['find-fieldlab', ['fieldlab', 'fieldlabs', 'fieldlab zoeken', 'find fieldlab', 'find a fieldlab']],
  ['check-programs', ['subsidie', 'subsidies', 'program', 'programs', 'programma', 'regelingen', 'subsidiecheck', 'subsidy check']],
  ['quick-scan', ['quick scan', 'quickscan', 'scan', 'de scan']],
  ['talk-to-person', ['contact', 'adviseur', 'adviser', 'advisor', 'iemand spreken', 'talk to a person']],
];

const TASK_LOOKUP = new Map<string, TaskId>();
for (const [task, phrases] of TASK_COMMANDS) for (const p of phrases) TASK_LOOKUP.set(tokenize(normalize(p)).join(' '), task);

export function recognizeTaskCommand(text: string): TaskId | null {
  if (text.includes('?')) return null;
  const key = tokenize(normalize(text)).join(' ');
  return key && key.split(' ').length <= 3 ? (TASK_LOOKUP.get(key) ?? null) : null;
}
