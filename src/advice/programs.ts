/**
 * Which programs fit a company and a project, with the reasons and what is still unknown.
 * Closed programs are never recommended; they are returned apart, so the bot can say so when
 * someone asks for one.
 */
import type { CompanySize, KnowledgeData, Program, ProgramNeed, ProvinceId } from '../knowledge/types';

export interface ProgramProfile {
  readonly size: CompanySize | null;
  readonly need: ProgramNeed | null;
  readonly province: ProvinceId | null;
}

export type Reason =
  | { readonly kind: 'need'; readonly need: ProgramNeed }
  | { readonly kind: 'size'; readonly size: CompanySize }
  | { readonly kind: 'region'; readonly province: ProvinceId }
  | { readonly kind: 'size-unknown'; readonly sizes: readonly CompanySize[] }
  | { readonly kind: 'region-unknown'; readonly provinces: readonly ProvinceId[] };

export interface ProgramFit {
  readonly program: Program;
  readonly reasons: readonly Reason[];
  /** Whether applications are possible on `today`: open (a window or continuous), upcoming, or unknown. */
  readonly openNow: 'open' | 'window-closed' | 'recurring' | 'varies';
  /** The window that contains today, or the next one. */
  readonly window?: { readonly opens: string; readonly closes: string };
}

export interface ProgramAdvice {
  readonly fits: readonly ProgramFit[];
  /** Closed programs that would otherwise fit: to mention as closed, never to recommend. */
  readonly closed: readonly Program[];
}

function openState(p: Program, today: string): Pick<ProgramFit, 'openNow' | 'window'> {
  if (p.status === 'open-continuous') return { openNow: 'open' };
  if (p.status === 'varies') return { openNow: 'varies' };
  const current = p.windows.find((w) => w.opens <= today && today <= w.closes);
  if (current) return { openNow: 'open', window: current };
  const next = p.windows.filter((w) => w.opens > today).sort((a, b) => a.opens.localeCompare(b.opens))[0];
  if (next) return { openNow: 'window-closed', window: next };
  return { openNow: 'recurring' };
}

export function checkPrograms(profile: ProgramProfile, data: Pick<KnowledgeData, 'programs'>, today: Date = new Date()): ProgramAdvice {
  const day = today.toISOString().slice(0, 10);
  const fits: ProgramFit[] = [];
  const closed: Program[] = [];
  for (const p of data.programs) {
    if (profile.need && !p.needs.includes(profile.need)) continue;
    if (profile.size && !p.eligibility.sizes.includes(profile.size)) continue;
    const regional = p.eligibility.provinces ?? [];
    if (profile.province && regional.length && !regional.includes(profile.province)) continue;
    if (p.status === 'closed') {
      closed.push(p);
      continue;
    }
    const reasons: Reason[] = [];
    if (profile.need) reasons.push({ kind: 'need', need: profile.need });
    if (profile.size) reasons.push({ kind: 'size', size: profile.size });
    else if (p.eligibility.sizes.length < 4) reasons.push({ kind: 'size-unknown', sizes: p.eligibility.sizes });
    if (regional.length) {
      if (profile.province) reasons.push({ kind: 'region', province: profile.province });
      else reasons.push({ kind: 'region-unknown', provinces: regional });
    }
    fits.push({ program: p, reasons, ...openState(p, day) });
  }
  // National and broad programs first, then regional ones; within that, the best-sourced first.
  const levelRank = { national: 0, 'national-regional': 1, eu: 2, regional: 3 } as const;
  fits.sort((a, b) => levelRank[a.program.level] - levelRank[b.program.level] || (a.program.confidence === b.program.confidence ? 0 : a.program.confidence === 'high' ? -1 : 1) || a.program.name.en.localeCompare(b.program.name.en));
  return { fits, closed };
}
