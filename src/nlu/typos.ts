/**
 * Typo correction against the vocabulary of the questions, by edit distance (with swapped
 * letters counting as one edit). Candidates are found through a deletion index (as SymSpell
 * does), so a lookup does not scan the vocabulary.
 */

// A module-level copy (see classifier.ts): global lookups are slow inside Jest's vm context.
const { abs, min } = Math;

function deletes1(word: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < word.length; i++) out.push(word.slice(0, i) + word.slice(i + 1));
  return out;
}

/** Optimal string alignment distance, stopping early once it exceeds `max`. */
export function editDistance(a: string, b: string, max: number): number {
  if (abs(a.length - b.length) > max) return max + 1;
  const n = a.length;
  const m = b.length;
  let prev2 = new Array<number>(m + 1).fill(0);
  let prev = Array.from({ length: m + 1 }, (_, j) => j);
  let cur = new Array<number>(m + 1).fill(0);
  for (let i = 1; i <= n; i++) {
    cur[0] = i;
    let rowMin = cur[0];
    for (let j = 1; j <= m; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = min(v, prev2[j - 2]! + 1);
      cur[j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > max) return max + 1;
    [prev2, prev, cur] = [prev, cur, prev2];
  }
  return prev[m]!;
}

/** True when b is a with two neighbouring letters swapped. */
function isSwap(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let i = 0;
  while (i < a.length && a[i] === b[i]) i++;
  return i < a.length - 1 && a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2);
}

export class TypoCorrector {
  private readonly byDeletion = new Map<string, string[]>();

  constructor(
    private readonly frequency: ReadonlyMap<string, number>,
    private readonly minLength: number,
    private readonly twoEditsFrom: number,
  ) {
    for (const word of frequency.keys()) {
      if (word.length < minLength - 1 || /\d/.test(word)) continue;
      for (const d of [word, ...deletes1(word)]) {
        const list = this.byDeletion.get(d);
        if (list) list.push(word);
        else this.byDeletion.set(d, [word]);
      }
    }
  }

  /**
   * The closest known word within the allowed edits, or null. An edit of a short word is as likely
   * another real word ("wall", "spend", "smeren") as a typo, so: under 6 letters only two swapped
   * letters are fixed ("wsbo" → "wbso"), and at 5 letters a missing letter after the first
   * ("sytem" → "system": a longer word is rarely a real word one letter short), at 4 only toward a
   * small word (a target counted 0: "wher" → "where"); at 6 letters also
   * a missing or extra letter ("digtal");
   * from 7 letters any one edit, from `twoEditsFrom` letters two — and the first letter must stay
   * (typos rarely hit it; "ketting" is not "jetting").
   */
  correct(word: string): string | null {
    if (word.length < this.minLength || /\d/.test(word) || this.frequency.has(word)) return null;
    const max = word.length >= this.twoEditsFrom ? 2 : 1;
    const short = word.length < 6;
    const six = word.length === 6;
    const candidates = new Set<string>();
    for (const d of [word, ...deletes1(word)]) for (const c of this.byDeletion.get(d) ?? []) candidates.add(c);
    let best: string | null = null;
    let bestDist = max + 1;
    let bestFreq = -1;
    for (const c of candidates) {
      const oneShort = c.length === word.length + 1 && c[0] === word[0];
      // A missing letter: at 5 letters, or at 4 toward a small word (count 0: "wher", "abot").
      if (short && !isSwap(word, c) && !(oneShort && (word.length === 5 || this.frequency.get(c) === 0))) continue;
      if (six && c.length === word.length && !isSwap(word, c)) continue;
      if (!short && c[0] !== word[0] && !isSwap(word, c)) continue;
      const d = editDistance(word, c, max);
      if (d > max) continue;
      const f = this.frequency.get(c) ?? 0;
      if (d < bestDist || (d === bestDist && f > bestFreq)) {
        best = c;
        bestDist = d;
        bestFreq = f;
      }
    }
    return best;
  }
}
