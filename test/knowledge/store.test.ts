import fs from 'node:fs';
import path from 'node:path';
import { KnowledgeStore, type ReloadReport } from '../../src/knowledge/store';
import type { KnowledgeData } from '../../src/knowledge/types';
import { copyKnowledge, waitUntil } from '../support/testConfig';

function store(dir: string, reports: ReloadReport[]) {
  return new KnowledgeStore<{ entries: number }>({
    dir,
    prepare: (data: KnowledgeData) => ({ entries: data.entries.length }),
    onReport: (r) => reports.push(r),
  });
}

describe('knowledge store', () => {
  it('swaps in an edited file within 2 s, keeps the last good snapshot on a broken edit, and recovers', async () => {
    const dir = copyKnowledge();
    const reports: ReloadReport[] = [];
    const s = store(dir, reports);
    const first = s.init();
    s.watch(50);
    try {
      const file = path.join(dir, 'qna', 'robots-cobots.yaml');
      const original = fs.readFileSync(file, 'utf8');

      // A good edit goes live by itself (how fast is measured by npm run bench, not here).
      fs.writeFileSync(file, original.replace(/(\n {6}nl: \|\n {8})/, '$1GEWIJZIGD. '));
      await waitUntil(() => s.current().version !== first.version, 15000);
      const edited = s.current();
      expect(edited.data.entries.some((e) => e.answer.nl.startsWith('GEWIJZIGD.'))).toBe(true);
      expect(Object.isFrozen(edited)).toBe(true);

      // A broken edit is reported with its position and the snapshot stays.
      fs.writeFileSync(file, original.replace('entries:', 'entries: [oops'));
      await waitUntil(() => reports.some((r) => !r.ok), 15000);
      expect(s.current()).toBe(edited);
      const bad = reports.find((r) => !r.ok)!;
      expect(bad.problems.some((p) => p.file.endsWith('robots-cobots.yaml') && p.line > 0 && p.severity === 'error')).toBe(true);

      // Deleting the whole folder also keeps the snapshot.
      fs.renameSync(dir, `${dir}-gone`);
      await new Promise((r) => setTimeout(r, 300));
      expect(s.current()).toBe(edited);

      // Files back and fixed: recovers by itself.
      fs.renameSync(`${dir}-gone`, dir);
      fs.writeFileSync(file, original);
      await waitUntil(() => s.current().version === first.version, 15000);
      expect(s.current().prepared.entries).toBe(first.prepared.entries);
    } finally {
      s.stop();
    }
  });

  it('keeps the last good snapshot while the folder is deleted, a file is half-written or unreadable, and says why', async () => {
    const dir = copyKnowledge();
    const backup = copyKnowledge();
    const reports: ReloadReport[] = [];
    const s = store(dir, reports);
    const good = s.init();
    s.watch(50);
    const failedWith = async (re: RegExp) => {
      await waitUntil(() => reports.some((r) => !r.ok && r.problems.some((p) => p.severity === 'error' && re.test(`${p.file}:${p.line} ${p.message}`))), 15000);
      expect(s.current()).toBe(good);
      reports.length = 0;
    };
    const backToGood = async () => {
      fs.rmSync(dir, { recursive: true, force: true });
      fs.cpSync(backup, dir, { recursive: true });
      await waitUntil(() => reports.some((r) => r.ok), 15000);
      expect(s.current().version).toBe(good.version);
      reports.length = 0;
    };
    try {
      // Deleted (not moved away): the folder does not exist.
      fs.rmSync(dir, { recursive: true, force: true });
      await failedWith(/knowledge folder does not exist/);
      await backToGood();

      // Half-written: the first half of a file, as an editor's save cut short leaves it.
      const file = path.join(dir, 'qna', 'robots-cobots.yaml');
      const text = fs.readFileSync(file, 'utf8');
      fs.writeFileSync(file, text.slice(0, Math.floor(text.length / 2)));
      await failedWith(/robots-cobots\.yaml:\d+/);
      await backToGood();

      // Unreadable: a folder where ui.yaml should be (reading it fails even as root, unlike chmod 000).
      fs.rmSync(path.join(dir, 'ui.yaml'));
      fs.mkdirSync(path.join(dir, 'ui.yaml'));
      fs.writeFileSync(path.join(dir, 'ui.yaml', 'x.yaml'), 'a: 1\n');
      await failedWith(/ui\.yaml:1 ui\.yaml is not a file/);
      await backToGood();
    } finally {
      s.stop();
      fs.rmSync(dir, { recursive: true, force: true });
      fs.rmSync(backup, { recursive: true, force: true });
    }
  });

  it('refuses to start on a broken knowledge base', () => {
    const dir = copyKnowledge();
    fs.writeFileSync(path.join(dir, 'ui.yaml'), 'strings: {}\nmenu: []\n');
    const s = store(dir, []);
    expect(() => s.init()).toThrow(/error/);
  });
});
