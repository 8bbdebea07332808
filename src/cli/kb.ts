/**
 * Editors' and operators' commands on the knowledge base: `npm run kb -- <command>`.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { Config } from '../config';
import { readConfig } from './common';
import { loadKnowledge } from '../knowledge/loader';
import { loadTestSet } from '../knowledge/testSet';
import { formatProblem, outOfScopeExamples, type Problem } from '../knowledge/types';
import { MATCHER_DEFAULTS } from '../nlu/defaults';
import { matchDocs, prepareKnowledge } from '../nlu/knowledgeIndex';
import { passesFloors, predictOurs, predictPeer, rate, score } from '../eval/evaluate';
import { buildFuse, trainNlpJs } from '../eval/peers';
import { formatEval } from '../eval/report';
import { nearCopies, NEAR_COPY } from '../eval/nearCopies';
import { reportCommand } from './report';
import { purgeCommand } from './purge';

const HELP = `Usage: npm run kb -- <command> [options]

Commands:
  check              Validate every knowledge file; print problems as file:line:col.
                     Exit 1 when there are errors.
  eval               Score the matcher on knowledge/tests against NLP.js and fuse.js:
                     accuracy by language and kind, out-of-scope rejection, latency,
                     confusions, worst misses, threshold curve. Exit 1 below the floors
                     (EVAL_ACCURACY_FLOOR, EVAL_REJECTION_FLOOR).
  report [options]   The questions the bot could not answer, grouped, with the nearest
                     entries and a suggestion, and the 👍/👎 feedback per entry; also as
                     one HTML page. See: npm run kb -- report --help
  purge              Delete insights and state older than INSIGHTS_RETENTION_DAYS (the bot
                     also does this at start-up and daily).
  ask "<question>"   Explain how the bot understands one question: language, tokens,
                     stems, compounds, synonyms, typo fixes, the top five candidates
                     with scores and matched words, and the decision.
  help               Show this text.

Options:
  --dir <folder>     Knowledge folder (default: KNOWLEDGE_DIR or ./knowledge)
  --ours-only        eval: skip the peers (faster)
  --peer-sample <n>  eval: score the peers on n evenly spread questions only (fuse.js
                     takes about 0.2 s a question); ours is always scored on all
  --locale <locale>  ask: the channel locale to assume (e.g. en-US; default none)
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
    const { docs } = matchDocs(result.data);
    const ids = new Set(docs.map((d) => d.id));
    const questions = [...docs.flatMap((d) => [...d.questions.nl, ...d.questions.en]), ...outOfScopeExamples(result.data.outOfScope)];
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

function thresholdsOf(config: Config) {
  return { answer: config.answerThreshold, margin: config.answerMargin, disambiguate: config.disambiguateThreshold };
}

/** Loads the knowledge (or says why it cannot) for the commands that need a matcher. */
function prepared(config: Config, io: CliIO) {
  const result = loadKnowledge(config.knowledgeDir);
  if (!result.data) {
    for (const p of result.problems) if (p.severity === 'error') io.err(formatProblem(p));
    io.err('The knowledge has errors; fix them first (npm run kb -- check).');
    return null;
  }
  return { data: result.data, prepared: prepareKnowledge(result.data, thresholdsOf(config)) };
}

export function runAsk(config: Config, io: CliIO, question: string, locale?: string): number {
  if (!question.trim()) {
    io.err('Give the question in quotes: npm run kb -- ask "wat kost een cobot?"');
    return 2;
  }
  const kb = prepared(config, io);
  if (!kb) return 1;
  const r = kb.prepared.matcher.match(question, { locale });
  const a = r.analysis;
  const list = (xs: readonly string[]) => (xs.length ? xs.join(', ') : '—');
  io.out(`Question:     ${JSON.stringify(question)}`);
  io.out(`Language:     ${r.language.lang} (decided by the ${r.language.by}; Dutch words ${r.language.scores.nl}, English words ${r.language.scores.en})`);
  io.out(`Normalized:   ${a.normalized}`);
  io.out(`Stop words:   ${list(a.stopwords)}${a.stopwords.length ? ' (not in the index; the classifier weighs them)' : ''}`);
  io.out(`Compounds:    ${list(a.compounds.map((c) => `${c.word} → ${c.parts.join(' + ')}`))}`);
  io.out(`Synonyms:     ${list(a.synonyms.map((x) => `${x.from} → ${x.to}`))}`);
  io.out(`Typo fixes:   ${list(a.corrections.map((c) => `${c.from} → ${c.to}`))}`);
  const tn = MATCHER_DEFAULTS;
  io.out(`Private life: ${r.privateContext ? `"${r.privateContext}" and no word of business: scores × ${tn.privatePenalty} (outofscope.yaml)` : '—'}`);
  io.out(`Not ours:     ${r.notOurs.toFixed(3)} like the out-of-scope examples${r.notOurs >= 0.0005 ? `: scores × ${(1 - tn.outOfScopeWeight * r.notOurs).toFixed(3)}` : ''} (outofscope.yaml)`);
  io.out(`Terms:        ${list(a.terms.map((t) => `${t.word} [${t.keys.join('|')}]${t.weight < 1 ? ` ×${t.weight}` : ''}${t.via !== 'word' ? ` (${t.via})` : ''}`))}`);
  io.out('Candidates:');
  if (!r.candidates.length) io.out('  none: no word of the question is in the knowledge');
  r.candidates.forEach((c, i) => io.out(`  ${i + 1}. ${c.id.padEnd(32)} ${c.score.toFixed(3)} (index ${c.lexical.toFixed(3)}, classifier +${(c.score - c.lexical).toFixed(3)})  best question: ${JSON.stringify(c.question)}; matched: ${list(c.matched)}`));
  const t = thresholdsOf(config);
  const why =
    r.decision === 'answer'
      ? `the best score ${r.best!.score.toFixed(3)} ≥ ${t.answer} and leads the runner-up by ≥ ${t.margin}`
      : r.decision === 'disambiguate'
        ? `${r.best!.score < t.answer ? `the best score ${r.best!.score.toFixed(3)} is below ${t.answer}` : `the best leads the runner-up by only ${(r.best!.score - (r.candidates[1]?.score ?? 0)).toFixed(3)} (< ${t.margin})`}: "did you mean" ${r.choices.map((c) => c.id).join(' / ')}`
        : `the best score ${(r.candidates[0]?.score ?? 0).toFixed(3)} is below ${t.disambiguate}`;
  io.out(`Decision:     ${r.decision}${r.best && r.decision === 'answer' ? ` → ${r.best.id}` : ''} (${why})`);
  return 0;
}

