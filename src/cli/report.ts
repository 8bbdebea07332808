/**
 * The editors' report: `npm run kb -- report [--html <file> | --no-html] [--days <n>] [--top <n>]`.
 * Prints the unanswered questions grouped by similarity,
 * each with the nearest entries and a suggestion, and the feedback per entry; writes the same as
 * one self-contained HTML page.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { Config } from '../config';
import type { RecordStore, Store } from '../storage/contract';
import { openStore } from '../storage/factory';
import { asFeedback, asQuestions } from '../insights/records';
import { buildReport, reportText, type Nearest } from '../insights/report';
import { renderReportHtml } from '../insights/reportHtml';
import { retentionCutoff } from '../insights/retention';
import { readConfig } from './common';

export interface ReportIO {
  out(line: string): void;
  err(line: string): void;
}

export interface RunReportOptions {
  /** The matcher's nearest entries for a text (the kb command passes it). */
  readonly nearest?: Nearest;
  /** The matcher's likeness of a text to the out-of-scope examples (the kb command passes it). */
  readonly notOurs?: (text: string) => number;
  /** Title of an entry for the editor. */
  readonly entryTitle?: (id: string) => string | undefined;
  /** Where to write the HTML page; false for none. Default: <DATA_DIR>/insights-report.html. */
  readonly html?: string | false;
  /** Only the last n days (default: the whole retention period). */
  readonly days?: number;
  /** How many groups and entries the terminal shows (default 20; the HTML shows up to 200). */
  readonly top?: number;
  /** The store to read (tests); default: the configured one. */
  readonly store?: RecordStore;
  readonly now?: Date;
}

const n = (x: number) => x.toLocaleString('en-US');

/** Prints the report and writes the HTML page; returns the exit code. */
export async function runReport(config: Config, io: ReportIO, options: RunReportOptions = {}): Promise<number> {
  let owned: Store | null = null;
  try {
    owned = options.store ? null : openStore(config.storage);
  } catch (e) {
    io.err((e as Error).message);
    return 1;
  }
  const store: RecordStore = options.store ?? owned!;
  const now = options.now ?? new Date();
  const since = retentionCutoff(options.days ?? config.insights.retentionDays, now);
  try {
    let records;
    try {
      records = {
        questions: asQuestions(await store.listRecords('question', { since })),
        feedback: asFeedback(await store.listRecords('feedback', { since })),
      };
    } catch (e) {
      io.err(`Cannot read the insights from the store (${(e as Error).message}). Check STORAGE and its settings in .env, and that the store is reachable.`);
      return 1;
    }
    const total = records.questions.length;
    let lastStep = -1;
    const report = buildReport(records.questions, records.feedback, {
      nearest: options.nearest,
      notOurs: options.notOurs,
      entryTitle: options.entryTitle,
      now,
      since,
      onProgress: (done, of) => {
        if (total < 1000) return;
        const step = Math.floor((10 * done) / of);
        if (step !== lastStep) {
          lastStep = step;
          io.err(`clustering ${n(total)} questions… ${step * 10}%`);
        }
      },
    });
    io.out(reportText(report, { top: options.top }));
    if (!options.nearest) io.out('\n(Nearest entries are the candidates recorded when the questions were asked.)');
    const htmlPath = options.html === false ? null : path.resolve(options.html ?? path.join(config.storage.dataDir, 'insights-report.html'));
    if (htmlPath) {
      try {
        fs.mkdirSync(path.dirname(htmlPath), { recursive: true });
        fs.writeFileSync(htmlPath, renderReportHtml(report));
      } catch (e) {
        io.err(`Cannot write the HTML report to ${htmlPath} (${(e as Error).message}); pass --html <file> with a folder you may write to.`);
        return 1;
      }
      io.out(`\nHTML report: ${htmlPath} (open it in a browser)`);
    }
    return 0;
  } finally {
    await owned?.close();
  }
}

const HELP = `Usage: npm run kb -- report [options]

The questions the bot could not answer, grouped by similarity, with the nearest knowledge
entries and a suggestion for each group, and the 👍/👎 feedback per entry.

Options:
  --html <file>   Write the HTML page here (default: <DATA_DIR>/insights-report.html)
  --no-html       Print only
  --days <n>      Only the last n days (default: INSIGHTS_RETENTION_DAYS)
  --top <n>       Groups and entries to print (default 20)
  -h, --help      Show this text
`;

/** `kb report …`: parses the options, loads the knowledge for the nearest entries, runs the report. */
export async function reportCommand(argv: readonly string[], io: ReportIO): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      options: { html: { type: 'string' }, 'no-html': { type: 'boolean' }, days: { type: 'string' }, top: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    });
  } catch (e) {
    io.err(`${(e as Error).message}\n\n${HELP}`);
    return 2;
  }
  if (parsed.values.help) {
    io.out(HELP);
    return 0;
  }
  const days = parsed.values.days === undefined ? undefined : Number(parsed.values.days);
  const top = parsed.values.top === undefined ? undefined : Number(parsed.values.top);
  if (days !== undefined && (!Number.isInteger(days) || days < 1)) {
    io.err(`--days ${parsed.values.days} is not valid: use a whole number of days, 1 or more.`);
    return 2;
  }
  if (top !== undefined && (!Number.isInteger(top) || top < 1)) {
    io.err(`--top ${parsed.values.top} is not valid: use a whole number, 1 or more.`);
    return 2;
  }
  const config = readConfig(io.err);
  if (!config) return 2;
  const { nearest, notOurs, entryTitle } = await knowledgeLookup(config, io);
  return runReport(config, io, { nearest, notOurs, entryTitle, html: parsed.values['no-html'] ? false : parsed.values.html, days, top });
}

/** The matcher over the current knowledge, for the nearest entries; without it the report still works. */
async function knowledgeLookup(config: Config, io: ReportIO): Promise<{ nearest?: Nearest; notOurs?: (text: string) => number; entryTitle?: (id: string) => string | undefined }> {
  const { loadKnowledge } = await import('../knowledge/loader');
  const { prepareKnowledge } = await import('../nlu/knowledgeIndex');
  const loaded = loadKnowledge(config.knowledgeDir);
  if (!loaded.data) {
    io.err(`The knowledge in ${config.knowledgeDir} has errors (run "npm run kb -- check"); nearest entries come from what was recorded with the questions.`);
    return {};
  }
  const prepared = prepareKnowledge(loaded.data, { answer: config.answerThreshold, margin: config.answerMargin, disambiguate: config.disambiguateThreshold });
  return {
    nearest: (text) => prepared.matcher.match(text).candidates.map((c) => ({ id: c.id, score: c.score })),
    notOurs: (text) => prepared.matcher.match(text).notOurs,
    entryTitle: (id) => prepared.byId.get(id)?.title.nl,
  };
}
