/**
 * A separate process running counter-bot turns against a shared SQLite database, for the
 * cross-process lock test. Uses the compiled code (npm test builds it first).
 *   node counterWorker.js <dataDir> <conversationId> <turns> <startAtEpochMs>
 * Prints one JSON line: { ok, errors: [names] }.
 */
const path = require('node:path');
const dist = path.join(__dirname, '..', '..', 'dist', 'src');
const { BotAdapter, TurnContext } = require('botbuilder');
const { SqliteStore } = require(path.join(dist, 'storage', 'sqliteStore'));
const { CheckedConversationState } = require(path.join(dist, 'storage', 'checkedState'));
const { ConversationLockMiddleware } = require(path.join(dist, 'storage', 'conversationLock'));
const { createLogger } = require(path.join(dist, 'log', 'logger'));

class Adapter extends BotAdapter {
  async sendActivities(_c, activities) { return activities.map(() => ({ id: 'x' })); }
  async updateActivity() {}
  async deleteActivity() {}
  async continueConversation() {}
}

async function main() {
  const [dataDir, conversationId, turns, startAt] = process.argv.slice(2);
  const store = new SqliteStore(dataDir);
  const state = new CheckedConversationState(store);
  const counter = state.createProperty('counter');
  const adapter = new Adapter();
  adapter.use(new ConversationLockMiddleware({ leases: store, ttlMs: 5000, waitMs: 30000, logger: createLogger({ level: 'silent' }) }));
  const logic = async (context) => {
    const c = await counter.get(context, { n: 0 });
    const seen = c.n;
    await new Promise((r) => setTimeout(r, 15));
    c.n = seen + 1;
    await state.saveChanges(context);
  };
  await new Promise((r) => setTimeout(r, Math.max(0, Number(startAt) - Date.now())));
  const results = await Promise.allSettled(
    Array.from({ length: Number(turns) }, (_, i) =>
      adapter.runMiddleware(new TurnContext(adapter, { type: 'message', id: `w${process.pid}-${i}`, channelId: 'test', conversation: { id: conversationId }, from: { id: 'u' }, recipient: { id: 'b' }, text: 'count' }), logic),
    ),
  );
  await store.close();
  process.stdout.write(`${JSON.stringify({ ok: results.filter((r) => r.status === 'fulfilled').length, errors: results.filter((r) => r.status === 'rejected').map((r) => r.reason && r.reason.name) })}\n`);
}

main().catch((e) => {
  process.stderr.write(`${e.stack}\n`);
  process.exit(1);
});
