/**
 * Synonyms and spellings from knowledge/synonyms.yaml: a phrase in a message (or a question) is
 * replaced by one canonical token, so "collaboratieve robots", "cobots" and "cobot" all meet.
 */
import type { SynonymGroup } from '../knowledge/types';
import { normalize, tokenize } from './normalize';
import { PhraseIndex } from './phrases';


/** Canonical tokens start with this character, which tokenizing never produces. */
export const CANONICAL_PREFIX = '§';

export interface SynonymHit {
  readonly from: string;
  readonly to: string;
}

interface Canonical {
  readonly token: string;
  readonly label: string;
}

export class SynonymMatcher {
  private readonly index = new PhraseIndex<Canonical>();
  readonly canonicalLabels = new Map<string, string>();

  /**
   * @param placeholders groups read as one placeholder word with a label of its own (every place
   *   name as "place": a place says where, not what the question is about)
   */
  constructor(groups: readonly SynonymGroup[], placeholders: readonly { label: string; terms: readonly string[] }[] = []) {
    for (const group of groups) {
      const label = normalize(group[0]!);
      const canonical: Canonical = { token: CANONICAL_PREFIX + tokenize(label).join('_'), label };
      this.canonicalLabels.set(canonical.token, label);
      // A short abbreviation matches only itself: through a stemmer "ki" would also catch "kies".
      for (const term of group) this.index.add(term, canonical, /^\S{1,3}$/.test(term.trim()));
    }
    for (const p of placeholders) {
      const canonical: Canonical = { token: `${CANONICAL_PREFIX}${p.label}`, label: p.label };
      this.canonicalLabels.set(canonical.token, p.label);
      for (const term of p.terms) this.index.add(term, canonical, true);
    }
  }

  /** Replaces synonym phrases by canonical tokens; returns the new token list and what it did. */
  apply(tokens: readonly string[]): { tokens: string[]; hits: SynonymHit[] } {
    const { tokens: out, hits } = this.applyWithSpans(tokens);
    return { tokens: out, hits };
  }

  /** As apply(), and for every output token the [from, to) range of input tokens it stands for. */
  applyWithSpans(tokens: readonly string[]): { tokens: string[]; hits: SynonymHit[]; spans: [number, number][] } {
    const out: string[] = [];
    const spans: [number, number][] = [];
    const hits: SynonymHit[] = [];
    let i = 0;
    for (const h of this.index.find(tokens)) {
      for (; i < h.from; i++) {
        out.push(tokens[i]!);
        spans.push([i, i + 1]);
      }
      const from = tokens.slice(h.from, h.to).join(' ');
      out.push(h.value.token);
      spans.push([h.from, h.to]);
      if (from !== h.value.label) hits.push({ from, to: h.value.label });
      i = h.to;
    }
    for (; i < tokens.length; i++) {
      out.push(tokens[i]!);
      spans.push([i, i + 1]);
    }
    return { tokens: out, hits, spans };
  }

  /** Every word used in a synonym phrase (known words, typo targets). */
  words(): Set<string> {
    return this.index.words();
  }
}
