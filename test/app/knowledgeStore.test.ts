/**
 * createKnowledgeStore: a second store in the same process on the same files and thresholds takes
 * the knowledge prepared by the first (no second index build); other files, an edit, or other
 * thresholds get their own.
 */
import fs from 'node:fs';
import path from 'node:path';
import { createKnowledgeStore } from '../../src/app';
import { copyKnowledge, memoryLogger, testConfig } from '../support/testConfig';

const dir = copyKnowledge();
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const open = (env: Record<string, string> = {}) => {
  const store = createKnowledgeStore(testConfig({ KNOWLEDGE_DIR: dir, ...env }), memoryLogger().logger);
  return store.init();
};

describe('createKnowledgeStore', () => {
  it('shares the prepared knowledge of identical files and thresholds, and only then', () => {
    const first = open();
    const second = open();
    expect(second.version).toBe(first.version);
    expect(second.prepared).toBe(first.prepared);

    const otherThresholds = open({ MATCH_ANSWER_THRESHOLD: '0.4' });
    expect(otherThresholds.prepared).not.toBe(first.prepared);

    // An edited answer is other knowledge: a new build, and the earlier snapshot is left as it was.
    const file = path.join(dir, 'qna', 'robots-cobots.yaml');
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace(/^(\s+nl: [|>][-+]?\s*\n\s+)(\S)/m, '$1Bijgewerkt. $2'));
    const edited = open();
    expect(edited.version).not.toBe(first.version);
    expect(edited.prepared).not.toBe(first.prepared);
    expect(first.prepared.byId.size).toBe(edited.prepared.byId.size);
  });
});
