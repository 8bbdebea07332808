/**
 * Entities in a message, for the dialogs: places (provinces, towns, informal regions, postcodes,
 * also misspelled and "in de buurt van …"), fieldlab themes, company size, and the names of
 * programs, organisations and fieldlabs (with their abbreviations).
 */
import Fuse from 'fuse.js';
import type { CompanySize, KnowledgeData, ProgramNeed, ProvinceId } from '../knowledge/types';
import { isStopword } from './analyzer';
import { normalize, tokenize } from './normalize';
import { PhraseIndex, wordKeys } from './phrases';

export interface PlaceEntity {
  readonly province: ProvinceId;
  readonly via: 'province' | 'city' | 'region' | 'postcode';
  /** The place as the user wrote it (normalized). */
  readonly text: string;
  /** The place's proper name (for "in de buurt van Eindhoven": Eindhoven). */
  readonly name: string;
}

export interface Entities {
  readonly places: readonly PlaceEntity[];
  /** The province the message is about: the first place named. */
  readonly province: ProvinceId | null;
  /** "near", "in de buurt van", "rond": the user means the surroundings too. */
  readonly near: boolean;
  readonly themes: readonly string[];
  readonly size: { readonly size: CompanySize; readonly employees: number | null } | null;
  /** Kinds of project (program needs) the message names. */
  readonly needs: readonly ProgramNeed[];
  readonly programs: readonly string[];
  readonly organisations: readonly string[];
  readonly fieldlabs: readonly string[];
}

type FuzzyPlace = { key: string; province: ProvinceId; via: 'city' | 'region' | 'province'; name: string };
type Named = { kind: 'place'; province: ProvinceId; via: 'province' | 'city' | 'region'; name: string } | { kind: 'program' | 'organisation' | 'fieldlab'; id: string };

/** Towns whose names are also everyday words in Dutch or English. */
const COMMON_WORDS = new Set(['best', 'goes', 'leek', 'haren', 'echt', 'born', 'made', 'son', 'ens', 'epe', 'urk', 'oss', 'ede', 'rijen', 'gilze', 'lemmer', 'joure', 'burgum', 'leek']);

/** Names that are also everyday words ("slim" is smart, "bom" a bomb): only in capitals. */
const CAPITALS_ONLY = new Set(['slim', 'bom', 'doc']);

/** Words that put a place after them: "in Twente", "bij Delft", "near Eindhoven". */
const PLACE_WORDS = new Set(['in', 'bij', 'uit', 'rond', 'rondom', 'omgeving', 'regio', 'buurt', 'near', 'around', 'from', 'vanuit', 'nabij', 'region', 'area', 'provincie', 'province', 'te']);
const NEAR = /\b(in de buurt van|in de omgeving van|omgeving|rond|rondom|nabij|near|around|close to|in the area of|regio)\b/;
const SIZE = /\b(\d{1,5})(?:\s*-\s*|\s+)?(man|mensen|medewerkers|werknemers|personeelsleden|fte|werkplekken|employees|people|staff|workers|person|persons|personen)\b/;
const POSTCODE = /\b([1-9]\d{3})\s?([a-z]{2})\b/;
const BARE_POSTCODE = /(?:postcode|postal code|zip)\s*:?\s*([1-9]\d{3})\b|^\s*([1-9]\d{3})\s*$/;

export function sizeOf(employees: number): CompanySize {
  if (employees < 10) return 'micro';
  if (employees < 50) return 'small';
  if (employees < 250) return 'medium';
  return 'large';
}

export class EntityRecognizer {
  private readonly names = new PhraseIndex<Named>();
  private readonly themes = new PhraseIndex<string>();
  private readonly needs = new PhraseIndex<ProgramNeed>();
  private readonly postcodes: { from: number; to: number; province: ProvinceId }[] = [];
  /** Every place name (for the matcher, which reads them all as one placeholder word). */
  readonly placeNames: string[] = [];
  /** Single-word place names for misspellings: fuse.js over short keys, one list per first letter
   * (a misspelling must keep it), so that a search scans a few dozen names instead of all. */
  private readonly fuzzyPlaces = new Map<string, Fuse<FuzzyPlace>>();
  /** Place names that are also common words ("Best", "Echt", "Goes"): only after "in", "bij"… */
  private readonly ambiguous = new Set<string>();

