/**
 * Scale-out: two real bot processes (`node dist/src/index.js`, STORAGE=blob) on different ports
 * share one Azurite, as two instances behind a load balancer would share Azure Blob Storage.
 */
import { startAzurite, type Azurite } from '../support/azurite';
import { startBotProcess, type BotProcess } from '../support/botProcess';

let azurite: Azurite | null = null;
const bots: BotProcess[] = [];
afterAll(async () => {
  await Promise.all(bots.map((b) => b.stop()));
  await azurite?.stop();
});

function message(conversation: string, text: string) {
  return { type: 'message', channelId: 'emulator', deliveryMode: 'expectReplies', conversation: { id: conversation }, from: { id: 'user-1' }, recipient: { id: 'bot' }, locale: 'nl-NL', text };
}
const shown = (r: { json: any }) => JSON.stringify((r.json?.activities ?? []).filter((a: any) => a.type === 'message'));

describe('two bot processes on one Azure Blob Storage (Azurite)', () => {
  beforeAll(async () => {
    azurite = await startAzurite();
    const env = { STORAGE: 'blob', STORAGE_BLOB_CONNECTION_STRING: azurite.connectionString, STORAGE_BLOB_CONTAINER: 'scale-out' };
    bots.push(await startBotProcess(env), await startBotProcess(env));
    expect(bots[0]!.port).not.toBe(bots[1]!.port);
  }, 60_000);

  it('go on with one dialog whose turns alternate between them, without losing a step', async () => {
    const [a, b] = bots as [BotProcess, BotProcess];
    expect(shown(await a.post(message('shared-1', 'Welk fieldlab past bij mij?')))).toMatch(/Over welk onderwerp/);
    expect(shown(await b.post(message('shared-1', '3D-printen')))).toMatch(/Waar zit je bedrijf/);
    const result = shown(await a.post(message('shared-1', 'in de buurt van Eindhoven')));
    expect(result).toMatch(/3D-printen/);
    expect(result).toMatch(/Noord-Brabant/);
  });

  it('keep both of two simultaneous messages of one conversation, one sent to each', async () => {
    const [a, b] = bots as [BotProcess, BotProcess];
    const [one, two] = await Promise.all([a.post(message('shared-2', 'Wij hebben 35 medewerkers')), b.post(message('shared-2', 'Ons bedrijf zit in Enschede'))]);
    expect([one.status, two.status]).toEqual([200, 200]);
    // Both facts are remembered: the subsidy check asks neither the size nor the place, only the project.
    const ask = shown(await b.post(message('shared-2', 'subsidiecheck')));
    expect(ask).toMatch(/Wat voor project/);
    const result = shown(await a.post(message('shared-2', 'opleiden')));
    expect(result).toMatch(/SLIM/);
    expect(result).toMatch(/Oost NL/);
  });
});
