import enStemmer from 'natural/lib/natural/stemmers/porter_stemmer';
import { words as naturalStopwords } from 'natural/lib/natural/util/stopwords';
import { cachedStemmer, type LanguageModule } from './types';

const EXTRA_STOPWORDS = [
  'i', 'im', 'ive', 'id', 'we', 'us', 'our', 'you', 'your', 'dear',
  'please', 'pls', 'question', 'questions', 'know', 'want', 'wanted', 'need', 'needs', 'tell', 'explain', 'just',
  'really', 'actually', 'maybe', 'something', 'anything', 'thing', 'things', 'kind', 'sort', 'bit', 'lot',
  'lots', 'etc', 'eg', 'ie', 'will', 'shall', 'may', 'going', 'go', 'does', 'doesnt', 'dont', 'isnt', 'arent',
  'cant', 'wont', 'ok', 'okay', 'yes', 'no', 'not', 'am', 'good', 'best', 'better', 'new', 'exactly', 'roughly',
  'about', 'around', 'any', 'every', 'one', 'two', 'three', 'us', 'them', 'there', 'here', 'got', 'getting',
];

/** Common English words that rarely occur in Dutch text. */
const MARKERS = [
  'the', 'a', 'an', 'and', 'of', 'to', 'i', 'we', 'you', 'is', 'are', 'what', 'how', 'which', 'where', 'when',
  'why', 'who', 'for', 'with', 'my', 'our', 'can', 'could', 'should', 'would', 'must', 'want', 'need', 'not',
  'no', 'also', 'but', 'if', 'then', 'that', 'this', 'these', 'there', 'on', 'at', 'from', 'by', 'have', 'has',
  'do', 'does', 'please', 'more', 'much', 'many', 'company', 'cost', 'costs', 'it', 'be', 'get', 'any',
  'some', 'about', 'your', 'their', 'they', 'hi', 'hello', 'thanks', 'thank', 'yes', 'old', 'new',
  'our', 'us', 'me', 'am', 'was', 'will', 'or', 'in', 'into', 'should', 'does', 'which', 'know', 'best',
];

export const english: LanguageModule = {
  code: 'en',
  stopwords: new Set([...naturalStopwords.filter((w) => /\p{L}{2,}|^i$/u.test(w)), ...EXTRA_STOPWORDS]),
  markers: new Set(MARKERS),
  stem: cachedStemmer((word) => (/\d/.test(word) || word.length <= 3 ? word : enStemmer.stem(word))),
  linkingMorphemes: [],
};
