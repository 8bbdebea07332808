/**
 * Loads the knowledge folder: finds the files, parses them with positions, validates each
 * against its JSON Schema, cross-checks them, and returns either the data or every problem.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { parseYaml, type ParsedYaml } from './yamlFile';
import { schemasFor } from './schemaCheck';
import { checkRecords, collectRecords, type RecordFile } from './records';
import { checkContent, collectContent, type ContentFile } from './content';
import { checkMarkup } from './markup';
import type { KnowledgeData, Problem } from './types';

export { questionKey } from './content';

export interface LoadOptions {
  /** File names in messages are relative to this folder (default: the current directory). */
  readonly displayRoot?: string;
  /** "Today" for the out-of-date warnings (default: now). */
  readonly today?: Date;
}

export interface LoadResult {
  /** The validated data, or null when there is at least one error. */
  readonly data: KnowledgeData | null;
  readonly problems: readonly Problem[];
  /** A short fingerprint of the files' contents. */
  readonly version: string;
  readonly files: readonly string[];
}

type FileName = ContentFile | RecordFile;

interface FileKind {
  readonly name: FileName;
  readonly schema: string;
  matches(rel: string): boolean;
}

const SINGLE_FILES = ['ui', 'synonyms', 'tasks', 'quickscan', 'outofscope', 'regions', 'fieldlabs', 'organisations', 'programs'] as const;
const RECORD_FILES: ReadonlySet<FileName> = new Set<FileName>(['regions', 'fieldlabs', 'organisations', 'programs']);

const FILE_KINDS: readonly FileKind[] = [
  { name: 'qna', schema: 'qna.schema.json', matches: (rel) => /^qna\/[^/]+\.ya?ml$/.test(rel) },
  ...SINGLE_FILES.map((name) => ({ name, schema: `${name}.schema.json`, matches: (rel: string) => rel === `${name}.yaml` })),
];

const MISSING_FILE: Record<(typeof SINGLE_FILES)[number], string> = {
  ui: 'the bot needs its welcome, fallback and button texts',
  synonyms: 'the matcher needs the synonyms (an empty list is fine: "synonyms: []")',
  tasks: 'the bot needs the ways people ask for its guided tasks',
  quickscan: 'the bot needs the statements of the quick scan',
  outofscope: 'the matcher needs the words of private life it must not answer (empty lists are fine)',
  regions: 'the bot needs the provinces to refer people to their region',
  fieldlabs: 'the bot needs the fieldlabs and the list of themes',
  organisations: 'the bot needs the organisations to refer people to',
  programs: 'the bot needs the programs to answer funding questions',
};

/** Folders under knowledge/ that hold other material than bot content. */
const IGNORED_DIRS = new Set(['schemas', 'tests']);

function listYamlFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string, rel: string) => {
    for (const ent of fs.readdirSync(d, { withFileTypes: true })) {
      const r = rel ? `${rel}/${ent.name}` : ent.name;
      if (ent.isDirectory()) {
        if (!rel && IGNORED_DIRS.has(ent.name)) continue;
        walk(path.join(d, ent.name), r);
      } else if (/\.ya?ml$/.test(ent.name)) {
        out.push(r);
      }
    }
  };
  walk(dir, '');
  return out.sort();
}

