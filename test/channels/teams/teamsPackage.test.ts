/**
 * `npm run teams:package`: the zip, its manifest (validated against the schema the
 * @microsoft/app-manifest package ships), the English texts, the icons, and clear failures.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import JSZip from 'jszip';
import { PNG } from 'pngjs';
import { configFromEnv } from '../../../src/config';
import { run } from '../../../src/cli/teamsPackage';
import { buildTeamsPackage } from '../../../src/channels/teams/appPackage';
import { newestManifestVersion, validateTeamsApp } from '../../../src/channels/teams/manifestSchema';
import { runNode } from '../../support/run';
import { REPO } from '../../support/testConfig';

const APP_ID = '0f6a5c1e-3b9d-4c2a-8e7f-1a2b3c4d5e6f';
const ENV = {
  MicrosoftAppId: APP_ID,
  MicrosoftAppType: 'SingleTenant',
  MicrosoftAppTenantId: '9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d',
  MicrosoftAppPassword: 'client-secret-value',
  PUBLIC_URL: 'https://advisor.example.nl',
  TEAMS_APP_ID: '',
  TEAMS_APP_VERSION: '1.2.3',
  TEAMS_PRIVACY_URL: 'https://www.example.nl/privacy',
  TEAMS_WEBSITE_URL: '',
  TEAMS_TERMS_URL: '',
  TEAMS_DEVELOPER_NAME: '',
};
const CLI = 'dist/src/cli/teamsPackage.js';

function tmpDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'sia-teams-'));
}

function bundledVersions(): string[] {
  const dir = path.join(REPO, 'node_modules/@microsoft/app-manifest/build/json-schemas/teams');
  return fs.readdirSync(dir).filter((d) => /^v\d+\.\d+$/.test(d)).map((d) => d.slice(1));
}

describe('npm run teams:package', () => {
  it('explains itself with --help', async () => {
    const r = await runNode([CLI, '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Usage: npm run teams:package/);
    expect(r.stdout).toMatch(/MicrosoftAppId\s+required/);
  });

  it('builds a zip with a valid manifest, the English texts and both icons', async () => {
    const out = tmpDir();
    const r = await runNode([CLI, '--out', out], { env: ENV });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^OK: .*smart-industry-advisor-1\.2\.3\.zip \(manifest 1\.\d+: manifest\.json, color\.png, outline\.png, en\.json\)/m);
    expect(r.stdout).toMatch(/note: TEAMS_TERMS_URL is not set; using PUBLIC_URL/);

    const zip = await JSZip.loadAsync(fs.readFileSync(path.join(out, 'smart-industry-advisor-1.2.3.zip')));
    expect(Object.keys(zip.files).sort()).toEqual(['color.png', 'en.json', 'manifest.json', 'outline.png']);
    const manifest = JSON.parse(await zip.file('manifest.json')!.async('string'));
    const en = JSON.parse(await zip.file('en.json')!.async('string'));

    // The newest schema version the package bundles, and valid against it.
    const newest = bundledVersions().sort((a, b) => Number(a.split('.')[1]) - Number(b.split('.')[1])).pop()!;
    expect(manifest.manifestVersion).toBe(newest);
    expect(newestManifestVersion()).toBe(newest);
    expect(validateTeamsApp(newest, manifest, { "en.json": en })).toEqual([]);

    expect(manifest).toMatchObject({
      id: APP_ID,
      version: '1.2.3',
      developer: { name: 'Smart Industry Advisor', websiteUrl: 'https://advisor.example.nl', privacyUrl: 'https://www.example.nl/privacy', termsOfUseUrl: 'https://advisor.example.nl' },
      name: { short: 'Smart Industry Adviseur' },
      icons: { color: 'color.png', outline: 'outline.png' },
      localizationInfo: { defaultLanguageTag: 'nl-nl', additionalLanguages: [{ languageTag: 'en', file: 'en.json' }] },
      validDomains: ['advisor.example.nl'],
    });
    const bot = manifest.bots[0];
    expect(bot.botId).toBe(APP_ID);
    expect(bot.scopes.sort()).toEqual(['groupChat', 'personal', 'team']);
    expect(bot.commandLists[0].commands.map((c: { title: string }) => c.title)).toEqual(['help', 'fieldlab', 'subsidie', 'quick scan']);
    expect([0, 1, 2, 3].map((i) => en[`bots[0].commandLists[0].commands[${i}].title`])).toEqual(['help', 'fieldlab', 'program', 'quick scan']);
    expect(en['name.short']).toBe('Smart Industry Advisor');

    const color = PNG.sync.read(Buffer.from(await zip.file('color.png')!.async('uint8array')));
    expect([color.width, color.height]).toEqual([192, 192]);
    for (let i = 3; i < color.data.length; i += 4) if (color.data[i] !== 255) throw new Error('the colour icon must be opaque');

    const outline = PNG.sync.read(Buffer.from(await zip.file('outline.png')!.async('uint8array')));
    expect([outline.width, outline.height]).toEqual([32, 32]);
    let drawn = 0;
    for (let i = 0; i < outline.data.length; i += 4) {
      if (outline.data[i + 3] === 0) continue;
      drawn++;
      expect([outline.data[i], outline.data[i + 1], outline.data[i + 2]]).toEqual([255, 255, 255]);
    }
    expect(outline.data[3]).toBe(0); // a transparent corner
    expect(drawn).toBeGreaterThan(60);
    expect(drawn).toBeLessThan(32 * 32 * 0.6);
  });

  it('fails with one line when MicrosoftAppId is not set', async () => {
    const r = await runNode([CLI, '--out', tmpDir()], { env: { ...ENV, MicrosoftAppId: '' } });
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toBe('MicrosoftAppId is not set: set it in .env to the application (client) id of your Azure Bot registration (README: "Teams").');
  });

  it('fails with one line when PUBLIC_URL is missing or not https', async () => {
    const missing = await runNode([CLI, '--out', tmpDir()], { env: { ...ENV, PUBLIC_URL: '' } });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^PUBLIC_URL is not set: set it in .env to the public https address of the bot/);
    const plain = await runNode([CLI, '--out', tmpDir()], { env: { ...ENV, PUBLIC_URL: 'http://advisor.example.nl' } });
    expect(plain.code).toBe(1);
    expect(plain.stderr).toMatch(/^PUBLIC_URL="http:\/\/advisor.example.nl" is not valid for Teams: Teams reaches bots only over https/);
  });

  it('stops on a broken setting with the configuration error line', async () => {
    const r = await runNode([CLI, '--out', tmpDir()], { env: { ...ENV, TEAMS_APP_ID: 'my-teams-app' } });
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe('Configuration error: TEAMS_APP_ID="my-teams-app" is not valid: use a GUID such as 00000000-0000-0000-0000-000000000000, or leave it empty to use MicrosoftAppId.');
  });

  it('prints the exact schema problem (file, path, message) and writes no zip when the manifest is not valid', async () => {
    const out = tmpDir();
    const lines: string[] = [];
    const config = { ...configFromEnv(ENV), microsoftAppId: 'not-a-guid', teamsAppId: '' };
    const code = await run(config, out, { out: (l) => lines.push(l), err: (l) => lines.push(l) });
    expect(code).toBe(1);
    expect(lines).toContainEqual(expect.stringMatching(/^manifest\.json: \/id must match pattern/));
    expect(lines).toContainEqual(expect.stringMatching(/^manifest\.json: \/bots\/0\/botId must match pattern/));
    expect(lines[lines.length - 1]).toMatch(/The Teams app is not valid \(\d+ problem\(s\) above\); no package was written\./);
    expect(fs.readdirSync(out)).toEqual([]);
  });

  it('reports problems of the localization file too', async () => {
    const version = newestManifestVersion();
    const problems = validateTeamsApp(version, {}, { 'en.json': { 'name.short': 'x'.repeat(31), unknown: 'y' } });
    expect(problems.filter((p) => p.file === 'en.json').map((p) => p.problem)).toEqual(
      expect.arrayContaining([expect.stringMatching(/must NOT have additional properties/), expect.stringMatching(/^\/name\.short must NOT have more than 30 characters/)]),
    );
  });

  it('builds the same zip twice for the same settings', async () => {
    const settings = { appId: APP_ID, botId: APP_ID, version: '1.0.0', developerName: 'x', websiteUrl: 'https://a.nl', privacyUrl: 'https://a.nl', termsOfUseUrl: 'https://a.nl', publicUrl: 'https://a.nl' };
    const a = await buildTeamsPackage(settings, tmpDir());
    const b = await buildTeamsPackage(settings, tmpDir());
    if (!a.ok || !b.ok) throw new Error('not built');
    expect(fs.readFileSync(a.file).equals(fs.readFileSync(b.file))).toBe(true);
  });
});
