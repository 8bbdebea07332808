/**
 * Groups similar questions, simply enough to explain in one sentence: a question joins a group
 * when it shares most of its important words with the group's first (most frequent) question.
 *
 * - Words: lowercase, accents and stop words dropped, stemmed per language (Porter nl/en), so
 *   "kosten", "kost" and "kostte" are one word.
 * - Important: a word counts more the rarer it is among the distinct questions (weight
 *   log(1 + distinct questions / questions with the word)), so "wat kost een cobot" and "wat kost
 *   een exoskelet" do not group on "kost" alone.
 * - Most: weighted Dice similarity, 2·weight(shared) / (weight(a) + weight(b)), at or above the
 *   threshold.
 *
 * Identical questions (after stemming) are handled once; groups come largest first. Pure.
 */
import porterNl from 'natural/lib/natural/stemmers/porter_stemmer_nl';
import porterEn from 'natural/lib/natural/stemmers/porter_stemmer';
import { words as dutchStopwords } from 'natural/lib/natural/util/stopwords_nl';
import { words as englishStopwords } from 'natural/lib/natural/util/stopwords';
import type { Lang } from './records';

export interface ClusterItem {
  readonly text: string;
  readonly lang: Lang;
  readonly decision: string;
  readonly at: string;
  readonly candidates: readonly { id: string; score: number }[];
}

export interface Cluster<T extends ClusterItem = ClusterItem> {
  /** Stems of the question that founded the cluster. */
  readonly leaderTerms: readonly string[];
  readonly items: readonly T[];
  /** The most frequent text in the cluster. */
  readonly label: string;
  /** Distinct texts, most frequent first. */
  readonly examples: ReadonlyArray<{ text: string; count: number }>;
  /** Words most members share (readable forms), the reason they were grouped. */
  readonly sharedWords: readonly string[];
}

export interface ClusterOptions {
  /** Dice similarity a question needs with a cluster's first question to join it (0..1). */
  readonly threshold?: number;
  /** Called now and then with (done, total) while clustering. */
  readonly onProgress?: (done: number, total: number) => void;
}

export const CLUSTER_DEFAULTS = Object.freeze({ threshold: 0.55 });

const EXTRA_STOPWORDS = [
  'hoe', 'wat', 'welke', 'waar', 'wanneer', 'waarom', 'wie', 'kan', 'kun', 'kunnen', 'moet', 'mag', 'graag', 'ik', 'we', 'wij', 'jullie', 'mijn', 'onze', 'ons',
  'how', 'what', 'which', 'where', 'when', 'why', 'who', 'can', 'could', 'should', 'would', 'please', 'i', 'we', 'my', 'our', 'us', 'do', 'does', 'is', 'are',
  'er', 'een', 'de', 'het', 'the', 'a', 'an',
];
const STOP = new Set([...dutchStopwords, ...englishStopwords, ...EXTRA_STOPWORDS].map((w) => w.toLowerCase()));

/** Lowercase words without accents, placeholders ([name], [phone]…) and punctuation. */
export function words(text: string): string[] {
  return text
    .replace(/\[(?:email|phone|iban|kvk|bsn|address|name)\]/g, ' ')
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w.length > 1 || /\d/.test(w));
}

const stemCache = new Map<string, string>();

export function stem(word: string, lang: Lang): string {
  const key = `${lang}:${word}`;
  let s = stemCache.get(key);
  if (s === undefined) {
    s = /\d/.test(word) ? word : (lang === 'nl' ? porterNl : porterEn).stem(word);
    if (stemCache.size > 50_000) stemCache.clear();
    stemCache.set(key, s);
  }
  return s;
}

/** The content terms of a question: sorted, distinct stems of its non-stop words. */
export function terms(text: string, lang: Lang): string[] {
  return [...new Set(words(text).filter((w) => !STOP.has(w)).map((w) => stem(w, lang)))].sort();
}

/** Weighted Dice similarity of two sorted term lists (weight 1 for every term when none given). */
export function dice(a: readonly string[], b: readonly string[], weight: (term: string) => number = () => 1): number {
  if (!a.length && !b.length) return 1;
  if (!a.length || !b.length) return 0;
  let shared = 0;
  let total = 0;
  for (const t of a) total += weight(t);
  for (const t of b) total += weight(t);
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) {
      shared += weight(a[i]!);
      i++;
      j++;
    } else if (a[i]! < b[j]!) i++;
    else j++;
  }
  return (2 * shared) / total;
}

