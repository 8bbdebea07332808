/** Distances between provinces (hops over shared borders) and the people to call in each. */
import type { KnowledgeData, Organisation, ProvinceId } from '../knowledge/types';

/** Hops from one province to every other (0 = the same, 1 = a neighbour, …), by breadth-first search. */
export function hopsFrom(from: ProvinceId, provinces: KnowledgeData['provinces']): Map<ProvinceId, number> {
  const hops = new Map<ProvinceId, number>([[from, 0]]);
  const queue: ProvinceId[] = [from];
  while (queue.length) {
    const current = queue.shift()!;
    const here = provinces.find((p) => p.id === current);
    for (const n of here?.adjacent ?? []) {
      if (!hops.has(n)) {
        hops.set(n, hops.get(current)! + 1);
        queue.push(n);
      }
    }
  }
  return hops;
}

export interface RegionalContacts {
  readonly province: ProvinceId;
  /** The regional development agency. */
  readonly rom: Organisation | null;
  /** The European Digital Innovation Hub. */
  readonly edih: Organisation | null;
}

export function contactsFor(province: ProvinceId, data: Pick<KnowledgeData, 'provinces' | 'organisations'>): RegionalContacts {
  const p = data.provinces.find((x) => x.id === province);
  const org = (id: string | undefined) => data.organisations.find((o) => o.id === id && o.kind !== 'historical') ?? null;
  return { province, rom: org(p?.rom), edih: org(p?.edih) };
}