export function loadKnowledge(dir: string, options: LoadOptions = {}): LoadResult {
  const displayRoot = options.displayRoot ?? process.cwd();
  const today = options.today ?? new Date();
  const show = (abs: string) => {
    const rel = path.relative(displayRoot, abs);
    return rel && !rel.startsWith('..') ? rel : abs;
  };
  const problems: Problem[] = [];
  const error = (file: string, line: number, col: number, message: string) =>
    problems.push({ file, line, col, severity: 'error', message });
  const warn = (file: string, line: number, col: number, message: string) =>
    problems.push({ file, line, col, severity: 'warning', message });

  let files: string[];
  try {
    files = listYamlFiles(dir);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const what = code === 'ENOENT' ? 'does not exist' : code === 'EACCES' ? 'cannot be read (permission denied)' : `cannot be read (${code ?? String(e)})`;
    error(show(dir), 1, 1, `the knowledge folder ${what}`);
    return { data: null, problems, version: 'none', files: [] };
  }

  const schemas = schemasFor(path.join(dir, 'schemas'));
  const parsed: { name: FileName; doc: ParsedYaml }[] = [];
  let skippedFiles = 0;
  const hash = createHash('sha256');
  for (const rel of files) {
    const abs = path.join(dir, rel);
    const shown = show(abs);
    const kind = FILE_KINDS.find((k) => k.matches(rel));
    if (!kind) {
      warn(shown, 1, 1, `not a known kind of knowledge file, so it is ignored (known: qna/*.yaml, ${SINGLE_FILES.map((n) => `${n}.yaml`).join(', ')})`);
      continue;
    }
    let source: string;
    try {
      source = fs.readFileSync(abs, 'utf8');
    } catch (e) {
      error(shown, 1, 1, `cannot be read (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
      skippedFiles++;
      continue;
    }
    hash.update(rel).update('\0').update(source).update('\0');
    if (!/^#\s*yaml-language-server:\s*\$schema=/m.test(source.slice(0, 500))) {
      warn(shown, 1, 1, `add "# yaml-language-server: $schema=${kind.name === 'qna' ? '../' : './'}schemas/${kind.schema}" as the first line so your editor checks this file while you type`);
    }
    const doc = parseYaml(shown, source);
    problems.push(...doc.problems);
    if (doc.problems.length) {
      skippedFiles++;
      continue;
    }
    if (doc.data === null || doc.data === undefined) {
      error(shown, 1, 1, 'the file is empty');
      skippedFiles++;
      continue;
    }
    const schemaProblems = schemas.check(doc, kind.schema);
    problems.push(...schemaProblems);
    if (schemaProblems.length) {
      skippedFiles++;
      continue;
    }
    checkMarkup(doc, { error, warn });
    parsed.push({ name: kind.name, doc });
  }

  const reporter = { error, warn };
  const contentFiles = parsed.filter((p): p is { name: ContentFile; doc: ParsedYaml } => !RECORD_FILES.has(p.name));
  const recordDocs = new Map(parsed.filter((p) => RECORD_FILES.has(p.name)).map((p) => [p.name as RecordFile, p.doc]));
  const content = collectContent(contentFiles, reporter);
  const records = collectRecords(recordDocs);

  for (const name of SINGLE_FILES) {
    if (files.includes(`${name}.yaml`)) continue;
    const abs = path.join(dir, `${name}.yaml`);
    // Something else by that name (a folder, say) is not the file either.
    error(show(abs), 1, 1, `${name}.yaml is ${fs.existsSync(abs) ? 'not a file' : 'missing'}: ${MISSING_FILE[name]}`);
    skippedFiles++;
  }
  if (!files.some((f) => f.startsWith('qna/'))) {
    error(show(path.join(dir, 'qna')), 1, 1, 'there are no question-and-answer files (qna/*.yaml)');
    skippedFiles++;
  }
  // With a file left out, references into it would all look broken: check them once it is fixed.
  if (skippedFiles === 0) {
    checkContent(contentFiles, content, { themes: new Set(records.themes.map((t) => t.id)) }, today, reporter);
    const usedIds = new Map<string, string>([...content.entries.map((e) => [e.id, `${e.at.file}:${e.at.line}`] as const), ...content.tasks.map((t) => [t.id, 'tasks.yaml'] as const)]);
    checkRecords(recordDocs, records, usedIds, today, reporter);
  }

  const hasErrors = problems.some((p) => p.severity === 'error');
  const version = hash.digest('hex').slice(0, 8);
  const { ui, quickScan, outOfScope, ...rest } = content;
  const data: KnowledgeData | null = hasErrors || !ui || !quickScan || !outOfScope ? null : deepFreeze({ ...rest, ui, quickScan, outOfScope, ...records });
  return { data, problems, version, files };
}

export function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value as object)) deepFreeze(v);
  }
  return value;
}
