/** The pure domain logic: distances, fieldlab ranking, program eligibility, quick-scan scoring. */
import { hopsFrom, contactsFor } from '../../src/advice/regions';
import { suggestFieldlabs } from '../../src/advice/fieldlabs';
import { checkPrograms } from '../../src/advice/programs';
import { scoreScan, scanStatements } from '../../src/advice/quickscan';
import { loadKnowledge } from '../../src/knowledge/loader';
import type { Fieldlab, KnowledgeData, Program, ProvinceId } from '../../src/knowledge/types';
import { KNOWLEDGE } from '../support/testConfig';

const data = loadKnowledge(KNOWLEDGE).data!;

describe('regions', () => {
  it.each([
    ['utrecht', 'utrecht', 0],
    ['utrecht', 'gelderland', 1],
    ['zeeland', 'noord-brabant', 1],
    ['zeeland', 'limburg', 2],
    ['groningen', 'limburg', 4],
  ] as const)('from %s to %s is %i hops', (from, to, hops) => {
    expect(hopsFrom(from, data.provinces).get(to)).toBe(hops);
  });

  it('names the regional development agency and the EDIH of every province', () => {
    for (const p of data.provinces) {
      const c = contactsFor(p.id, data);
      expect(c.rom?.kind).toBe('rom');
      expect(c.edih?.kind).toBe('edih');
    }
  });
});

function lab(id: string, province: ProvinceId | null, themes: string[], extra: Partial<Fieldlab> = {}): Fieldlab {
  return {
    id, name: id, aliases: [], city: null, province, scope: province ? 'regional' : 'national', themes,
    description: { nl: id, en: id }, website: null, status: 'confirmed', sourceYear: 2022, confidence: 'high',
    sources: ['https://example.org'], reviewed: '2026-11-29', at: { file: 'x', line: 1 }, ...extra,
  };
}

describe('fieldlab suggestions', () => {
  const labs = [
    lab('utrecht-robots', 'utrecht', ['robotics']),
    lab('gelderland-robots', 'gelderland', ['robotics']),
    lab('limburg-robots', 'limburg', ['robotics']),
    lab('national-robots', null, ['robotics']),
    lab('utrecht-3d', 'utrecht', ['additive-manufacturing']),
    lab('utrecht-robots-unconfirmed', 'utrecht', ['robotics'], { status: 'not_confirmed' }),
  ];
  const small = { fieldlabs: labs, provinces: data.provinces } as Pick<KnowledgeData, 'fieldlabs' | 'provinces'>;

  it.each([
    [{ themes: ['robotics'], province: 'utrecht' as ProvinceId }, ['utrecht-robots', 'utrecht-robots-unconfirmed', 'gelderland-robots', 'national-robots']],
    [{ themes: ['additive-manufacturing'], province: 'limburg' as ProvinceId }, ['utrecht-3d']],
    [{ themes: ['robotics'], province: null }, ['gelderland-robots', 'limburg-robots', 'national-robots', 'utrecht-robots', 'utrecht-robots-unconfirmed']],
  ])('ranks by theme fit, then distance, confirmed first: %j', (request, expected) => {
    expect(suggestFieldlabs(request, small).suggestions.map((s) => s.fieldlab.id).slice(0, expected.length)).toEqual(expected);
  });

  it('says when nothing is in or next to the region, and when no lab has the theme', () => {
    const far = suggestFieldlabs({ themes: ['additive-manufacturing'], province: 'limburg' }, small);
    expect(far.outsideRegion).toBe(true);
    const none = suggestFieldlabs({ themes: ['cybersecurity'], province: 'utrecht' }, small);
    expect(none.noThemeMatch).toBe(true);
    expect(none.suggestions.length).toBeGreaterThanOrEqual(3);
  });

  it('suggests three to five labs from the shipped records for every province and choice theme', () => {
    for (const p of data.provinces) {
      for (const t of data.themes.filter((x) => x.choice)) {
        const n = suggestFieldlabs({ themes: [t.id], province: p.id }, data).suggestions.length;
        expect(n).toBeGreaterThanOrEqual(1);
        expect(n).toBeLessThanOrEqual(5);
      }
    }
  });
});

