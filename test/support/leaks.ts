import { REPO } from './testConfig';

/** What no response body may hold: a stack frame, a file of ours or of a package, a line reference. */
export const STACK_LEAKS: readonly RegExp[] = [
  /\bat .+\(.*:\d+:\d+\)/,
  /\bat (?:async )?\/?[\w./\\-]+:\d+:\d+/,
  /node_modules/,
  /\.(?:ts|js|cjs|mjs):\d+/,
  new RegExp(REPO.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')),
  /\b(?:TypeError|ReferenceError|RangeError|SyntaxError): /,
];
