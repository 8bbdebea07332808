import { normalize, tokenize } from '../../src/nlu/normalize';
import { detectLanguage, localeLanguage } from '../../src/nlu/language';
import { CompoundSplitter } from '../../src/nlu/compounds';
import { TypoCorrector, editDistance } from '../../src/nlu/typos';
import { SynonymMatcher } from '../../src/nlu/synonyms';
import { Analyzer } from '../../src/nlu/analyzer';
import { recognizeCommand, recognizeTaskCommand } from '../../src/nlu/commands';
import { LANGUAGES } from '../../src/nlu/lang';

describe('normalize', () => {
  it.each([
    ['Wat kost 3D-printen?', 'wat kost 3d-printen?'],
    ['3 D printen', '3d printen'],
    ['Café  Über\u200B', 'cafe uber'],
    ["camera's en PLC's", 'cameras en plcs'],
    ['<b>vet</b> en <script>x</script>', 'vet en x'],
    ['Onze IT-afdeling en de OR', 'onze ict -afdeling en de ondernemingsraad'],
    ['NIS 2 en 5 G', 'nis2 en 5g'],
  ])('%s → %s', (input, output) => {
    expect(normalize(input)).toBe(output);
  });

  it('drops overlong words and bounds the number of tokens', () => {
    expect(tokenize(normalize(`kort ${'x'.repeat(5000)} woord`))).toEqual(['kort', 'woord']);
    expect(tokenize('a '.repeat(10_000)).length).toBeLessThanOrEqual(160);
  });
});

describe('language', () => {
  it.each([
    ['Hoe begin ik met predictive maintenance?', undefined, 'nl', 'text'],
    ['predictive maintenance voor onze persen', 'en-US', 'nl', 'text'],
    ['How do I start with predictive maintenance?', 'nl-NL', 'en', 'text'],
    ['wbso', 'en-GB', 'en', 'locale'],
    ['wbso', 'nl-BE', 'nl', 'locale'],
    ['wbso', undefined, 'nl', 'default'],
  ])('"%s" with locale %s → %s (by %s)', (text, locale, lang, by) => {
    const g = detectLanguage(tokenize(normalize(text)), locale);
    expect(g.lang).toBe(lang);
    expect(g.by).toBe(by);
  });

  it('reads nl* as Dutch and en* as English, anything else as unknown', () => {
    expect(localeLanguage('nl-NL')).toBe('nl');
    expect(localeLanguage('EN-us')).toBe('en');
    expect(localeLanguage('de-DE')).toBeNull();
    expect(localeLanguage(undefined)).toBeNull();
  });
});

describe('Dutch stemming (compensated)', () => {
  it.each([
    ['machines', 'machine'],
    ['subsidies', 'subsidie'],
    ['robots', 'robot'],
    ['sensoren', 'sensor'],
    ['investeringen', 'investering'],
  ])('%s and %s meet on one key', (a, b) => {
    expect(LANGUAGES.nl.stem(a)).toBe(LANGUAGES.nl.stem(b));
  });
});

describe('compounds', () => {
  const splitter = new CompoundSplitter(new Set(['onderhoud', 'planning', 'robot', 'veiligheid', 'productie', 'data', 'cobot', 'prijs']), 3);
  it.each([
    ['onderhoudsplanning', ['onderhoud', 'planning']],
    ['robotveiligheid', ['robot', 'veiligheid']],
    ['productiedata', ['productie', 'data']],
    ['cobotprijs', ['cobot', 'prijs']],
  ])('%s → %j', (word, parts) => {
    expect(splitter.split(word)).toEqual(parts);
  });
  it('leaves words that do not split alone', () => {
    expect(splitter.split('fabriekshal')).toBeNull();
    expect(splitter.split('data')).toBeNull();
  });
});