describe('program check', () => {
  const today = new Date('2026-11-29');
  const ids = (advice: ReturnType<typeof checkPrograms>) => advice.fits.map((f) => f.program.id);

  it.each([
    [{ size: 'small', need: 'training', province: 'overijssel' }, ['slim'], []],
    [{ size: 'large', need: 'feasibility', province: 'utrecht' }, [], ['mit-haalbaarheid']],
    [{ size: 'medium', need: 'rd', province: 'zuid-holland' }, ['wbso'], []],
    [{ size: 'small', need: 'energy', province: 'drenthe' }, ['eia'], []],
  ] as const)('%j fits %j and not %j', (profile, include, exclude) => {
    const got = ids(checkPrograms(profile, data, today));
    for (const id of include) expect(got).toContain(id);
    for (const id of exclude) expect(got).not.toContain(id);
  });

  it('never recommends a closed program, but returns it apart', () => {
    const advice = checkPrograms({ size: 'medium', need: null, province: null }, data, today);
    expect(advice.fits.every((f) => f.program.status !== 'closed')).toBe(true);
    expect(advice.closed.map((p) => p.id)).toContain('smart-industry-fieldlabs-regeling');
  });

  it('keeps a regional program to its provinces and says which when the place is unknown', () => {
    expect(ids(checkPrograms({ size: 'small', need: 'feasibility', province: 'utrecht' }, data, today))).not.toContain('mit-zuid');
    expect(ids(checkPrograms({ size: 'small', need: 'feasibility', province: 'limburg' }, data, today))).toContain('mit-zuid');
    const unknown = checkPrograms({ size: 'small', need: 'feasibility', province: null }, data, today).fits.find((f) => f.program.id === 'mit-zuid')!;
    expect(unknown.reasons).toContainEqual({ kind: 'region-unknown', provinces: ['noord-brabant', 'limburg', 'zeeland'] });
  });

  it('tells whether a program with windows is open today', () => {
    const p: Program = { ...data.programs.find((x) => x.id === 'mit-haalbaarheid')!, windows: [{ opens: '2026-04-08', closes: '2026-12-31' }, { opens: '2027-04-06', closes: '2027-09-01' }] };
    const small = { programs: [p] };
    expect(checkPrograms({ size: 'small', need: 'feasibility', province: null }, small, new Date('2026-11-29')).fits[0]).toMatchObject({ openNow: 'open', window: { closes: '2026-12-31' } });
    expect(checkPrograms({ size: 'small', need: 'feasibility', province: null }, small, new Date('2027-01-15')).fits[0]).toMatchObject({ openNow: 'window-closed', window: { opens: '2027-04-06' } });
  });
});

describe('quick scan', () => {
  const scan = data.quickScan;

  it('averages per dimension, names the two weakest (ties: the one asked first) and three steps from them', () => {
    const n = scanStatements(scan).length;
    expect(n).toBeGreaterThanOrEqual(6);
    expect(n).toBeLessThanOrEqual(10);
    const answers = [5, 5, 1, 2, 3, 3, 4, 4, 1, 2];
    const r = scoreScan(scan, answers, new Date('2026-11-29T12:00:00Z'));
    expect(r.scores.map((s) => s.score)).toEqual([5, 1.5, 3, 4, 1.5]);
    expect(r.weakest).toEqual(['processes-data', 'cybersecurity']);
    expect(r.steps).toHaveLength(3);
    expect(r.steps[0]!.entry).toBe('production-data-collect');
    expect(r.steps[2]!.entry).toBe('ot-security-basics');
  });

  it('refuses an answer outside 1-5 or a missing answer', () => {
    expect(() => scoreScan(scan, [1, 2, 3])).toThrow(/expected 10 answers/);
    expect(() => scoreScan(scan, [6, 1, 1, 1, 1, 1, 1, 1, 1, 1])).toThrow(/1 to 5/);
  });
});
