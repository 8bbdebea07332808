import { loadKnowledge } from '../../src/knowledge/loader';
import { EntityRecognizer, sizeOf } from '../../src/nlu/entities';
import { KNOWLEDGE } from '../support/testConfig';

const recognizer = new EntityRecognizer(loadKnowledge(KNOWLEDGE).data!);

describe('entities', () => {
  it.each([
    ['Welke fieldlabs zijn er in Twente?', 'overijssel'],
    ['in de buurt van Eindhoven', 'noord-brabant'],
    ['we zitten in Eindhovn', 'noord-brabant'],
    ['fieldlab bij Tiburg', 'noord-brabant'],
    ['in Saland', 'overijssel'],
    ['bedrijf in de Achterhoek', 'gelderland'],
    ['Den Bosch', 'noord-brabant'],
    ["'s-Hertogenbosch", 'noord-brabant'],
    ['Fryslân', 'friesland'],
    ['South Holland', 'zuid-holland'],
    ['postcode 3011 AB', 'zuid-holland'],
    ['ik zit in Best', 'noord-brabant'],
  ])('"%s" is in %s', (text, province) => {
    expect(recognizer.recognize(text).province).toBe(province);
  });

  it.each(['dat is best duur', 'het gaat echt goed', 'in 2024 kochten we een robot', 'we hebben 1000 euro', 'in paper', 'nord-holland noord'])('"%s" names no place', (text) => {
    expect(recognizer.recognize(text).province).toBeNull();
  });

  it('knows "near" and the company size', () => {
    const e = recognizer.recognize('wij zijn een bedrijf met 35 man in de buurt van Utrecht');
    expect(e.near).toBe(true);
    expect(e.size).toEqual({ size: 'small', employees: 35 });
    expect(recognizer.recognize('a 250-person plant').size?.size).toBe('large');
    expect([sizeOf(9), sizeOf(10), sizeOf(49), sizeOf(50), sizeOf(249), sizeOf(250)]).toEqual(['micro', 'small', 'small', 'medium', 'medium', 'large']);
  });

  it('finds themes, kinds of project, programs, organisations and fieldlabs by their names and abbreviations', () => {
    expect(recognizer.recognize('fieldlab voor robotica').themes).toContain('robotics');
    expect(recognizer.recognize('subsidie voor het opleiden van personeel').needs).toContain('training');
    expect(recognizer.recognize('hoe werkt de WBSO').programs).toEqual(['wbso']);
    expect(recognizer.recognize('MIT haalbaarheid hoeveel?').programs).toEqual(['mit-haalbaarheid']);
    expect(recognizer.recognize('wat doet InnovationQuarter').organisations).toEqual(['innovationquarter']);
    expect(recognizer.recognize('waar zit RAMLAB').fieldlabs).toEqual(['fl-ramlab']);
  });

  it('takes a name that is also a common word only in capitals, not in a word that stems to it', () => {
    expect(recognizer.recognize('kan de BOM investeren in ons bedrijf').organisations).toEqual(['bom']);
    expect(recognizer.recognize('ik zie door de bomen het bos niet meer').organisations).toEqual([]);
    expect(recognizer.recognize('de SLIM-regeling voor scholing').programs).toEqual(['slim']);
    expect(recognizer.recognize('is een slimme deurbel veilig').programs).toEqual([]);
  });
});