describe('typos', () => {
  const corrector = new TypoCorrector(new Map([['maintenance', 3], ['predictive', 2], ['onderhoud', 5], ['cobot', 4], ['wbso', 1], ['data', 9]]), 4, 8);
  it.each([
    ['maintenace', 'maintenance'],
    ['predictve', 'predictive'],
    ['ondrehoud', 'onderhoud'],
    ['cobto', 'cobot'],
    ['wsbo', 'wbso'],
  ])('%s → %s', (typo, word) => {
    expect(corrector.correct(typo)).toBe(word);
  });
  it('restores a missing letter of a 5-letter word, not of a shorter one', () => {
    const c = new TypoCorrector(new Map([['system', 1], ['cobot', 1]]), 4, 9);
    expect(c.correct('sytem')).toBe('system');
    expect(c.correct('cobt')).toBeNull();
  });
  it('restores a missing letter of a 4-letter word only toward a small word (a target counted 0)', () => {
    const c = new TypoCorrector(new Map([['where', 0], ['about', 0], ['cobot', 1]]), 4, 9);
    expect(c.correct('wher')).toBe('where');
    expect(c.correct('abot')).toBe('about');
    expect(c.correct('cobt')).toBeNull();
  });
  it('does not turn other short words into known ones', () => {
    expect(corrector.correct('auto')).toBeNull();
    expect(corrector.correct('xyz')).toBeNull();
  });
  it('computes the edit distance with swaps as one edit', () => {
    expect(editDistance('abcd', 'abdc', 2)).toBe(1);
    expect(editDistance('kitten', 'sitting', 5)).toBe(3);
  });
});

describe('analyzer', () => {
  const synonyms = new SynonymMatcher([['ransomware', 'gijzelsoftware'], ['rom', 'ontwikkelingsmaatschappij'], ['robot']]);
  const words = new Set(['software', 'ontwikkelings', 'maatschappij', 'doei', 'bedankt', 'robot', 'arm', 'robotarm', 'gijzelsoftware', 'ontwikkelingsmaatschappij', 'oud', 'duur']);
  const analyzer = new Analyzer(synonyms, { words, dutchOnly: new Set(), typoTargets: new Map([...words].map((w) => [w, 1])) });
  const keys = (text: string) => analyzer.analyzeMessage(text).terms.map((t) => t.keys[0]);
  it('joins a compound written apart into its one-word synonym term', () => {
    expect(keys('gijzel software voorkomen')).toContain('§ransomware');
    expect(keys('de ontwikkelings maatschappij')).toEqual(['§rom']);
  });
  it('keeps words apart when their join is no synonym term', () => {
    expect(keys('robot arm')).toEqual(['§robot', 'arm']);
  });
  it('reads a word stretched for emphasis as the word', () => {
    expect(keys('doeiii')).toEqual(['doei']);
    expect(keys('bedanktt')).toEqual(['bedankt']);
  });
  it('reads a word with an intensifier in front as the word', () => {
    expect(keys('stokoud')).toEqual(['oud']);
    expect(keys('superduur')).toEqual(['duur']);
  });
});

describe('synonyms', () => {
  const m = new SynonymMatcher([['cobot', 'collaboratieve robot', 'collaborative robot'], ['roi', 'return on investment']]);
  it('replaces phrases (also inflected) with the canonical token', () => {
    expect(m.apply(['twee', 'collaboratieve', 'robots', 'kopen']).tokens).toEqual(['twee', '§cobot', 'kopen']);
    expect(m.apply(['the', 'return', 'on', 'investment']).tokens).toEqual(['the', '§roi']);
  });
});

describe('task commands (the Teams command menu)', () => {
  it.each([
    ['fieldlab', 'find-fieldlab'],
    ['subsidie', 'check-programs'],
    ['program', 'check-programs'],
    ['quick scan', 'quick-scan'],
    ['fieldlab?', null],
    ['wat is een fieldlab', null],
  ])('%s → %s', (text, task) => {
    expect(recognizeTaskCommand(text)).toBe(task);
  });
});

describe('commands', () => {
  it.each([
    ['help', 'help'],
    ['Menu', 'menu'],
    ['annuleer', 'cancel'],
    ['start over', 'restart'],
    ['help me met NIS2', null],
  ])('%s → %s', (text, command) => {
    expect(recognizeCommand(text)).toBe(command);
  });
});
