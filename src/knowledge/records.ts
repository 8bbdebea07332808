/**
 * The structured records: regions.yaml, fieldlabs.yaml, organisations.yaml, programs.yaml.
 * Collected from the validated files and cross-checked (references exist, themes from the
 * controlled list, postcode ranges that do not overlap, facts and reviews that are out of date).
 */
import type { ParsedYaml } from './yamlFile';
import type {
  Fieldlab,
  Need,
  Organisation,
  Program,
  Province,
  ProvinceId,
  Theme,
} from './types';

export interface Reporter {
  error(file: string, line: number, col: number, message: string): void;
  warn(file: string, line: number, col: number, message: string): void;
}

export interface Records {
  needs: Need[];
  provinces: Province[];
  themes: Theme[];
  fieldlabs: Fieldlab[];
  organisations: Organisation[];
  programs: Program[];
}

export type RecordFile = 'regions' | 'fieldlabs' | 'organisations' | 'programs';

const YEAR_MS = 365.25 * 24 * 3600 * 1000;

type Raw<T> = Omit<T, 'at'> & Record<string, unknown>;

export function collectRecords(docs: ReadonlyMap<RecordFile, ParsedYaml>): Records {
  const records: Records = { needs: [], provinces: [], themes: [], fieldlabs: [], organisations: [], programs: [] };
  const regions = docs.get('regions');
  if (regions) {
    const data = regions.data as { provinces: Array<Omit<Raw<Province>, 'postcodes'> & { postcodes?: string[] }> };
    records.provinces = data.provinces.map((p) => ({
      ...p,
      aliases: p.aliases ?? [],
      postcodes: (p.postcodes ?? []).map((range) => range.split('-').map(Number) as [number, number]),
    })) as unknown as Province[];
  }
  const fieldlabs = docs.get('fieldlabs');
  if (fieldlabs) {
    const data = fieldlabs.data as { themes: Raw<Theme>[]; fieldlabs: Raw<Fieldlab>[] };
    records.themes = data.themes.map((t) => ({ ...t, choice: Boolean(t.choice) })) as Theme[];
    records.fieldlabs = data.fieldlabs.map((f, i) => ({
      ...f,
      aliases: f.aliases ?? [],
      city: f.city ?? null,
      website: f.website ?? null,
      at: { file: fieldlabs.file, line: fieldlabs.at(['fieldlabs', i, 'id']).line },
    })) as Fieldlab[];
  }
  const organisations = docs.get('organisations');
  if (organisations) {
    const data = organisations.data as { organisations: Raw<Organisation>[] };
    records.organisations = data.organisations.map((o, i) => ({
      ...o,
      aliases: o.aliases ?? [],
      provinces: o.provinces ?? [],
      website: o.website ?? null,
      nameConfirmed: o.nameConfirmed !== false,
      at: { file: organisations.file, line: organisations.at(['organisations', i, 'id']).line },
    })) as Organisation[];
  }
  const programs = docs.get('programs');
  if (programs) {
    const data = programs.data as { needs: Raw<Need>[]; programs: Raw<Program>[] };
    records.needs = data.needs.map((n) => ({ ...n, choice: Boolean(n.choice) })) as Need[];
    records.programs = data.programs.map((p, i) => ({
      ...p,
      aliases: p.aliases ?? [],
      windows: p.windows ?? [],
      amounts: p.amounts.map((a) => ({ ...a, uncertain: Boolean(a.uncertain) })),
      at: { file: programs.file, line: programs.at(['programs', i, 'id']).line },
    })) as Program[];
  }
  return records;
}

/**
 * Cross-checks between the record files and the rest of the knowledge.
 * @param otherIds ids already used (Q&A entries, tasks): a record may not take one of them
 */
