import fs from 'node:fs';
import path from 'node:path';
import { runNode } from '../support/run';
import { copyKnowledge } from '../support/testConfig';

describe('npm run kb -- check', () => {
  it('passes on the shipped knowledge with a one-line summary', async () => {
    const r = await runNode(['dist/src/cli/kb.js', 'check']);
    expect(r.code).toBe(0);
    expect(r.stdout.trim().split('\n').pop()).toMatch(/^OK: \d+ entries in \d+ files, \d+ test questions, \d+ warning\(s\) \(version [0-9a-f]{8}\)\.$/);
  });

  it('prints every problem as file:line:col and exits 1', async () => {
    const dir = copyKnowledge();
    const file = path.join(dir, 'qna', 'cloud.yaml');
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('reviewed:', 'reviewd:'));
    const ui = path.join(dir, 'ui.yaml');
    fs.writeFileSync(ui, fs.readFileSync(ui, 'utf8').replace('target: where-to-start', 'target: where-to-Start'));
    const r = await runNode(['dist/src/cli/kb.js', 'check', '--dir', dir]);
    expect(r.code).toBe(1);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toContainEqual(expect.stringMatching(/qna\/cloud\.yaml:\d+:\d+ error: unknown field "reviewd" in entry "cloud-or-on-premise" — did you mean "reviewed"\?$/));
    expect(lines).toContainEqual(expect.stringMatching(/ui\.yaml:\d+:\d+ error: .*where-to-Start/));
    expect(lines.pop()).toMatch(/^\d+ error\(s\), \d+ warning\(s\) in \d+ files\./);
  });

  it('explains itself with --help and refuses an unknown command', async () => {
    const help = await runNode(['dist/src/cli/kb.js', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/Usage: npm run kb -- <command>/);
    const bad = await runNode(['dist/src/cli/kb.js', 'frobnicate']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/Unknown command "frobnicate"/);
  });
});

describe('npm run kb -- ask', () => {
  it('explains a match: language, small words, compounds, synonyms, typo fixes, candidates and the decision', async () => {
    const r = await runNode(['dist/src/cli/kb.js', 'ask', 'hoe begin ik met voorspelend onderhoud in onze fabriekshal']);
    expect(r.code).toBe(0);
    const line = (label: string) => r.stdout.split('\n').find((l) => l.startsWith(`${label}:`)) ?? '';
    expect(line('Language')).toMatch(/^Language: +nl \(decided by the text/);
    expect(line('Stop words')).toMatch(/hoe, ik, met, in, onze \(not in the index; the classifier weighs them\)/);
    expect(line('Compounds')).toMatch(/fabriekshal → fabriek \+ hal/);
    expect(line('Typo fixes')).toMatch(/voorspelend → voorspellend/);
    expect(line('Synonyms')).toMatch(/voorspellend onderhoud → predictive maintenance/);
    const first = r.stdout.split('\n').find((l) => l.startsWith('  1. '))!;
    expect(first).toMatch(/^ {2}1\. predictive-maintenance-start +0\.\d{3} \(index 0\.\d{3}, classifier \+0\.\d{3}\) +best question: ".+"; matched: .*predictive maintenance/);
    expect(line('Decision')).toMatch(/^Decision: +answer → predictive-maintenance-start \(the best score 0\.\d+ ≥ 0\.35/);
    expect(line('Not ours')).toMatch(/^Not ours: +0\.0\d\d like the out-of-scope examples/);
  });

  it('shows when a question is like the out-of-scope examples, and what that did to the scores', async () => {
    const r = await runNode(['dist/src/cli/kb.js', 'ask', 'onze kapsalon wil een online agenda, wat kost dat?']);
    expect(r.code).toBe(0);
    const notOurs = /^Not ours: +(0\.\d{3}) like the out-of-scope examples: scores × (0\.\d{3}) \(outofscope\.yaml\)$/m.exec(r.stdout);
    expect(notOurs).not.toBeNull();
    expect(Number(notOurs![1])).toBeGreaterThan(0.5);
    expect(Number(notOurs![1]) + Number(notOurs![2])).toBeCloseTo(1, 2);
    expect(r.stdout).toMatch(/^Decision: +fallback/m);
  });

  it('asks for a question when none is given', async () => {
    const r = await runNode(['dist/src/cli/kb.js', 'ask', '  ']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/Give the question in quotes: npm run kb -- ask "wat kost een cobot\?"/);
  });
});

describe('npm run chat', () => {
  it('talks with the real bot in the terminal, with numbered buttons', async () => {
    const r = await runNode(['dist/src/cli/chat.js'], { input: 'wat is een cobot\n1\nexit\n' });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Smart Industry Adviseur/);
    expect(r.stdout).toMatch(/\[1\] /);
    const answers = r.stdout.split('Advisor:').slice(1);
    expect(answers.length).toBeGreaterThanOrEqual(3);
    expect(answers[1]).toMatch(/cobot/i);
  });
});
