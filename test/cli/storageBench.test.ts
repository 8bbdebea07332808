import { benchStore } from '../../src/cli/storageBench';
import { MemoryStore } from '../../src/storage/memoryStore';

describe('the storage benchmark', () => {
  it('measures reads, writes, leases, insights and locked concurrent turns (which all land)', async () => {
    const lines: string[] = [];
    await benchStore(new MemoryStore(), { writes: 50, turns: 8, workMs: 5 }, (l) => lines.push(l));
    expect(lines.map((l) => l.split(':')[0]!.trim())).toEqual(['state write (eTag-checked)', 'state read', 'lease take + release', 'insights, batch of 100', '8 concurrent turns of one conversation (5 ms of work each)']);
    expect(lines[4]).toMatch(/counter 8; wait for the lock: p50 [\d.]+ ms/);
  });
});
