/**
 * Finding known phrases (synonyms, place names, program names…) in a token sequence. A phrase
 * matches a run of tokens word by word, on the word itself or its Dutch or English stem, so
 * inflections match too; the longest phrase wins where phrases overlap.
 */
import { LANGUAGES } from './lang';
import { normalize, tokenize } from './normalize';

const keyCache = new Map<string, readonly string[]>();

/** The word and its stems in either language: the keys two words may meet on. */
export function wordKeys(word: string): readonly string[] {
  let keys = keyCache.get(word);
  if (!keys) {
    const nl = LANGUAGES.nl.stem(word);
    const en = LANGUAGES.en.stem(word);
    const k = [word];
    if (nl !== word) k.push(nl);
    if (en !== word && en !== nl) k.push(en);
    keys = k;
    if (keyCache.size >= 100_000) keyCache.clear();
    keyCache.set(word, keys);
  }
  return keys;
}

export interface PhraseHit<V> {
  readonly value: V;
  /** Token range [from, to) in the input. */
  readonly from: number;
  readonly to: number;
}

interface Phrase<V> {
  readonly words: readonly string[];
  readonly value: V;
}

export class PhraseIndex<V> {
  private readonly byFirstKey = new Map<string, Phrase<V>[]>();

  /** Adds a phrase (any text; it is normalized and tokenized). Exact words only when `exact`. */
  add(text: string, value: V, exact = false): void {
    const words = tokenize(normalize(text));
    if (!words.length) return;
    const phrase = { words, value };
    for (const k of exact ? [words[0]!] : wordKeys(words[0]!)) {
      const list = this.byFirstKey.get(k) ?? [];
      if (!list.some((p) => p.value === value && p.words.join(' ') === words.join(' '))) {
        list.push(phrase);
        list.sort((a, b) => b.words.length - a.words.length);
      }
      this.byFirstKey.set(k, list);
    }
  }

  /** Every word used in a phrase. */
  words(): Set<string> {
    const out = new Set<string>();
    for (const list of this.byFirstKey.values()) for (const p of list) for (const w of p.words) out.add(w);
    return out;
  }

  /** Non-overlapping hits, left to right, the longest phrase at each position. */
  find(tokens: readonly string[]): PhraseHit<V>[] {
    const hits: PhraseHit<V>[] = [];
    const keysAt: (readonly string[] | undefined)[] = [];
    const keys = (i: number) => (keysAt[i] ??= wordKeys(tokens[i]!));
    for (let i = 0; i < tokens.length; ) {
      const found = this.longestAt(tokens, i, keys);
      if (found) {
        hits.push({ value: found.value, from: i, to: i + found.words.length });
        i += found.words.length;
      } else i++;
    }
    return hits;
  }

  private longestAt(tokens: readonly string[], i: number, keys: (i: number) => readonly string[]): Phrase<V> | null {
    let matched: Phrase<V> | null = null;
    for (const k of keys(i)) {
      for (const p of this.byFirstKey.get(k) ?? []) {
        if (matched && matched.words.length >= p.words.length) continue;
        if (i + p.words.length > tokens.length) continue;
        let ok = true;
        for (let j = 1; j < p.words.length && ok; j++) {
          const want = wordKeys(p.words[j]!);
          ok = keys(i + j).some((k2) => want.includes(k2));
        }
        if (ok) matched = p;
      }
    }
    return matched;
  }
}
