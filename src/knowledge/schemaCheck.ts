/**
 * Validates parsed YAML against the JSON Schemas in knowledge/schemas (ajv) and turns ajv's
 * errors into plain-language messages at the position of the offending value.
 */
import fs from 'node:fs';
import path from 'node:path';
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { LevenshteinDistance as distance } from 'natural/lib/natural/distance/levenshtein_distance';
import type { ParsedYaml, PathSegment } from './yamlFile';
import type { Problem } from './types';

/** Compiled schemas per folder, reused while the schema files stay the same (reloads are frequent). */
const compiled = new Map<string, { signature: string; set: SchemaSet }>();

export function schemasFor(schemaDir: string): SchemaSet {
  let signature = '';
  try {
    signature = fs
      .readdirSync(schemaDir)
      .filter((f) => f.endsWith('.schema.json'))
      .sort()
      .map((f) => {
        const st = fs.statSync(path.join(schemaDir, f));
        return `${f}:${st.size}:${st.mtimeMs}`;
      })
      .join('|');
  } catch {
    // a missing folder: the SchemaSet reports it when used
  }
  const hit = compiled.get(schemaDir);
  if (hit && hit.signature === signature) return hit.set;
  const set = new SchemaSet(schemaDir);
  compiled.set(schemaDir, { signature, set });
  return set;
}

export class SchemaSet {
  private readonly ajv: Ajv;
  private readonly validators = new Map<string, ValidateFunction>();

  constructor(private readonly schemaDir: string) {
    this.ajv = new Ajv({ allErrors: true, verbose: true, strict: false });
    addFormats(this.ajv);
  }

  private loaded = false;

  private validator(name: string): ValidateFunction {
    if (!this.loaded) {
      // Every schema is registered under its $id, so that "common.schema.json#/…" refs resolve.
      for (const f of fs.readdirSync(this.schemaDir).filter((x) => x.endsWith('.schema.json'))) {
        this.ajv.addSchema(JSON.parse(fs.readFileSync(path.join(this.schemaDir, f), 'utf8')));
      }
      this.loaded = true;
    }
    let v = this.validators.get(name);
    if (!v) {
      v = this.ajv.getSchema(name);
      if (!v) throw new Error(`no schema ${name} in ${this.schemaDir}`);
      this.validators.set(name, v);
    }
    return v;
  }

  /** Returns the problems of one parsed file against one schema (empty when it conforms). */
  check(parsed: ParsedYaml, schemaName: string): Problem[] {
    const validate = this.validator(schemaName);
    if (validate(parsed.data)) return [];
    const errors = pruneErrors(validate.errors ?? []);
    return errors.map((e) => {
      const segs = pointerToPath(e.instancePath);
      const key = e.keyword === 'additionalProperties' ? String(e.params.additionalProperty) : undefined;
      const { line, col } = parsed.at(segs, key);
      return { file: parsed.file, line, col, severity: 'error' as const, message: describe(e, segs, parsed.data) };
    });
  }
}

