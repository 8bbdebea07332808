/**
 * Loads the knowledge folder: finds the files, parses them with positions, validates each
 * against its JSON Schema, cross-checks them, and returns either the data or every problem.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseYaml, type ParsedYaml } from './yamlFile';
import { SchemaSet } from './schemaCheck';
import {
  LANGS,
  type Bilingual,
  type KnowledgeData,
  type MenuItem,
  type Problem,
  type QnaEntry,
  type SynonymGroup,
  type UiText,
} from './types';

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

interface FileKind {
  readonly name: 'qna' | 'ui' | 'synonyms';
  readonly schema: string;
  matches(rel: string): boolean;
}

const FILE_KINDS: readonly FileKind[] = [
  { name: 'qna', schema: 'qna.schema.json', matches: (rel) => /^qna\/[^/]+\.ya?ml$/.test(rel) },
  { name: 'ui', schema: 'ui.schema.json', matches: (rel) => rel === 'ui.yaml' },
  { name: 'synonyms', schema: 'synonyms.schema.json', matches: (rel) => rel === 'synonyms.yaml' },
];

/** Folders under knowledge/ that hold other material than bot content. */
const IGNORED_DIRS = new Set(['schemas', 'tests']);

const YEAR_MS = 365.25 * 24 * 3600 * 1000;

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

