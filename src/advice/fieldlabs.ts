/**
 * Which fieldlabs to suggest for a theme and a place: ranked by theme fit, then distance (the
 * same province, then neighbours, then national labs, then further away), confirmed labs before
 * unconfirmed ones at equal rank.
 */
import type { Fieldlab, KnowledgeData, ProvinceId } from '../knowledge/types';
import { hopsFrom } from './regions';

export interface FieldlabSuggestion {
  readonly fieldlab: Fieldlab;
  /** Requested themes the lab covers (all of them when no theme was asked for). */
  readonly matchedThemes: readonly string[];
  /** 0 same province, 1 neighbour, … ; national labs count as 1.5; null when no place was given. */
  readonly distance: number | null;
}

export interface FieldlabAdvice {
  readonly suggestions: readonly FieldlabSuggestion[];
  /** True when none of the suggestions is in or next to the user's province. */
  readonly outsideRegion: boolean;
  /** True when no lab covers the requested theme(s) at all: the suggestions are the nearest ones. */
  readonly noThemeMatch: boolean;
}

const NATIONAL_DISTANCE = 1.5;

export function suggestFieldlabs(
  request: { themes: readonly string[]; province: ProvinceId | null },
  data: Pick<KnowledgeData, 'fieldlabs' | 'provinces'>,
  limit = { min: 3, max: 5 },
): FieldlabAdvice {
  const hops = request.province ? hopsFrom(request.province, data.provinces) : null;
  const distanceOf = (f: Fieldlab): number | null => {
    if (!hops) return null;
    if (f.scope === 'national' || !f.province) return NATIONAL_DISTANCE;
    return hops.get(f.province) ?? 99;
  };
  const scored = data.fieldlabs.map((f) => {
    const matchedThemes = request.themes.length ? request.themes.filter((t) => f.themes.includes(t)) : [...f.themes];
    return { fieldlab: f, matchedThemes, distance: distanceOf(f) };
  });
  const withTheme = request.themes.length ? scored.filter((s) => s.matchedThemes.length > 0) : scored;
  const noThemeMatch = request.themes.length > 0 && withTheme.length === 0;
  const pool = noThemeMatch ? scored : withTheme;
  const statusRank = (f: Fieldlab) => (f.status === 'confirmed' ? 0 : f.status === 'listed_by_hub' ? 1 : 2);
  const fit = (s: FieldlabSuggestion) => (request.themes.length ? s.matchedThemes.length / request.themes.length : 1);
  pool.sort(
    (a, b) =>
      fit(b) - fit(a) ||
      (a.distance ?? 0) - (b.distance ?? 0) ||
      statusRank(a.fieldlab) - statusRank(b.fieldlab) ||
      b.fieldlab.sourceYear - a.fieldlab.sourceYear ||
      a.fieldlab.name.localeCompare(b.fieldlab.name),
  );
  // Labs in or next to the province first; fill up to the minimum with the nearest others.
  let suggestions = pool.filter((s) => s.distance === null || s.distance <= NATIONAL_DISTANCE).slice(0, limit.max);
  if (suggestions.length < limit.min) {
    const more = pool.filter((s) => !suggestions.includes(s)).slice(0, limit.min - suggestions.length);
    suggestions = [...suggestions, ...more];
  }
  const outsideRegion = hops !== null && suggestions.length > 0 && suggestions.every((s) => (s.distance ?? 0) > 1);
  return { suggestions, outsideRegion, noThemeMatch };
}
