/**
 * Synonyms and spellings from knowledge/synonyms.yaml: a phrase in a message (or a question) is
 * replaced by one canonical token, so "collaboratieve robots", "cobots" and "cobot" all meet.
 * Phrases match on the word itself or its Dutch or English stem, so inflections match too.
 */
import type { SynonymGroup } from '../knowledge/types';
import { LANGUAGES } from './lang';
import { normalize, tokenize } from './normalize';

/** Canonical tokens start with this character, which tokenizing never produces. */
export const CANONICAL_PREFIX = '§';

export function wordKeys(word: string): string[] {
  const nl = LANGUAGES.nl.stem(word);
  const en = LANGUAGES.en.stem(word);
  const keys = [word];
  if (nl !== word) keys.push(nl);
  if (en !== word && en !== nl) keys.push(en);
  return keys;
}

interface Phrase {
  readonly words: readonly string[];
  readonly canonical: string;
  readonly label: string;
}

export interface SynonymHit {
  readonly from: string;
  readonly to: string;
}

export class SynonymMatcher {
  private readonly byFirstKey = new Map<string, Phrase[]>();
  readonly canonicalLabels = new Map<string, string>();

  constructor(groups: readonly SynonymGroup[]) {
    for (const group of groups) {
      const label = normalize(group[0]!);
      const canonical = CANONICAL_PREFIX + tokenize(label).join('_');
      this.canonicalLabels.set(canonical, label);
      for (const term of group) {
        const words = tokenize(normalize(term));
        if (!words.length) continue;
        const phrase = { words, canonical, label };
        for (const k of wordKeys(words[0]!)) {
          const list = this.byFirstKey.get(k) ?? [];
          if (!list.some((p) => p.words.join(' ') === words.join(' '))) list.push(phrase);
          this.byFirstKey.set(k, list);
        }
      }
    }
    for (const list of this.byFirstKey.values()) list.sort((a, b) => b.words.length - a.words.length);
  }

  /** Replaces synonym phrases by canonical tokens; returns the new token list and what it did. */
  apply(tokens: readonly string[]): { tokens: string[]; hits: SynonymHit[] } {
    const out: string[] = [];
    const hits: SynonymHit[] = [];
    const keysAt: (string[] | undefined)[] = [];
    const keys = (i: number) => (keysAt[i] ??= wordKeys(tokens[i]!));
    for (let i = 0; i < tokens.length; ) {
      let matched: Phrase | null = null;
      const seen = new Set<Phrase>();
      for (const k of keys(i)) {
        for (const p of this.byFirstKey.get(k) ?? []) {
          if (seen.has(p) || (matched && matched.words.length >= p.words.length)) continue;
          seen.add(p);
          if (i + p.words.length > tokens.length) continue;
          let ok = true;
          for (let j = 1; j < p.words.length && ok; j++) {
            const want = wordKeys(p.words[j]!);
            ok = keys(i + j).some((k2) => want.includes(k2));
          }
          if (ok) matched = p;
        }
      }
      if (matched) {
        const from = tokens.slice(i, i + matched.words.length).join(' ');
        out.push(matched.canonical);
        if (from !== matched.label) hits.push({ from, to: matched.label });
        i += matched.words.length;
      } else {
        out.push(tokens[i]!);
        i++;
      }
    }
    return { tokens: out, hits };
  }
}