/** Lower case, no accents, no punctuation: two questions that only differ in these are the same. */
export function questionKey(q: string): string {
  return q
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

function fnv1a(text: string, h = 0x811c9dc5): number {
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
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

  const schemas = new SchemaSet(path.join(dir, 'schemas'));
  const parsed: { kind: FileKind; doc: ParsedYaml }[] = [];
  let skippedFiles = 0;
  let hash = 0x811c9dc5;
  for (const rel of files) {
    const abs = path.join(dir, rel);
    const shown = show(abs);
    const kind = FILE_KINDS.find((k) => k.matches(rel));
    if (!kind) {
      warn(shown, 1, 1, `not a known kind of knowledge file, so it is ignored (known: qna/*.yaml, ui.yaml, synonyms.yaml)`);
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
    hash = fnv1a(rel + '\0' + source, hash);
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
    parsed.push({ kind, doc });
  }

  // ---- collect ----
  const entries: QnaEntry[] = [];
  const entryAt = new Map<string, { file: string; line: number }>();
  let ui: UiText | null = null;
  let uiDoc: ParsedYaml | null = null;
  const synonyms: SynonymGroup[] = [];
  const questionOwner = new Map<string, { id: string; file: string; line: number }>();

  for (const { kind, doc } of parsed) {
    if (kind.name === 'qna') {
      const data = doc.data as {
        topic: Bilingual;
        entries: Array<Omit<QnaEntry, 'topic' | 'at' | 'title' | 'followUps' | 'tags' | 'sources'> & Partial<QnaEntry>>;
      };
      data.entries.forEach((raw, i) => {
        const idPos = doc.at(['entries', i, 'id']);
        const prev = entryAt.get(raw.id);
        if (prev) {
          error(doc.file, idPos.line, idPos.col, `id "${raw.id}" is used twice: it is also at ${prev.file}:${prev.line}; every entry needs its own id`);
          return;
        }
        entryAt.set(raw.id, { file: doc.file, line: idPos.line });
        const entry: QnaEntry = {
          id: raw.id,
          topic: data.topic,
          title: raw.title ?? { nl: raw.questions.nl[0]!, en: raw.questions.en[0]! },
          questions: raw.questions,
          answer: { nl: raw.answer.nl.trim(), en: raw.answer.en.trim() },
          followUps: raw.followUps ?? [],
          tags: raw.tags ?? [],
          sources: raw.sources ?? [],
          factsYear: raw.factsYear,
          reviewed: raw.reviewed,
          at: { file: doc.file, line: idPos.line },
        };
        entries.push(entry);
        for (const lang of LANGS) {
          entry.questions[lang].forEach((q, qi) => {
            const key = `${lang}:${questionKey(q)}`;
            const owner = questionOwner.get(key);
            const qPos = doc.at(['entries', i, 'questions', lang, qi]);
            if (owner && owner.id !== entry.id) {
              error(doc.file, qPos.line, qPos.col, `the question "${q}" is also a question of "${owner.id}" (${owner.file}:${owner.line}); a question can belong to one entry only`);
            } else if (owner) {
              warn(doc.file, qPos.line, qPos.col, `the question "${q}" is listed twice in "${entry.id}"`);
            } else {
              questionOwner.set(key, { id: entry.id, file: doc.file, line: qPos.line });
            }
          });
        }
      });
    } else if (kind.name === 'ui') {
      ui = doc.data as UiText;
      uiDoc = doc;
    } else if (kind.name === 'synonyms') {
      const data = doc.data as { synonyms: string[][] };
      const termOwner = new Map<string, number>();
      data.synonyms.forEach((group, gi) => {
        group.forEach((term, ti) => {
          const key = questionKey(term);
          const pos = doc.at(['synonyms', gi, ti]);
          if (!key) {
            error(doc.file, pos.line, pos.col, `the synonym "${term}" has no letters or digits`);
            return;
          }
          const other = termOwner.get(key);
          if (other !== undefined && other !== gi) {
            error(doc.file, pos.line, pos.col, `"${term}" is in two synonym groups (also in group ${other + 1}, starting with "${data.synonyms[other]![0]}"); merge them or remove one`);
          }
          termOwner.set(key, gi);
        });
        synonyms.push(group);
      });
    }
  }

  // ---- cross-checks ----
  const qnaFiles = parsed.filter((p) => p.kind.name === 'qna');
  if (!files.some((f) => f.startsWith('qna/'))) {
    error(show(path.join(dir, 'qna')), 1, 1, 'there are no question-and-answer files (qna/*.yaml)');
  }
  if (!files.includes('ui.yaml')) {
    error(show(path.join(dir, 'ui.yaml')), 1, 1, 'ui.yaml is missing: the bot needs its welcome, fallback and button texts');
  }
  const ids = new Set(entries.map((e) => e.id));
  // With a file left out, references into it would all look broken: check them once it is fixed.
  const complete = skippedFiles === 0;
  for (const { doc } of qnaFiles) {
    const data = doc.data as { entries: Array<{ id: string; followUps?: string[]; sources?: string[]; reviewed: string; factsYear?: number; tags?: string[] }> };
    data.entries.forEach((raw, i) => {
      (raw.followUps ?? []).forEach((f, fi) => {
        const pos = doc.at(['entries', i, 'followUps', fi]);
        if (f === raw.id) warn(doc.file, pos.line, pos.col, `"${raw.id}" lists itself as a follow-up`);
        else if (complete && !ids.has(f)) error(doc.file, pos.line, pos.col, `follow-up "${f}" does not exist (no entry has that id)`);
      });
      if (!(raw.sources ?? []).length && !(raw.tags ?? []).includes('about-bot')) {
        const pos = doc.at(['entries', i, 'id']);
        warn(doc.file, pos.line, pos.col, `"${raw.id}" has no sources: add the web page(s) its facts come from`);
      }
      const reviewed = Date.parse(raw.reviewed);
      if (Number.isFinite(reviewed) && today.getTime() - reviewed > YEAR_MS) {
        const pos = doc.at(['entries', i, 'reviewed']);
        warn(doc.file, pos.line, pos.col, `"${raw.id}" was last reviewed on ${raw.reviewed}, more than a year ago: check it and update the date`);
      }
      if (Number.isFinite(reviewed) && reviewed > today.getTime() + 24 * 3600 * 1000) {
        const pos = doc.at(['entries', i, 'reviewed']);
        warn(doc.file, pos.line, pos.col, `"${raw.id}" has a review date in the future (${raw.reviewed})`);
      }
      if (raw.factsYear !== undefined && raw.factsYear < today.getFullYear() - 1) {
        const pos = doc.at(['entries', i, 'factsYear']);
        warn(doc.file, pos.line, pos.col, `the facts in "${raw.id}" hold for ${raw.factsYear}, more than a year ago: check the amounts and dates`);
      }
    });
  }
  if (ui && uiDoc) {
    (ui.menu as MenuItem[]).forEach((m, i) => {
      if (complete && !ids.has(m.target)) {
        const pos = uiDoc!.at(['menu', i, 'target']);
        error(uiDoc!.file, pos.line, pos.col, `menu button "${m.title.nl}" opens "${m.target}", which does not exist`);
      }
    });
    for (const [key, text] of Object.entries(ui.strings)) {
      const nlVars = (text.nl.match(/\{\w+\}/g) ?? []).sort().join();
      const enVars = (text.en.match(/\{\w+\}/g) ?? []).sort().join();
      if (nlVars !== enVars) {
        const pos = uiDoc.at(['strings', key]);
        error(uiDoc.file, pos.line, pos.col, `"${key}" uses different placeholders in nl (${nlVars || 'none'}) and en (${enVars || 'none'})`);
      }
    }
  }

  const hasErrors = problems.some((p) => p.severity === 'error');
  const version = (hash >>> 0).toString(16).padStart(8, '0');
  const data: KnowledgeData | null =
    hasErrors || !ui ? null : deepFreeze({ entries, ui, synonyms });
  return { data, problems, version, files };
}

export function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value as object)) deepFreeze(v);
  }
  return value;
}
