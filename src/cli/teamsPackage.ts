/**
 * Operators' command: `npm run teams:package` builds the Teams app package (manifest, icons,
 * English texts) from the .env settings, validated against the Teams schema.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { Config } from '../config';
import { readConfig } from './common';
import { buildTeamsPackage } from '../channels/teams/appPackage';

const HELP = `Usage: npm run teams:package [-- --out <folder>]

Builds teams/build/smart-industry-advisor-<version>.zip: manifest.json (Dutch, with English in
en.json), color.png (192x192) and outline.png (32x32), validated against the newest Teams app
manifest schema that @microsoft/app-manifest bundles. Upload the zip in Teams (Apps > Manage
your apps > Upload an app) or in the Teams admin centre.

Settings (environment or .env):
  MicrosoftAppId          required: the Azure Bot's application (client) id
  PUBLIC_URL              required: the bot's public https address (its host becomes validDomains)
  TEAMS_APP_ID            the Teams app id, a GUID (default: MicrosoftAppId)
  TEAMS_APP_VERSION       the app version, such as 1.0.0; raise it for every new upload
  TEAMS_DEVELOPER_NAME    the publisher's name (default: Smart Industry Advisor)
  TEAMS_WEBSITE_URL, TEAMS_PRIVACY_URL, TEAMS_TERMS_URL   https pages (default: PUBLIC_URL)

Options:
  --out <folder>   where to write the zip (default: teams/build)
  -h, --help       show this text

Exit codes: 0 built, 1 a setting is missing or the manifest is not valid, 2 bad usage or configuration.
`;

export interface CliIO {
  out(line: string): void;
  err(line: string): void;
}

const stdio: CliIO = {
  out: (l) => process.stdout.write(`${l}\n`),
  err: (l) => process.stderr.write(`${l}\n`),
};

export async function run(config: Config, outDir: string, io: CliIO): Promise<number> {
  if (!config.microsoftAppId) {
    io.err('MicrosoftAppId is not set: set it in .env to the application (client) id of your Azure Bot registration (README: "Teams").');
    return 1;
  }
  if (!config.publicUrl) {
    io.err('PUBLIC_URL is not set: set it in .env to the public https address of the bot, such as https://advisor.example.nl (the host of its messaging endpoint).');
    return 1;
  }
  if (!config.publicUrl.startsWith('https://')) {
    io.err(`PUBLIC_URL=${JSON.stringify(config.publicUrl)} is not valid for Teams: Teams reaches bots only over https; use the https address of the bot.`);
    return 1;
  }
  for (const [name, value] of [['TEAMS_WEBSITE_URL', config.teamsWebsiteUrl], ['TEAMS_PRIVACY_URL', config.teamsPrivacyUrl], ['TEAMS_TERMS_URL', config.teamsTermsUrl]] as const) {
    if (value === config.publicUrl) io.out(`note: ${name} is not set; using PUBLIC_URL (${config.publicUrl}). Set it before publishing the app to your organisation.`);
  }
  const result = await buildTeamsPackage(
    {
      appId: config.teamsAppId || config.microsoftAppId,
      botId: config.microsoftAppId,
      version: config.teamsAppVersion,
      developerName: config.teamsDeveloperName,
      websiteUrl: config.teamsWebsiteUrl,
      privacyUrl: config.teamsPrivacyUrl,
      termsOfUseUrl: config.teamsTermsUrl,
      publicUrl: config.publicUrl,
    },
    outDir,
  );
  if (!result.ok) {
    for (const p of result.problems) io.err(`${p.file}: ${p.problem}`);
    io.err(`The Teams app is not valid (${result.problems.length} problem(s) above); no package was written.`);
    return 1;
  }
  io.out(`OK: ${path.relative(process.cwd(), result.file) || result.file} (manifest ${result.manifestVersion}: ${result.files.join(', ')}). Upload it in Teams: Apps > Manage your apps > Upload an app.`);
  return 0;
}

export async function main(argv: readonly string[], io: CliIO = stdio): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], options: { out: { type: 'string' }, help: { type: 'boolean', short: 'h' } } });
  } catch (e) {
    io.err(`${(e as Error).message}\n\n${HELP}`);
    return 2;
  }
  if (parsed.values.help) {
    io.out(HELP);
    return 0;
  }
  const config = readConfig(io.err);
  if (!config) return 2;
  return run(config, path.resolve(parsed.values.out ?? path.join('teams', 'build')), io);
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e) => {
      process.stderr.write(`teams:package failed: ${(e as Error).message}\n`);
      process.exit(1);
    },
  );
}
