/**
 * The real bot process with the embedded store (STORAGE=sqlite): what a conversation stored
 * survives `kill -9` and a new start on the same data folder.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startBotProcess, type BotProcess } from '../support/botProcess';

const dirs: string[] = [];
let running: BotProcess | null = null;
afterAll(async () => {
  await running?.kill9();
  dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true }));
});

function message(conversation: string, text: string, locale = 'nl-NL') {
  return { type: 'message', channelId: 'emulator', deliveryMode: 'expectReplies', conversation: { id: conversation }, from: { id: 'user-1' }, recipient: { id: 'bot' }, locale, text };
}

/** Everything the replies show (texts and cards), to match against. */
const shown = (r: { json: any }) => JSON.stringify((r.json?.activities ?? []).filter((a: any) => a.type === 'message'));

describe('a restart of the bot process', () => {
  it('keeps the conversation state in SQLite across kill -9', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sia-restart-'));
    dirs.push(dataDir);
    const env = { STORAGE: 'sqlite', DATA_DIR: dataDir };

    running = await startBotProcess(env);
    await running.waitForLog((l) => l.msg === `storage: SQLite (WAL) at ${path.join(dataDir, 'advisor.sqlite')}`);
    // An English question on a Dutch channel: the conversation now speaks English.
    const asked = await running.post(message('restart-1', 'What is a digital twin?'));
    expect(asked.status).toBe(200);
    expect(asked.json.activities.find((a: any) => a.type === 'message').locale).toBe('en-US');
    await running.kill9();
    running = null;

    running = await startBotProcess(env);
    // An empty message gets the menu in the conversation's language: English, remembered.
    const after = await running.post(message('restart-1', ''));
    expect(after.json.activities[0].locale).toBe('en-US');
    // A conversation it has never seen gets the channel's language.
    const stranger = await running.post(message('restart-2', ''));
    expect(stranger.json.activities[0].locale).toBe('nl-NL');
    expect(await running.stop()).toBe(0);
    running = null;
  });

  it('goes on with a dialog at the step it was at when the process was killed', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sia-restart-'));
    dirs.push(dataDir);
    const env = { STORAGE: 'sqlite', DATA_DIR: dataDir };

    running = await startBotProcess(env);
    expect(shown(await running.post(message('dialog-1', 'Welk fieldlab past bij mij?')))).toMatch(/Over welk onderwerp/);
    await running.kill9(); // the fieldlab finder waits for the theme
    running = await startBotProcess(env);
    expect(shown(await running.post(message('dialog-1', '3D-printen')))).toMatch(/Waar zit je bedrijf/);
    await running.kill9(); // now it waits for the place
    running = await startBotProcess(env);
    const result = shown(await running.post(message('dialog-1', 'in de buurt van Eindhoven')));
    expect(result).toMatch(/3D-printen/);
    expect(result).toMatch(/Noord-Brabant/);
    expect(await running.stop()).toBe(0);
    running = null;
  });
});
