/**
 * The labelled test questions in knowledge/tests/*.yaml: each question with the entry or task it
 * must reach, or out-of-scope. Validated like the other files, and checked against the knowledge
 * (labels exist; no test question copied into the knowledge base).
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseYaml } from './yamlFile';
import { schemasFor } from './schemaCheck';
import { questionKey } from './loader';
import type { Lang, Problem } from './types';

export const OUT_OF_SCOPE = 'out-of-scope';

export type TestKind =
  | 'paraphrase' | 'informal' | 'keyword' | 'typo' | 'word-order' | 'synonym' | 'compound' | 'long' | 'mixed'
  | 'referral' | 'follow-up' | 'trap' | 'unrelated' | 'nonsense';

export interface LabelledQuestion {
  readonly q: string;
  readonly expect: string;
  readonly lang: Lang;
  readonly kind: TestKind;
  /** Other ids that answer it just as well. */
  readonly alsoRight?: readonly string[];
  readonly file: string;
  readonly line: number;
}

export interface TestSetResult {
  readonly tests: readonly LabelledQuestion[];
  readonly problems: readonly Problem[];
}

/**
 * @param targets ids a test may expect (entries, tasks, records)
 * @param knownQuestions every question of the knowledge base, to refuse copies
 */
export function loadTestSet(
  knowledgeDir: string,
  targets: ReadonlySet<string>,
  knownQuestions: Iterable<string>,
  displayRoot = process.cwd(),
): TestSetResult {
  const dir = path.join(knowledgeDir, 'tests');
  const problems: Problem[] = [];
  const tests: LabelledQuestion[] = [];
  let files: string[] = [];
  try {
    files = fs.readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).sort();
  } catch {
    return { tests, problems };
  }
  const known = new Set([...knownQuestions].map(questionKey));
  const schemas = schemasFor(path.join(knowledgeDir, 'schemas'));
  for (const f of files) {
    const abs = path.join(dir, f);
    const shown = path.relative(displayRoot, abs) || abs;
    const doc = parseYaml(shown, fs.readFileSync(abs, 'utf8'));
    problems.push(...doc.problems);
    if (doc.problems.length) continue;
    const schemaProblems = schemas.check(doc, 'tests.schema.json');
    problems.push(...schemaProblems);
    if (schemaProblems.length) continue;
    const data = doc.data as { tests: Omit<LabelledQuestion, 'file' | 'line'>[] };
    data.tests.forEach((t, i) => {
      const pos = doc.at(['tests', i, 'q']);
      if (t.expect !== OUT_OF_SCOPE && !targets.has(t.expect)) {
        const e = doc.at(['tests', i, 'expect']);
        problems.push({ file: shown, line: e.line, col: e.col, severity: 'error', message: `expects "${t.expect}", which does not exist` });
      }
      (t.alsoRight ?? []).forEach((id, j) => {
        if (!targets.has(id)) {
          const e = doc.at(['tests', i, 'alsoRight', j]);
          problems.push({ file: shown, line: e.line, col: e.col, severity: 'error', message: `"${id}" in alsoRight does not exist` });
        }
      });
      if (known.has(questionKey(t.q))) {
        problems.push({ file: shown, line: pos.line, col: pos.col, severity: 'error', message: `the test question "${t.q}" is also a question in the knowledge base; a test must be a question the matcher has not seen` });
      }
      tests.push({ ...t, file: shown, line: pos.line });
    });
  }
  return { tests, problems };
}
