import type { Lang } from '../../knowledge/types';

/**
 * One module per language, all with the same shape (as NLP.js's language packages): adding a
 * language is adding a module and listing it in ./index.ts.
 */
export interface LanguageModule {
  readonly code: Lang;
  /** Words that carry no topic: left out of matching. */
  readonly stopwords: ReadonlySet<string>;
  /** Very common words that mark a text as written in this language (for detection). */
  readonly markers: ReadonlySet<string>;
  /** Reduces an inflected word to a matching key (stemmer plus the language's corrections). */
  stem(word: string): string;
  /** Letters that may join the parts of a compound word (Dutch: onderhoud-s-planning). */
  readonly linkingMorphemes: readonly string[];
}

/** Stemming costs more than a lookup: every word is stemmed once (the cache is bounded). */
export function cachedStemmer(stem: (word: string) => string, max = 100_000): (word: string) => string {
  const cache = new Map<string, string>();
  return (word: string) => {
    let s = cache.get(word);
    if (s === undefined) {
      s = stem(word);
      if (cache.size >= max) cache.clear();
      cache.set(word, s);
    }
    return s;
  };
}
