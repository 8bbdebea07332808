import nlStemmer from 'natural/lib/natural/stemmers/porter_stemmer_nl';
import { words as naturalStopwords } from 'natural/lib/natural/util/stopwords_nl';
import { cachedStemmer, type LanguageModule } from './types';

const EXTRA_STOPWORDS = [
  'wij', 'we', 'jij', 'jullie', 'onze', 'ons', 'jouw', 'je', 'mijn', 'hun', 'welke', 'welk', 'waar', 'wanneer',
  'waarom', 'hoeveel', 'hoe', 'wat', 'wie', 'graag', 'even', 'eigenlijk', 'gewoon', 'heel', 'erg', 'zeer',
  'iets', 'ergens', 'beetje', 'misschien', 'best', 'soms', 'vaak', 'echt', 'wel', 'nou', 'hoor', 'hè', 'he',
  'beste', 'alvast', 'vraag', 'vraagje', 'vragen',
  'weet', 'weten', 'zou', 'zouden', 'kunt', 'kun', 'kunnen', 'mag', 'mogen', 'moeten', 'moet', 'willen', 'wil',
  'wilt', 'gaan', 'gaat', 'ga', 'doe', 'doet', 'doen', 'heb', 'hebt', 'hebben', 'heeft', 'had', 'krijg',
  'zit', 'zitten', 'staat', 'staan', 'komt', 'komen', 'kom', 'zegt', 'zeggen', 'daar', 'hier', 'er', 'ermee',
  'daarmee', 'daarvoor', 'waarvoor', 'waarmee', 'hierover', 'daarover', 'erover', 'eens', 'nu', 'nog', 'al',
  'allemaal', 'elke', 'elk', 'ieder', 'iedere', 'andere', 'ander', 'sommige', 'alle', 'paar', 'enkele', 'één',
  'twee', 'drie', 'dus', 'want', 'omdat', 'terwijl', 'zodat', 'bijvoorbeeld', 'bv', 'bijv', 'enz', 'etc',
  'eigen', 'soort', 'zo', 'zoals', 'via', 'per', 'tussen', 'binnen', 'buiten', 'onder', 'boven', 'tijdens',
  'sinds', 'zonder', 'tegen', 'rond', 'rondom', 'sprake', 'manier', 'precies', 'ongeveer', 'ok', 'oke',
  'ja', 'nee', 'svp', 'aub', 'alsjeblieft', 'alstublieft', 'kan', 'kon', 'ben', 'bent', 'is', 'zijn',
  'was', 'waren', 'word', 'wordt', 'worden', 'werd', 'geworden', 'ik', 'u', 'uw', 'me', 'mij', 'zelf', 'meer',
  'minder', 'veel', 'weinig', 'goed', 'goede', 'beter', 'nieuw', 'nieuwe', 'precies', 'zeker', 'ooit',
];

/** Common Dutch words that rarely occur in English text. */
const MARKERS = [
  'de', 'het', 'een', 'en', 'van', 'ik', 'wij', 'we', 'je', 'jij', 'u', 'uw', 'is', 'zijn', 'wat', 'hoe', 'welke',
  'waar', 'wanneer', 'waarom', 'hoeveel', 'wie', 'voor', 'met', 'mijn', 'onze', 'ons', 'kan', 'kun', 'kunnen',
  'moet', 'moeten', 'wil', 'willen', 'niet', 'geen', 'ook', 'maar', 'als', 'dan', 'dat', 'die', 'dit', 'deze',
  'er', 'om', 'op', 'aan', 'uit', 'door', 'naar', 'bij', 'heb', 'hebben', 'heeft', 'zou', 'graag', 'nog', 'al',
  'wel', 'veel', 'meer', 'kost', 'kosten', 'bedrijf', 'hulp', 'helpen', 'waarmee', 'iets', 'zo', 'te', 'of',
  'mag', 'wordt', 'worden', 'gaat', 'doen', 'krijg', 'krijgen', 'nodig', 'goed', 'beste', 'hoi', 'hallo', 'dank',
  'bedankt', 'alsjeblieft', 'jullie', 'onder', 'tussen', 'ja', 'nee', 'weet', 'zit', 'zitten', 'begin', 'beginnen',
  'starten', 'welk', 'eigen', 'oude', 'nieuwe', 'wij', 'hier', 'daar', 'over', 'mee', 'zelf', 'elke',
];

/**
 * natural's Dutch Porter stemmer is lossy: it leaves plural -s alone (machines ≠ machine) and
 * treats -ies / 's differently from the singular. Undo those first, so that singular and plural
 * meet on one key.
 */
function deplural(w: string): string {
  if (w.length <= 4) return w;
  if (w.endsWith('ies')) return w.slice(0, -1); // subsidies → subsidie, technologies
    if (/[aeiouy]s$/.test(w) && !/(us|is|os|as|ees)$/.test(w)) return w.slice(0, -1); // machines, camera's→cameras
  if (/[^s]s$/.test(w) && /(er|el|em|en|ie|or|ar|ot|et|ol)s$/.test(w)) return w.slice(0, -1); // sensors, robots, computers
  return w;
}

export const dutch: LanguageModule = {
  code: 'nl',
  stopwords: new Set([...naturalStopwords.filter((w) => /\p{L}{2,}/u.test(w)), ...EXTRA_STOPWORDS]),
  markers: new Set(MARKERS),
  stem: cachedStemmer((word) => (/\d/.test(word) || word.length <= 3 ? word : nlStemmer.stem(deplural(word)))),
  linkingMorphemes: ['s', 'e', 'en', 'n', 'er'],
};
