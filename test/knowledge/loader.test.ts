import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadKnowledge } from '../../src/knowledge/loader';
import { formatProblem } from '../../src/knowledge/types';
import { KNOWLEDGE } from '../support/testConfig';

/** A copy of the shipped knowledge plus the given test files (named qna/zz-*.yaml). */
function kb(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sia-loader-'));
  fs.cpSync(KNOWLEDGE, dir, { recursive: true });
  fs.rmSync(path.join(dir, 'tests'), { recursive: true, force: true });
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
  return dir;
}

const HEAD = '# yaml-language-server: $schema=../schemas/qna.schema.json\n';

function entry(id: string, extra = '', q = id): string {
  return [
    `  - id: ${id}`,
    `    questions:`,
    `      nl: [Wat is ${q}?]`,
    `      en: [What is ${q}?]`,
    `    answer:`,
    `      nl: Antwoord over ${q}.`,
    `      en: Answer about ${q}.`,
    `    sources: [https://example.org/${id}]`,
    `    reviewed: 2026-11-01`,
    extra,
  ]
    .filter(Boolean)
    .join('\n');
}

/** Problems in the test files only (the shipped files have their own warnings about old sources). */
function problems(dir: string): string[] {
  return loadKnowledge(dir, { displayRoot: dir, today: new Date('2026-11-29') })
    .problems.map(formatProblem)
    .filter((p) => p.startsWith('qna/zz'));
}

describe('knowledge loader', () => {
  it('loads the shipped knowledge without errors; its only warnings are about old sources and figures', () => {
    const result = loadKnowledge(KNOWLEDGE, { today: new Date('2026-11-29') });
    expect(result.problems.filter((p) => p.severity === 'error').map(formatProblem)).toEqual([]);
    for (const w of result.problems) expect(w.message).toMatch(/newest source is from|amounts hold for/);
    expect(result.data!.entries.length).toBeGreaterThanOrEqual(40);
    expect(result.data!.fieldlabs.length).toBeGreaterThanOrEqual(30);
    expect(result.data!.programs.some((p) => p.status === 'closed')).toBe(true);
    expect(Object.isFrozen(result.data!.entries[0])).toBe(true);
  });

  it('reports a YAML syntax error at its line and column', () => {
    const dir = kb({ 'qna/zz-a.yaml': `${HEAD}topic: { nl: A, en: A }\nentries:\n  - id: a\n    questions: [unclosed\n` });
    const p = problems(dir);
    expect(p).toHaveLength(1);
    expect(p[0]).toMatch(/^qna\/zz-a\.yaml:6:1 error: YAML syntax: /);
  });

  it('reports a wrong type at the value', () => {
    const dir = kb({ 'qna/zz-a.yaml': `${HEAD}topic: { nl: A, en: A }\nentries:\n${entry('a').replace('    reviewed: 2026-11-01', '    reviewed: 2026-11-01\n    tags: robots')}\n` });
    expect(problems(dir)).toEqual([expect.stringMatching(/^qna\/zz-a\.yaml:\d+:11 error: "tags" of entry "a" should be a list \(lines starting with "- "\), but it is text$/)]);
    const line = Number(problems(dir)[0]!.split(':')[1]);
    expect(fs.readFileSync(path.join(dir, 'qna/zz-a.yaml'), 'utf8').split('\n')[line - 1]).toBe('    tags: robots');
  });

  it('reports a missing language where the answer is', () => {
    const text = `${HEAD}topic: { nl: A, en: A }\nentries:\n${entry('a').replace('      en: Answer about a.\n', '')}\n`;
    const dir = kb({ 'qna/zz-a.yaml': text });
    const p = problems(dir);
    expect(p).toHaveLength(1);
    const [, line, col] = /^[^:]+:(\d+):(\d+) /.exec(p[0]!)!;
    expect(text.split('\n')[Number(line) - 1]!.slice(Number(col) - 1)).toBe('nl: Antwoord over a.');
    expect(p[0]).toContain('"answer" of entry "a" has no English (en) text: both languages are needed');
  });

  it('reports a duplicate id with both places', () => {
    const dir = kb({
      'qna/zz-a.yaml': `${HEAD}topic: { nl: A, en: A }\nentries:\n${entry('same', '', 'one')}\n`,
      'qna/zz-b.yaml': `${HEAD}topic: { nl: B, en: B }\nentries:\n${entry('same', '', 'two')}\n`,
    });
    const p = problems(dir);
    expect(p).toEqual(['qna/zz-b.yaml:4:9 error: id "same" is used twice: it is also at qna/zz-a.yaml:4; every entry needs its own id']);
  });

  it('reports the same question under two ids, a follow-up that does not exist, and an unknown field', () => {
    const dir = kb({
      'qna/zz-a.yaml': `${HEAD}topic: { nl: A, en: A }\nentries:\n${entry('a', '    followUps: [nowhere]', 'robots')}\n${entry('b', '', 'robots')}\n`,
    });
    const p = problems(dir);
    expect(p).toContainEqual(expect.stringMatching(/^qna\/zz-a\.yaml:\d+:\d+ error: the question "Wat is robots\?" is also a question of "a" \(qna\/zz-a\.yaml:\d+\); a question can belong to one entry only$/));
    expect(p).toContainEqual(expect.stringMatching(/^qna\/zz-a\.yaml:\d+:17 error: follow-up "nowhere" does not exist \(no entry or task has that id\)$/));

    const typo = kb({ 'qna/zz-a.yaml': `${HEAD}topic: { nl: A, en: A }\nentries:\n${entry('a').replace('reviewed:', 'reviewd:')}\n` });
    expect(problems(typo)).toContainEqual(expect.stringMatching(/unknown field "reviewd" in entry "a" — did you mean "reviewed"\?$/));
  });

  it('warns (without failing) about stale reviews and old facts', () => {
    const dir = kb({
      'qna/zz-a.yaml': `${HEAD}topic: { nl: A, en: A }\nentries:\n${entry('a', '    factsYear: 2023').replace('reviewed: 2026-11-01', 'reviewed: 2024-01-15')}\n`,
    });
    const result = loadKnowledge(dir, { displayRoot: dir, today: new Date('2026-11-29') });
    expect(result.data).not.toBeNull();
    const own = result.problems.filter((p) => p.file.startsWith('qna/zz'));
    expect(own.map((p) => p.severity)).toEqual(['warning', 'warning']);
    expect(own.map((p) => p.message).join('\n')).toMatch(/last reviewed on 2024-01-15.*\n.*hold for 2023/);
  });

  it('reports a folder that does not exist', () => {
    const p = loadKnowledge('/no/such/folder', { displayRoot: '/' }).problems.map(formatProblem);
    expect(p).toEqual(['no/such/folder:1:1 error: the knowledge folder does not exist']);
  });
});