function pointerToPath(pointer: string): PathSegment[] {
  if (!pointer) return [];
  return pointer
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

/** ajv reports a failing $ref/anyOf both at the leaf and its parents; keep the most useful ones. */
function pruneErrors(errors: ErrorObject[]): ErrorObject[] {
  const seen = new Set<string>();
  const out: ErrorObject[] = [];
  for (const e of errors) {
    if (e.keyword === 'if' || e.keyword === 'anyOf' || e.keyword === 'oneOf') continue;
    const k = `${e.instancePath}|${e.keyword}|${JSON.stringify(e.params)}`;
    if (seen.has(k)) continue;
    seen.add(k);
    out.push(e);
  }
  return out;
}

/** Names a place in the file as an editor thinks of it: `"questions.en" of entry "cobot-cost"`. */
function where(segs: PathSegment[], data: unknown): string {
  let owner = '';
  let ownerAt = -1;
  let node: unknown = data;
  segs.forEach((seg, i) => {
    node = node && typeof node === 'object' ? (node as Record<string | number, unknown>)[seg] : undefined;
    const id = node && typeof node === 'object' && !Array.isArray(node) ? (node as Record<string, unknown>).id : undefined;
    if (typeof seg === 'number') {
      const list = String(segs[i - 1] ?? '');
      const singular = list === 'entries' ? 'entry' : list.replace(/s$/, '');
      owner = typeof id === 'string' ? `${singular || 'item'} "${id}"` : `item ${seg + 1} of "${list || 'the list'}"`;
      ownerAt = i;
    }
  });
  const rest = segs.slice(ownerAt + 1).map(String).join('.');
  if (owner && rest) return `"${rest}" of ${owner}`;
  if (owner) return owner;
  return rest ? `"${rest}"` : 'the file';
}

function kindOf(value: unknown): string {
  if (value === null || value === undefined) return 'empty';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a group of fields';
  if (typeof value === 'number') return 'a number';
  if (typeof value === 'boolean') return 'yes/no (true/false)';
  return 'text';
}

const TYPE_NAMES: Record<string, string> = {
  string: 'text',
  array: 'a list (lines starting with "- ")',
  object: 'a group of fields',
  integer: 'a whole number',
  number: 'a number',
  boolean: 'true or false',
};

function describe(e: ErrorObject, segs: PathSegment[], data: unknown): string {
  const field = where(segs, data);
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'required': {
      const missing = String(p.missingProperty);
      const inside = segs.length ? ` in ${field}` : '';
      if (missing === 'nl' || missing === 'en') {
        return `${field} has no ${missing === 'nl' ? 'Dutch (nl)' : 'English (en)'} text: both languages are needed`;
      }
      return `"${missing}" is missing${inside}`;
    }
    case 'additionalProperties': {
      const extra = String(p.additionalProperty);
      const allowed = Object.keys((e.parentSchema as { properties?: object })?.properties ?? {});
      const guess = allowed
        .map((a) => ({ a, d: distance(a.toLowerCase(), extra.toLowerCase()) }))
        .sort((x, y) => x.d - y.d)[0];
      const hint = guess && guess.d <= 3 ? ` — did you mean "${guess.a}"?` : allowed.length ? ` (allowed: ${allowed.join(', ')})` : '';
      return `unknown field "${extra}"${segs.length ? ` in ${field}` : ''}${hint}`;
    }
    case 'type':
      return `${field} should be ${TYPE_NAMES[String(p.type)] ?? String(p.type)}, but it is ${kindOf(e.data)}`;
    case 'minItems':
      return `${field} needs at least ${String(p.limit)} item${p.limit === 1 ? '' : 's'}`;
    case 'maxItems':
      return `${field} has too many items (at most ${String(p.limit)})`;
    case 'minLength':
      return `${field} is empty`;
    case 'maxLength':
      return `${field} is too long (${String(e.data).length} characters; at most ${String(p.limit)})`;
    case 'uniqueItems':
      return `${field} lists the same item twice (items ${Number(p.j) + 1} and ${Number(p.i) + 1})`;
    case 'pattern':
      if (segs[segs.length - 1] === 'id' || /\[a-z0-9\]/.test(String(p.pattern))) {
        return `${field} "${String(e.data)}" may only hold lower-case letters, digits and single dashes (like "predictive-maintenance-what")`;
      }
      if (String(p.pattern).startsWith('^https?')) return `${field} "${String(e.data)}" should be a web address starting with http:// or https://`;
      return `${field} "${String(e.data)}" does not have the expected form`;
    case 'format':
      if (p.format === 'date') return `${field} "${String(e.data)}" should be a date written as YYYY-MM-DD, like 2026-11-29`;
      if (p.format === 'uri') return `${field} "${String(e.data)}" is not a valid web address`;
      return `${field} "${String(e.data)}" is not a valid ${String(p.format)}`;
    case 'enum':
      return `${field} "${String(e.data)}" is not allowed; use one of: ${(p.allowedValues as unknown[]).join(', ')}`;
    case 'minimum':
    case 'maximum':
      return `${field} ${String(e.data)} is out of range (${e.keyword} ${String(p.limit)})`;
    case 'const':
      return `${field} should be ${JSON.stringify(p.allowedValue)}`;
    default:
      return `${field} ${e.message ?? 'is not valid'}`;
  }
}
