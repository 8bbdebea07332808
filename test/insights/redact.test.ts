import { ibanChecksumOk, redact, redactDeep, redactDetailed, type PersonalDataKind } from '../../src/insights/redact';
import { REDACTED, UNCHANGED } from './redact.cases';

describe('redact', () => {
  for (const [kind, cases] of Object.entries(REDACTED)) {
    it.each(cases)(`replaces ${kind}: %j`, (input, expected) => {
      const r = redactDetailed(input);
      expect(r.text).toBe(expected);
      expect(r.found).toContain(kind as PersonalDataKind);
    });
  }

  it.each(UNCHANGED)('leaves an ordinary question as it is: %j', (question) => {
    expect(redactDetailed(question)).toEqual({ text: question, found: [] });
  });

  it('handles everything at once and leaves the question readable', () => {
    expect(
      redact('Goedemorgen, met Piet Jansen van Jansen Metaal (KvK 12345678). Bel 06-12345678 of mail piet@jansenmetaal.nl. Wat kost een cobot voor 20 medewerkers?'),
    ).toBe('Goedemorgen, met [name] (KvK [kvk]). Bel [phone] of mail [email]. Wat kost een cobot voor 20 medewerkers?');
  });

  it('checks IBANs with the mod-97 checksum', () => {
    expect(ibanChecksumOk('NL91ABNA0417164300')).toBe(true);
    expect(ibanChecksumOk('NL91 ABNA 0417 1643 01')).toBe(false);
    expect(redact('code AB12CDEF34567890XY')).toBe('code AB12CDEF34567890XY');
  });

  it('redacts every string inside a card submission', () => {
    expect(redactDeep({ sia: 'handoff', form: { email: 'a@b.nl', note: 'ik ben Jan', count: 3 }, list: ['06-12345678'] })).toEqual({
      sia: 'handoff',
      form: { email: '[email]', note: 'ik ben [name]', count: 3 },
      list: ['[phone]'],
    });
  });

  it('is fast enough to run on every logged question', () => {
    const text = 'Mijn naam is Jan, bel 06-12345678, KvK 12345678, wat kost een cobot voor 20 medewerkers in 2025? '.repeat(20);
    let out = '';
    for (let i = 0; i < 200; i++) out = redact(text);
    expect(out).not.toMatch(/06-12345678|12345678/);
  });
});
