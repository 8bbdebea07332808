/**
 * Editors' and operators' commands on the knowledge base: `npm run kb -- <command>`.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { Config } from '../config';
import { readConfig } from './common';
import { loadKnowledge } from '../knowledge/loader';
import { loadTestSet } from '../knowledge/testSet';
import { formatProblem, type Problem } from '../knowledge/types';

const HELP = `Usage: npm run kb -- <command> [options]

Commands:
  check              Validate every knowledge file; print problems as file:line:col.
                     Exit 1 when there are errors.
  help               Show this text.

Options:
  --dir <folder>     Knowledge folder (default: KNOWLEDGE_DIR or ./knowledge)
  -h, --help         Show this text.
`;

export interface CliIO {
  out(line: string): void;
  err(line: string): void;
}

const stdio: CliIO = {
  out: (l) => process.stdout.write(`${l}\n`),
  err: (l) => process.stderr.write(`${l}\n`),
};

function summary(problems: readonly Problem[]): { errors: number; warnings: number } {
  return {
    errors: problems.filter((p) => p.severity === 'error').length,
    warnings: problems.filter((p) => p.severity === 'warning').length,
  };
}

export function runCheck(config: Config, io: CliIO): number {
  const result = loadKnowledge(config.knowledgeDir);
  const problems: Problem[] = [...result.problems];
  let testCount = 0;
  if (result.data) {
    const ids = new Set(result.data.entries.map((e) => e.id));
    const questions = result.data.entries.flatMap((e) => [...e.questions.nl, ...e.questions.en]);
    const tests = loadTestSet(config.knowledgeDir, ids, questions);
    problems.push(...tests.problems);
    testCount = tests.tests.length;
  }
  for (const p of problems) (p.severity === 'error' ? io.err : io.out)(formatProblem(p));
  const { errors, warnings } = summary(problems);
  if (errors) {
    io.err(`${errors} error(s), ${warnings} warning(s) in ${result.files.length} files. The bot keeps answering from the last good version until these are fixed.`);
    return 1;
  }
  const entries = result.data?.entries.length ?? 0;
  io.out(`OK: ${entries} entries in ${result.files.length} files, ${testCount} test questions, ${warnings} warning(s) (version ${result.version}).`);
  return 0;
}

export function main(argv: readonly string[], io: CliIO = stdio): number {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: { dir: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    });
  } catch (e) {
    io.err(`${(e as Error).message}\n\n${HELP}`);
    return 2;
  }
  const [command] = parsed.positionals;
  if (parsed.values.help || !command || command === 'help') {
    io.out(HELP);
    return command || parsed.values.help ? 0 : 2;
  }
  let config: Config | null = readConfig(io.err);
  if (!config) return 2;
  if (parsed.values.dir) config = { ...config, knowledgeDir: path.resolve(parsed.values.dir) };
  switch (command) {
    case 'check':
      return runCheck(config, io);
    default:
      io.err(`Unknown command "${command}".\n\n${HELP}`);
      return 2;
  }
}

if (require.main === module) {
  process.exitCode = main(process.argv.slice(2));
}
