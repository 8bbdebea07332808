/**
 * Builds the Teams app package: a zip with manifest.json, the two icons and the English
 * localization file, after validating them against the bundled schemas.
 */
import fs from 'node:fs';
import path from 'node:path';
import JSZip from 'jszip';
import { buildTeamsApp, ICON_FILES, type TeamsAppSettings } from './teamsApp';
import { colorIcon, outlineIcon } from './icons';
import { newestManifestVersion, validateTeamsApp, type SchemaProblem } from './manifestSchema';

export type PackageResult =
  | { readonly ok: true; readonly file: string; readonly manifestVersion: string; readonly files: readonly string[] }
  | { readonly ok: false; readonly problems: readonly SchemaProblem[] };

export async function buildTeamsPackage(settings: Omit<TeamsAppSettings, 'manifestVersion'>, outDir: string): Promise<PackageResult> {
  const manifestVersion = newestManifestVersion();
  const { manifest, localizations } = buildTeamsApp({ ...settings, manifestVersion });
  const problems = validateTeamsApp(manifestVersion, manifest, localizations);
  if (problems.length) return { ok: false, problems };

  const zip = new JSZip();
  // A fixed date keeps the zip the same for the same settings.
  const date = new Date('2026-01-01T00:00:00Z');
  zip.file('manifest.json', `${JSON.stringify(manifest, null, 2)}\n`, { date });
  zip.file(ICON_FILES.color, colorIcon(), { date });
  zip.file(ICON_FILES.outline, outlineIcon(), { date });
  for (const [name, content] of Object.entries(localizations)) zip.file(name, `${JSON.stringify(content, null, 2)}\n`, { date });
  const data = await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
  fs.mkdirSync(outDir, { recursive: true });
  const file = path.join(outDir, `smart-industry-advisor-${settings.version}.zip`);
  fs.writeFileSync(file, data);
  return { ok: true, file, manifestVersion, files: Object.keys(zip.files) };
}
