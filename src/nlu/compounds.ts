/**
 * Dutch compound splitting against the knowledge vocabulary:
 * onderhoudsplanning → onderhoud + planning, cobotprijs → cobot + prijs.
 */
import { LANGUAGES } from './lang';

export class CompoundSplitter {
  private readonly memo = new Map<string, string[] | null>();

  constructor(
    private readonly vocabulary: ReadonlySet<string>,
    private readonly minPart: number,
  ) {}

  private known(part: string): boolean {
    return part.length >= this.minPart && this.vocabulary.has(part);
  }

  /** The parts of a compound, or null when the word does not split into known words. */
  split(word: string): string[] | null {
    if (word.length < this.minPart * 2 + 1 || /\d/.test(word)) return null;
    const cached = this.memo.get(word);
    if (cached !== undefined) return cached;
    let best: string[] | null = null;
    // Prefer the longest known head: "onderhoudsplanning" → "onderhoud" + "planning".
    for (let cut = word.length - this.minPart; cut >= this.minPart; cut--) {
      const head = word.slice(0, cut);
      if (!this.known(head)) continue;
      for (const link of ['', ...LANGUAGES.nl.linkingMorphemes]) {
        if (link && !word.startsWith(link, cut)) continue;
        const tail = word.slice(cut + link.length);
        if (tail.length < this.minPart) continue;
        if (this.known(tail)) {
          best = [head, tail];
          break;
        }
        const rest = tail.length >= this.minPart * 2 ? this.split(tail) : null;
        if (rest) {
          best = [head, ...rest];
          break;
        }
      }
      if (best) break;
    }
    if (this.memo.size > 50_000) this.memo.clear();
    this.memo.set(word, best);
    return best;
  }
}