export function checkRecords(docs: ReadonlyMap<RecordFile, ParsedYaml>, r: Records, otherIds: ReadonlyMap<string, string>, today: Date, report: Reporter): void {
  const regions = docs.get('regions');
  const fieldlabs = docs.get('fieldlabs');
  const organisations = docs.get('organisations');
  const programs = docs.get('programs');
  const used = new Map(otherIds);
  const claim = (doc: ParsedYaml, path: (string | number)[], id: string) => {
    const pos = doc.at(path);
    const prev = used.get(id);
    if (prev) report.error(doc.file, pos.line, pos.col, `id "${id}" is used twice: it is also at ${prev}; every entry and record needs its own id`);
    else used.set(id, `${doc.file}:${pos.line}`);
  };
  const stale = (doc: ParsedYaml, path: (string | number)[], id: string, reviewed: string) => {
    const t = Date.parse(reviewed);
    if (Number.isFinite(t) && today.getTime() - t > YEAR_MS) {
      const pos = doc.at(path);
      report.warn(doc.file, pos.line, pos.col, `"${id}" was last reviewed on ${reviewed}, more than a year ago: check it and update the date`);
    }
  };
  const oldYear = today.getFullYear() - 1;
  /** The ids of a controlled list (themes, needs), each listed once. */
  const listIds = (doc: ParsedYaml, list: string, items: readonly { id: string }[], what: string): Set<string> => {
    const ids = new Set<string>();
    items.forEach((item, i) => {
      if (ids.has(item.id)) {
        const pos = doc.at([list, i, 'id']);
        report.error(doc.file, pos.line, pos.col, `${what} "${item.id}" is listed twice`);
      }
      ids.add(item.id);
    });
    return ids;
  };

  if (regions) {
    const seen = new Set<ProvinceId>();
    const orgKinds = new Map(r.organisations.map((o) => [o.id, o.kind]));
    const ranges: { from: number; to: number; province: ProvinceId; i: number; j: number }[] = [];
    r.provinces.forEach((p, i) => {
      const pos = regions.at(['provinces', i, 'id']);
      if (seen.has(p.id)) report.error(regions.file, pos.line, pos.col, `province "${p.id}" is listed twice`);
      seen.add(p.id);
      for (const [field, kind] of [['rom', 'rom'], ['edih', 'edih']] as const) {
        const ref = p[field];
        if (organisations && orgKinds.get(ref) !== kind) {
          const at = regions.at(['provinces', i, field]);
          report.error(regions.file, at.line, at.col, orgKinds.has(ref) ? `"${ref}" is not a ${kind === 'rom' ? 'regional development agency (kind: rom)' : 'digital innovation hub (kind: edih)'}` : `"${ref}" does not exist in organisations.yaml`);
        }
      }
      p.adjacent.forEach((n, j) => {
        const other = r.provinces.find((x) => x.id === n);
        if (other && !other.adjacent.includes(p.id)) {
          const at = regions.at(['provinces', i, 'adjacent', j]);
          report.warn(regions.file, at.line, at.col, `${p.id} lists ${n} as a neighbour, but ${n} does not list ${p.id}`);
        }
      });
      p.postcodes.forEach(([from, to], j) => {
        if (from > to) {
          const at = regions.at(['provinces', i, 'postcodes', j]);
          report.error(regions.file, at.line, at.col, `postcode range ${from}-${to} runs backwards`);
        }
        ranges.push({ from, to, province: p.id, i, j });
      });
    });
    ranges.sort((a, b) => a.from - b.from);
    for (let k = 1; k < ranges.length; k++) {
      const a = ranges[k - 1]!;
      const b = ranges[k]!;
      if (b.from <= a.to && a.province !== b.province) {
        const at = regions.at(['provinces', b.i, 'postcodes', b.j]);
        report.error(regions.file, at.line, at.col, `postcode range ${b.from}-${b.to} (${b.province}) overlaps ${a.from}-${a.to} (${a.province})`);
      }
    }
  }

  if (fieldlabs) {
    const themeIds = listIds(fieldlabs, 'themes', r.themes, 'theme');
    r.fieldlabs.forEach((f, i) => {
      claim(fieldlabs, ['fieldlabs', i, 'id'], f.id);
      f.themes.forEach((t, j) => {
        if (!themeIds.has(t)) {
          const pos = fieldlabs.at(['fieldlabs', i, 'themes', j]);
          report.error(fieldlabs.file, pos.line, pos.col, `theme "${t}" is not in the controlled list at the top of the file`);
        }
      });
      if (f.scope === 'regional' && !f.province) {
        const pos = fieldlabs.at(['fieldlabs', i, 'province']);
        report.error(fieldlabs.file, pos.line, pos.col, `"${f.id}" is regional but has no province`);
      }
      stale(fieldlabs, ['fieldlabs', i, 'reviewed'], f.id, f.reviewed);
      if (f.sourceYear < oldYear) {
        const pos = fieldlabs.at(['fieldlabs', i, 'sourceYear']);
        report.warn(fieldlabs.file, pos.line, pos.col, `"${f.id}": the newest source is from ${f.sourceYear}; check that the lab is still active`);
      }
    });
  }

  if (organisations) {
    r.organisations.forEach((o, i) => {
      claim(organisations, ['organisations', i, 'id'], o.id);
      if ((o.kind === 'rom' || o.kind === 'edih') && !o.provinces.length) {
        const pos = organisations.at(['organisations', i, 'kind']);
        report.error(organisations.file, pos.line, pos.col, `"${o.id}" is a ${o.kind} but lists no provinces`);
      }
      stale(organisations, ['organisations', i, 'reviewed'], o.id, o.reviewed);
    });
  }

  if (programs) {
    const needIds = listIds(programs, 'needs', r.needs, 'need');
    r.programs.forEach((p, i) => {
      claim(programs, ['programs', i, 'id'], p.id);
      p.needs.forEach((n, j) => {
        if (!needIds.has(n)) {
          const pos = programs.at(['programs', i, 'needs', j]);
          report.error(programs.file, pos.line, pos.col, `need "${n}" is not in the needs list at the top of the file`);
        }
      });
      p.windows.forEach((w, j) => {
        if (w.opens > w.closes) {
          const pos = programs.at(['programs', i, 'windows', j]);
          report.error(programs.file, pos.line, pos.col, `window ${w.opens} – ${w.closes} closes before it opens`);
        }
      });
      stale(programs, ['programs', i, 'reviewed'], p.id, p.reviewed);
      const oldAmounts = [...new Set(p.amounts.filter((a) => a.year < oldYear).map((a) => a.year))].sort();
      if (oldAmounts.length && p.status !== 'closed') {
        const pos = programs.at(['programs', i, 'amounts']);
        report.warn(programs.file, pos.line, pos.col, `"${p.id}": amounts hold for ${oldAmounts.join(', ')} — more than a year ago; check the current figures`);
      }
    });
  }
}