  constructor(data: Pick<KnowledgeData, 'provinces' | 'themes' | 'programs' | 'organisations' | 'fieldlabs' | 'needs'>) {
    const single: FuzzyPlace[] = [];
    const place = (text: string, province: ProvinceId, via: 'province' | 'city' | 'region', name: string) => {
      this.names.add(text, { kind: 'place', province, via, name }, true);
      const words = tokenize(normalize(text));
      const ambiguous = words.length === 1 && (isStopword(words[0]!) || COMMON_WORDS.has(words[0]!) || words[0]!.length <= 3);
      if (!ambiguous) this.placeNames.push(text);
      if (words.length === 1) {
        const w = words[0]!;
        if (ambiguous) this.ambiguous.add(w);
        if (w.length >= 5) single.push({ key: w, province, via, name });
      }
    };
    // A region that several provinces list (Noord-Nederland, Zuid-Nederland) says too little.
    const regionCount = new Map<string, number>();
    for (const p of data.provinces) for (const r of p.regions) regionCount.set(r, (regionCount.get(r) ?? 0) + 1);
    for (const p of data.provinces) {
      for (const n of [p.name.nl, p.name.en, ...p.aliases]) place(n, p.id, 'province', p.name.nl);
      for (const c of [p.capital, ...p.cities]) place(c, p.id, 'city', c);
      for (const r of p.regions) if (regionCount.get(r) === 1) place(r, p.id, 'region', r);
      for (const [from, to] of p.postcodes) this.postcodes.push({ from, to, province: p.id });
    }
    for (const letter of new Set(single.map((p) => p.key[0]!))) {
      const list = single.filter((p) => p.key[0] === letter);
      this.fuzzyPlaces.set(letter, new Fuse(list, { keys: ['key'], includeScore: true, threshold: 0.25, ignoreLocation: true, minMatchCharLength: 4 }));
    }
    for (const t of data.themes) for (const w of [t.name.nl, t.name.en, ...t.words.nl, ...t.words.en]) this.themes.add(w, t.id);
    for (const n of data.needs) for (const w of [n.name.nl, n.name.en, ...n.words.nl, ...n.words.en]) this.needs.add(w, n.id);
    // A name that is a common word once normalized ("S&O" becomes "so") names nothing.
    const name = (n: string, value: Named) => {
      const words = tokenize(normalize(n));
      if (words.length === 1 && (isStopword(words[0]!) || words[0]!.length <= 2)) return;
      this.names.add(n, value, true);
    };
    for (const p of data.programs) for (const n of [p.name.nl, p.name.en, ...p.aliases]) name(n, { kind: 'program', id: p.id });
    for (const o of data.organisations) for (const n of [o.name.nl, o.name.en, ...o.aliases]) name(n, { kind: 'organisation', id: o.id });
    for (const f of data.fieldlabs) for (const n of [f.name, ...f.aliases]) name(n, { kind: 'fieldlab', id: f.id });
  }

  recognize(text: string): Entities {
    const normalized = normalize(text.slice(0, 4000));
    const tokens = tokenize(normalized);
    const places: PlaceEntity[] = [];
    const programs = new Set<string>();
    const organisations = new Set<string>();
    const fieldlabs = new Set<string>();
    const covered = new Set<number>();
    const afterPlaceWord = (i: number) => i > 0 && PLACE_WORDS.has(tokens[i - 1]!);

    for (const h of this.names.find(tokens)) {
      const v = h.value;
      const words = tokens.slice(h.from, h.to);
      // Found on its stem too ("bomen" → bom, "slimme" → slim): only the name in capitals counts.
      const capitals = words.length === 1 ? wordKeys(words[0]!).find((k) => CAPITALS_ONLY.has(k)) : undefined;
      if (capitals && !new RegExp(`\\b${capitals.toUpperCase()}\\b`).test(text)) continue;
      if (v.kind === 'place') {
        if (words.length === 1 && this.ambiguous.has(words[0]!) && !afterPlaceWord(h.from)) continue;
        places.push({ province: v.province, via: v.via, text: words.join(' '), name: v.name });
      } else if (v.kind === 'program') programs.add(v.id);
      else if (v.kind === 'organisation') organisations.add(v.id);
      else fieldlabs.add(v.id);
      for (let i = h.from; i < h.to; i++) covered.add(i);
    }

    // A misspelled town or region: only where a place is expected, or when the message is little else.
    tokens.forEach((t, i) => {
      if (covered.has(i) || t.length < 5 || isStopword(t) || /\d/.test(t)) return;
      if (!afterPlaceWord(i) && tokens.length > 3) return;
      // A misspelling keeps the first letter and about the length (fuse.js alone would also find
      // "paper" inside "Papendrecht").
      const best = this.fuzzyPlaces.get(t[0]!)?.search(t, { limit: 3 }).find((r) => Math.abs(r.item.key.length - t.length) <= 2);
      if (best && (best.score ?? 1) <= 0.25) {
        places.push({ province: best.item.province, via: best.item.via, text: t, name: best.item.name });
      }
    });

    const code = POSTCODE.exec(normalized) ?? BARE_POSTCODE.exec(normalized);
    if (code) {
      const n = Number(code[1] ?? code[2]);
      const range = this.postcodes.find((r) => n >= r.from && n <= r.to);
      if (range) places.push({ province: range.province, via: 'postcode', text: code[0].trim(), name: String(n) });
    }

    const themes = [...new Set(this.themes.find(tokens).map((h) => h.value))];
    const sizeMatch = SIZE.exec(normalized);
    const employees = sizeMatch ? Number(sizeMatch[1]) : null;
    return {
      places,
      province: places[0]?.province ?? null,
      near: NEAR.test(normalized),
      themes,
      size: employees !== null && employees > 0 ? { size: sizeOf(employees), employees } : null,
      needs: [...new Set(this.needs.find(tokens).map((h) => h.value))],
      programs: [...programs],
      organisations: [...organisations],
      fieldlabs: [...fieldlabs],
    };
  }
}