export async function runEval(config: Config, io: CliIO, options: { oursOnly?: boolean; peerSample?: number } = {}): Promise<number> {
  const kb = prepared(config, io);
  if (!kb) return 1;
  const { data, prepared: p } = kb;
  const targets = new Set(p.docs.map((d) => d.id));
  const tests = loadTestSet(config.knowledgeDir, targets, [...p.docs.flatMap((d) => [...d.questions.nl, ...d.questions.en]), ...outOfScopeExamples(data.outOfScope)]);
  const errors = tests.problems.filter((x) => x.severity === 'error');
  if (errors.length) {
    for (const e of errors) io.err(formatProblem(e));
    return 1;
  }
  if (!tests.tests.length) {
    io.err('There are no test questions in knowledge/tests/*.yaml.');
    return 1;
  }
  io.out(`Evaluating ${tests.tests.length} labelled questions against ${p.docs.length} entries (${data.entries.length} Q&A)…`);
  const all = [score('ours', predictOurs(p, tests.tests))];
  if (!options.oursOnly) {
    const n = options.peerSample && options.peerSample > 0 && options.peerSample < tests.tests.length ? Math.floor(options.peerSample) : tests.tests.length;
    const sample = n === tests.tests.length ? tests.tests : tests.tests.filter((_, i) => Math.floor((i * n) / tests.tests.length) !== Math.floor(((i - 1) * n) / tests.tests.length));
    if (sample !== tests.tests) io.out(`The peers are scored on ${sample.length} evenly spread questions of ${tests.tests.length}.`);
    io.out('Training NLP.js on the same questions…');
    all.push(score('NLP.js', await predictPeer(await trainNlpJs(p.docs), sample)));
    io.out('Searching with fuse.js…');
    all.push(score('fuse.js', await predictPeer(buildFuse(p.docs), sample)));
  }
  io.out('');
  io.out(formatEval(all, thresholdsOf(config)));
  // Records' questions are their names, which a test about the record names too.
  const near = nearCopies(tests.tests, [...p.docs.filter((d) => !d.names).flatMap((d) => [...d.questions.nl, ...d.questions.en]), ...outOfScopeExamples(data.outOfScope)]);
  io.out('');
  if (!near.length) io.out(`No test question is nearly a knowledge question (trigram similarity ≥ ${NEAR_COPY.similarity}, ${NEAR_COPY.minWords} words or more).`);
  else {
    io.out(`${near.length} test question(s) nearly a knowledge question (trigram similarity ≥ ${NEAR_COPY.similarity}): they flatter the figures; rephrase or remove the knowledge question.`);
    for (const n of near) io.out(`  ${n.similarity.toFixed(2)}  "${n.test.q}" (${n.test.file}:${n.test.line}) ~ "${n.question}"`);
  }
  const floors = { accuracy: config.evalAccuracyFloor, rejection: config.evalRejectionFloor };
  const ours = all[0]!;
  const ok = passesFloors(ours, floors);
  io.out('');
  const line = `ours: ${(rate(ours.inScope) * 100).toFixed(1)}% in scope (floor ${floors.accuracy * 100}%), ${(rate(ours.rejection) * 100).toFixed(1)}% out of scope rejected (floor ${floors.rejection * 100}%)`;
  if (ok) io.out(`PASS ${line}`);
  else io.err(`FAIL ${line}`);
  return ok ? 0 : 1;
}

export async function main(argv: readonly string[], io: CliIO = stdio): Promise<number> {
  // These two read the store, not the knowledge folder, and have options of their own.
  if (argv[0] === 'report') return reportCommand(argv.slice(1), io);
  if (argv[0] === 'purge') {
    if (argv.length === 1) return purgeCommand(io);
    io.err(`purge takes no options (it reads INSIGHTS_RETENTION_DAYS).\n\n${HELP}`);
    return 2;
  }
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: { dir: { type: 'string' }, help: { type: 'boolean', short: 'h' }, 'ours-only': { type: 'boolean' }, 'peer-sample': { type: 'string' }, locale: { type: 'string' } },
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
    case 'ask':
      return runAsk(config, io, parsed.positionals.slice(1).join(' '), parsed.values.locale);
    case 'eval':
      return runEval(config, io, { oursOnly: Boolean(parsed.values['ours-only']), peerSample: parsed.values['peer-sample'] ? Number(parsed.values['peer-sample']) : undefined });
    default:
      io.err(`Unknown command "${command}".\n\n${HELP}`);
      return 2;
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (e) => {
      process.stderr.write(`${(e as Error).stack ?? String(e)}\n`);
      process.exitCode = 1;
    },
  );
}
