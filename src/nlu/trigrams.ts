/**
 * Character-trigram similarity (Dice) between a message and the knowledge's questions: it
 * forgives what the word index cannot see (a typo the corrector left, another word form). Every
 * trigram of the questions gets a small id, kept two ways in compressed rows: per question its
 * ids, and per id the questions that hold it (ascending). The best similarity among many
 * questions (all of an entry's: a range of question numbers) walks the message's trigrams'
 * question lists; among a few, it counts the questions' trigrams that the message holds —
 * whichever touches fewer numbers.
 */

/** The distinct trigrams (as 32-bit hashes) of words, each padded with a space on both sides. */
export function trigramsOf(words: readonly string[]): Uint32Array {
  const set = new Set<number>();
  for (const w of words) {
    const s = ` ${w} `;
    for (let i = 0; i + 3 <= s.length; i++) {
      set.add(((s.charCodeAt(i) * 65599 + s.charCodeAt(i + 1)) * 65599 + s.charCodeAt(i + 2)) >>> 0);
    }
  }
  return Uint32Array.from(set);
}

/** A message's trigrams: the ids of those the questions hold, and how many it has in all. */
export interface MessageTrigrams {
  readonly ids: Int32Array;
  readonly size: number;
}

export class TrigramIndex {
  private readonly ids = new Map<number, number>();
  /** Per question, its trigram ids (until `build`). */
  private pending: Int32Array[] = [];
  /** The questions of trigram id t are postings[start[t]] … postings[start[t + 1] - 1], ascending. */
  private start = new Int32Array(1);
  private postings = new Int32Array(0);
  /** The trigram ids of question q are questionIds[questionStart[q]] … questionIds[questionStart[q + 1] - 1]. */
  private questionStart = new Int32Array(1);
  private questionIds = new Int32Array(0);
  /** The message whose trigram ids are marked in `idMark` (with `idPass`). */
  private marked: MessageTrigrams | null = null;
  private idMark = new Int32Array(0);
  private idPass = 0;
  /** Scratch for one search: per question the trigrams in common, valid where mark is the pass. */
  private common = new Int32Array(0);
  private mark = new Int32Array(0);
  private pass = 0;

  /** Adds the next question (questions are numbered 0, 1, … in the order they are added). */
  add(words: readonly string[]): void {
    const hashes = trigramsOf(words);
    const ids = new Int32Array(hashes.length);
    hashes.forEach((h, i) => {
      let id = this.ids.get(h);
      if (id === undefined) this.ids.set(h, (id = this.ids.size));
      ids[i] = id;
    });
    this.pending.push(ids);
  }

  /** Builds the postings, once every question is added. */
  build(): void {
    const n = this.pending.length;
    const start = new Int32Array(this.ids.size + 1);
    for (const ids of this.pending) for (const id of ids) start[id + 1]!++;
    for (let t = 1; t < start.length; t++) start[t]! += start[t - 1]!;
    const next = start.slice(0, this.ids.size);
    const postings = new Int32Array(start[this.ids.size]!);
    this.pending.forEach((ids, q) => {
      for (const id of ids) postings[next[id]!++] = q;
    });
    this.start = start;
    this.postings = postings;
    this.questionStart = new Int32Array(n + 1);
    this.pending.forEach((ids, q) => (this.questionStart[q + 1] = this.questionStart[q]! + ids.length));
    this.questionIds = new Int32Array(this.questionStart[n]!);
    this.pending.forEach((ids, q) => this.questionIds.set(ids, this.questionStart[q]!));
    this.idMark = new Int32Array(this.ids.size);
    this.common = new Int32Array(n);
    this.mark = new Int32Array(n);
    this.pending = [];
  }

  message(words: readonly string[]): MessageTrigrams {
    const hashes = trigramsOf(words);
    const ids: number[] = [];
    for (const h of hashes) {
      const id = this.ids.get(h);
      if (id !== undefined) ids.push(id);
    }
    return { ids: Int32Array.from(ids), size: hashes.length };
  }

  /** The highest Dice similarity of the message with any question numbered from … to - 1. */
  best(message: MessageTrigrams, from: number, to: number): number {
    if (!message.size || from >= to) return 0;
    // A binary search and a short walk per message trigram, against one lookup per question trigram.
    const questionTrigrams = this.questionStart[to]! - this.questionStart[from]!;
    return questionTrigrams <= 8 * message.ids.length ? this.byQuestions(message, from, to) : this.byPostings(message, from, to);
  }

  /** The question most like the message (highest Dice over all questions), or null when none shares a trigram. */
  closest(message: MessageTrigrams): { q: number; dice: number } | null {
    const n = this.questionStart.length - 1;
    if (!message.size || !n) return null;
    this.byPostings(message, 0, n);
    let best: { q: number; dice: number } | null = null;
    for (let q = 0; q < n; q++) {
      if (this.mark[q] !== this.pass) continue;
      const dice = this.dice(message, q, this.common[q]!);
      if (!best || dice > best.dice) best = { q, dice };
    }
    return best;
  }

  private dice(message: MessageTrigrams, q: number, common: number): number {
    return (2 * common) / (message.size + this.questionStart[q + 1]! - this.questionStart[q]!);
  }

  private byQuestions(message: MessageTrigrams, from: number, to: number): number {
    if (this.marked !== message) {
      if (this.idPass >= 2 ** 30) {
        this.idMark.fill(0);
        this.idPass = 0;
      }
      const pass = ++this.idPass;
      for (const id of message.ids) this.idMark[id] = pass;
      this.marked = message;
    }
    const { questionStart, questionIds, idMark, idPass } = this;
    let best = 0;
    for (let q = from; q < to; q++) {
      let common = 0;
      for (let i = questionStart[q]!; i < questionStart[q + 1]!; i++) if (idMark[questionIds[i]!] === idPass) common++;
      const dice = this.dice(message, q, common);
      if (dice > best) best = dice;
    }
    return best;
  }

  private byPostings(message: MessageTrigrams, from: number, to: number): number {
    if (this.pass >= 2 ** 30) {
      this.mark.fill(0);
      this.pass = 0;
    }
    const pass = ++this.pass;
    const { start, postings, common, mark } = this;
    for (const id of message.ids) {
      const end = start[id + 1]!;
      let lo = start[id]!;
      let hi = end;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (postings[mid]! < from) lo = mid + 1;
        else hi = mid;
      }
      for (let i = lo; i < end; i++) {
        const q = postings[i]!;
        if (q >= to) break;
        if (mark[q] !== pass) {
          mark[q] = pass;
          common[q] = 0;
        }
        common[q]!++;
      }
    }
    let best = 0;
    for (let q = from; q < to; q++) {
      if (mark[q] !== pass) continue;
      const dice = this.dice(message, q, common[q]!);
      if (dice > best) best = dice;
    }
    return best;
  }
}