interface Signature<T> {
  readonly terms: string[];
  readonly items: T[];
}

interface Building<T> {
  readonly leaderTerms: string[];
  readonly signatures: Signature<T>[];
  size: number;
}

export function clusterQuestions<T extends ClusterItem>(items: readonly T[], options: ClusterOptions = {}): Cluster<T>[] {
  const threshold = options.threshold ?? CLUSTER_DEFAULTS.threshold;
  // 1. Questions with the same terms are one signature.
  const bySignature = new Map<string, Signature<T>>();
  for (const item of items) {
    const t = terms(item.text, item.lang);
    const key = t.join(' ');
    let sig = bySignature.get(key);
    if (!sig) bySignature.set(key, (sig = { terms: t, items: [] }));
    sig.items.push(item);
  }
  // Most frequent first; among equals the shortest (the core of a question) leads.
  const signatures = [...bySignature.values()].sort(
    (a, b) => b.items.length - a.items.length || a.terms.length - b.terms.length || a.terms.join(' ').localeCompare(b.terms.join(' ')),
  );
  const df = new Map<string, number>();
  for (const sig of signatures) for (const t of sig.terms) df.set(t, (df.get(t) ?? 0) + 1);
  const weight = (t: string) => Math.log(1 + signatures.length / (df.get(t) ?? 1));

  // 2. Leader clustering, most frequent first; an index from term to clusters keeps it fast.
  const clusters: Building<T>[] = [];
  const index = new Map<string, Building<T>[]>();
  const step = Math.max(1, Math.floor(signatures.length / 100));
  signatures.forEach((sig, n) => {
    let best: Building<T> | null = null;
    let bestScore = 0;
    const seen = new Set<Building<T>>();
    for (const t of sig.terms) {
      for (const c of index.get(t) ?? []) {
        if (seen.has(c)) continue;
        seen.add(c);
        const score = dice(sig.terms, c.leaderTerms, weight);
        if (score > bestScore || (score === bestScore && best && c.size > best.size)) {
          best = c;
          bestScore = score;
        }
      }
    }
    if (best && bestScore >= threshold && sig.terms.length) {
      best.signatures.push(sig);
      best.size += sig.items.length;
    } else {
      const c: Building<T> = { leaderTerms: sig.terms, signatures: [sig], size: sig.items.length };
      clusters.push(c);
      for (const t of sig.terms) {
        const list = index.get(t);
        if (list) list.push(c);
        else index.set(t, [c]);
      }
    }
    if (options.onProgress && (n % step === 0 || n === signatures.length - 1)) options.onProgress(n + 1, signatures.length);
  });

  return clusters
    .sort((a, b) => b.size - a.size || a.leaderTerms.join(' ').localeCompare(b.leaderTerms.join(' ')))
    .map((c) => finish(c));
}

function finish<T extends ClusterItem>(c: Building<T>): Cluster<T> {
  const items = c.signatures.flatMap((s) => s.items);
  const texts = new Map<string, number>();
  for (const it of items) {
    const t = it.text.trim();
    texts.set(t, (texts.get(t) ?? 0) + 1);
  }
  const examples = [...texts.entries()].map(([text, count]) => ({ text, count })).sort((a, b) => b.count - a.count || a.text.localeCompare(b.text));

  // Shared words: stems in at least 60% of the members, shown in their most frequent written form.
  const stemCount = new Map<string, number>();
  const surface = new Map<string, Map<string, number>>();
  for (const it of items) {
    const seen = new Set<string>();
    for (const w of words(it.text)) {
      if (STOP.has(w)) continue;
      const s = stem(w, it.lang);
      const forms = surface.get(s) ?? new Map<string, number>();
      forms.set(w, (forms.get(w) ?? 0) + 1);
      surface.set(s, forms);
      if (!seen.has(s)) {
        seen.add(s);
        stemCount.set(s, (stemCount.get(s) ?? 0) + 1);
      }
    }
  }
  const sharedWords = [...stemCount.entries()]
    .filter(([, n]) => n >= Math.max(1, Math.ceil(items.length * 0.6)))
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([s]) => [...surface.get(s)!.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]![0])
    .slice(0, 6);

  return { leaderTerms: c.leaderTerms, items, label: examples[0]?.text ?? '', examples, sharedWords };
}
