import type { Activity } from 'botbuilder';
import { ConversationStore } from '../../../src/channels/directline/conversationStore';

function fakeClock() {
  let now = 1_000_000;
  return { now: () => now, advance: (ms: number) => void (now += ms) };
}

const msg = (text: string) => ({ type: 'message', text }) as Activity;

describe('ConversationStore', () => {
  it('numbers activities, answers after a watermark, and drops the oldest beyond the bound', () => {
    const c = fakeClock();
    const store = new ConversationStore({ maxConversations: 10, maxQueued: 3, idleMs: 60_000, maxAgeMs: 3_600_000, now: c.now });
    const conv = store.create('conv-1', 'dl_u', 'nl-NL')!;
    for (const t of ['a', 'b', 'c', 'd', 'e']) store.appendNow(conv, msg(t));
    expect(conv.queued).toBe(3);
    expect(conv.after(0)).toEqual({ activities: [expect.objectContaining({ text: 'c' }), expect.objectContaining({ text: 'd' }), expect.objectContaining({ text: 'e' })], watermark: '5' });
    expect(conv.after(4).activities.map((a) => a.text)).toEqual(['e']);
    expect(conv.after(5)).toEqual({ activities: [], watermark: '5' });
    expect(conv.after(0).activities[2]!.id).toBe('conv-1.0000005');
  });

  it('tells listeners about new activities and stops when they unsubscribe', () => {
    const store = new ConversationStore({ maxConversations: 10, maxQueued: 10, idleMs: 60_000, maxAgeMs: 3_600_000 });
    const conv = store.create('conv-1', 'dl_u', undefined)!;
    const seen: string[] = [];
    const off = conv.subscribe((g) => seen.push(`${g.watermark}:${g.activities[0]!.text}`));
    conv.subscribe(() => {
      throw new Error('a broken listener does not stop the others');
    });
    store.appendNow(conv, msg('a'));
    off();
    store.appendNow(conv, msg('b'));
    expect(seen).toEqual(['1:a']);
  });

  it('sweeps conversations idle for too long, and any older than the maximum age', () => {
    const c = fakeClock();
    const store = new ConversationStore({ maxConversations: 10, maxQueued: 10, idleMs: 60_000, maxAgeMs: 300_000, now: c.now });
    const removed: string[] = [];
    store.onRemoved((conv) => removed.push(conv.id));
    store.create('idle', 'u1', undefined);
    store.create('busy', 'u2', undefined);
    c.advance(59_000);
    store.get('busy');
    c.advance(2_000);
    expect(store.sweep()).toBe(1);
    expect(removed).toEqual(['idle']);
    expect(store.get('idle')).toBeUndefined();
    for (let i = 0; i < 5; i++) {
      c.advance(59_000);
      store.get('busy');
    }
    store.sweep();
    expect(removed).toEqual(['idle', 'busy']);
  });

  it('refuses a new conversation when full, after trying a sweep', () => {
    const c = fakeClock();
    const store = new ConversationStore({ maxConversations: 2, maxQueued: 10, idleMs: 60_000, maxAgeMs: 3_600_000, now: c.now });
    expect(store.create('a', 'u', undefined)).not.toBeNull();
    expect(store.create('b', 'u', undefined)).not.toBeNull();
    expect(store.create('c', 'u', undefined)).toBeNull();
    expect(store.create('a', 'u', undefined)?.id).toBe('a'); // an existing one is still there
    c.advance(60_000);
    expect(store.create('c', 'u', undefined)?.id).toBe('c');
    expect(store.size).toBe(1);
  });

  it('runs the turns of one conversation one after the other, also after a failure', async () => {
    const store = new ConversationStore({ maxConversations: 2, maxQueued: 10, idleMs: 60_000, maxAgeMs: 3_600_000 });
    const conv = store.create('a', 'u', undefined)!;
    const order: string[] = [];
    const slow = conv.exclusive(async () => {
      await new Promise((r) => setTimeout(r, 30));
      order.push('first');
      throw new Error('turn failed');
    });
    const fast = conv.exclusive(async () => {
      order.push('second');
      return 2;
    });
    await expect(slow).rejects.toThrow('turn failed');
    await expect(fast).resolves.toBe(2);
    expect(order).toEqual(['first', 'second']);
  });
});
