/**
 * Validation of the Teams app against the JSON Schemas that @microsoft/app-manifest ships
 * (build/json-schemas/teams/v1.x/MicrosoftTeams.schema.json and the localization schema), with
 * ajv configured as that package configures it (all errors; uri, email and regex formats). No
 * network, no hand-written check.
 *
 * ajv is used directly rather than through the package's AppManifestUtils: loading that module
 * pulls in an ES-module-only dependency (strip-bom 5), which neither Node 20 before 20.19 nor
 * jest can require, and its validator cannot compile the localization schema (one of its
 * patterns is not a valid unicode regular expression).
 */
import fs from 'node:fs';
import path from 'node:path';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';

function schemasDir(): string {
  // Resolving finds the package without loading it.
  return path.join(path.dirname(require.resolve('@microsoft/app-manifest')), 'json-schemas', 'teams');
}

/** The newest released manifest version bundled ("1.30"; preview schemas are left out). */
export function newestManifestVersion(): string {
  const versions = fs
    .readdirSync(schemasDir())
    .map((d) => /^v(\d+)\.(\d+)$/.exec(d))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => [Number(m[1]), Number(m[2])] as const)
    .sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const newest = versions[versions.length - 1];
  if (!newest) throw new Error(`no Teams manifest schemas found in ${schemasDir()}`);
  return `${newest[0]}.${newest[1]}`;
}

export function schemaFile(version: string, file: 'MicrosoftTeams.schema.json' | 'MicrosoftTeams.Localization.schema.json'): string {
  return path.join(schemasDir(), `v${version}`, file);
}

export interface SchemaProblem {
  readonly file: string;
  /** "<json path> <message>. Details: {…}", worded as @microsoft/app-manifest words it. */
  readonly problem: string;
}

const compiled = new Map<string, ReturnType<typeof compileFile>>();

function compile(file: string) {
  let validate = compiled.get(file);
  if (!validate) compiled.set(file, (validate = compileFile(file)));
  return validate;
}

function compileFile(file: string) {
  // The schemas are draft-04: their meta-schema is not checked (validateSchema) and keywords
  // ajv does not know are ignored (strict), as the package's own validator does.
  const ajv = new Ajv({ allErrors: true, strict: false, validateSchema: false, unicodeRegExp: false });
  addFormats(ajv, ['uri', 'email', 'regex']);
  const text = fs.readFileSync(file, 'utf8').replace(/\\a/g, '\\u0007').replace(/\\v/g, '\\u000b');
  return ajv.compile(JSON.parse(text) as object);
}

function problemsOf(file: string, validate: ReturnType<typeof compile>, content: unknown): SchemaProblem[] {
  if (validate(content)) return [];
  return (validate.errors ?? []).map((e) => ({ file, problem: `${e.instancePath} ${e.message ?? ''}. Details: ${JSON.stringify(e.params)}` }));
}

/** Every problem of the manifest and its localization files against the bundled schemas. */
export function validateTeamsApp(version: string, manifest: object, localizations: Record<string, object>): SchemaProblem[] {
  const problems = problemsOf('manifest.json', compile(schemaFile(version, 'MicrosoftTeams.schema.json')), manifest);
  const validateLocalization = compile(schemaFile(version, 'MicrosoftTeams.Localization.schema.json'));
  for (const [file, content] of Object.entries(localizations)) problems.push(...problemsOf(file, validateLocalization, content));
  return problems;
}
