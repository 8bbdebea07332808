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
