/**
 * The editors' report: which questions the bot could not answer (grouped into clusters of
 * similar questions, largest first, each with the nearest knowledge entries and a suggestion),
 * and how people rated each entry (most 👎 first). Builds a plain data model and renders it as
 * terminal text; reportHtml.ts renders the same model as one self-contained HTML page. Pure.
 */
import { clusterQuestions, CLUSTER_DEFAULTS, type Cluster } from './cluster';
import type { Candidate, FeedbackRecord, Lang, QuestionRecord } from './records';

export type Nearest = (text: string) => readonly Candidate[];

export interface ReportOptions {
  /** The matcher: nearest knowledge entries for a text, best first. Without it the report uses the candidates recorded with the questions. */
  readonly nearest?: Nearest;
  /** The matcher: how much a text is like outofscope.yaml's examples (0..1). A cluster that is (0.5
   * or more, and near no entry) is "not our field", not "new entry needed". */
  readonly notOurs?: (text: string) => number;
  /** An entry's title for the editor, when known. */
  readonly entryTitle?: (id: string) => string | undefined;
  /** A cluster whose nearest entry scores at least this gets "add as an alternate question" (0..1). */
  readonly alternateThreshold?: number;
  /** Dice similarity for clustering (0..1). */
  readonly clusterThreshold?: number;
  /** Progress while clustering: (done, total) in questions. */
  readonly onProgress?: (done: number, total: number) => void;
  readonly now?: Date;
  /** The period the report covers, for its heading. */
  readonly since?: Date;
}

export const REPORT_DEFAULTS = Object.freeze({ alternateThreshold: 0.4, clusterThreshold: CLUSTER_DEFAULTS.threshold });

/** From this likeness to the out-of-scope examples a cluster is "not our field" (as understand() takes it). */
const NOT_OURS = 0.5;

export type Suggestion =
  | { readonly kind: 'alternate'; readonly entryId: string; readonly title?: string; readonly score: number }
  | { readonly kind: 'not-ours'; readonly likeness: number }
  | { readonly kind: 'new' };

export interface NearEntry {
  readonly id: string;
  readonly score: number;
  readonly title?: string;
}

export interface ReportCluster {
  readonly rank: number;
  readonly count: number;
  readonly label: string;
  readonly examples: ReadonlyArray<{ text: string; count: number }>;
  readonly sharedWords: readonly string[];
  readonly languages: Readonly<Record<Lang, number>>;
  readonly decisions: Readonly<Record<string, number>>;
  readonly conversations: number;
  readonly firstAt: string;
  readonly lastAt: string;
  readonly nearest: readonly NearEntry[];
  readonly suggestion: Suggestion;
}

export interface EntryFeedback {
  readonly entryId: string;
  readonly title?: string;
  readonly up: number;
  readonly down: number;
  readonly lastAt: string;
}

export interface DayCount {
  readonly day: string;
  readonly total: number;
  readonly byDecision: Readonly<Record<string, number>>;
}

export interface InsightsReport {
  readonly generatedAt: string;
  readonly from: string | null;
  readonly to: string | null;
  readonly questions: number;
  readonly conversations: number;
  readonly byDecision: Readonly<Record<string, number>>;
  readonly byLanguage: Readonly<Record<Lang, number>>;
  readonly perDay: readonly DayCount[];
  readonly clusters: readonly ReportCluster[];
  readonly feedback: readonly EntryFeedback[];
  readonly votes: { readonly up: number; readonly down: number };
  readonly alternateThreshold: number;
}

type Item = QuestionRecord['data'] & { at: string };

const PLACEHOLDER = /\[(?:email|phone|iban|kvk|bsn|address|name)\]/g;

function count<K extends string>(keys: Iterable<K>): Record<K, number> {
  const out = {} as Record<K, number>;
  for (const k of keys) out[k] = (out[k] ?? 0) + 1;
  return out;
}

function byLang(items: readonly { lang: Lang }[]): Record<Lang, number> {
  return { nl: items.filter((it) => it.lang === 'nl').length, en: items.filter((it) => it.lang === 'en').length };
}

function sortedRecord(r: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(r).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])));
}

/** Every day from the first to the last question, including days without any. */
function perDay(items: readonly Item[]): DayCount[] {
  if (!items.length) return [];
  const days = new Map<string, Record<string, number>>();
  for (const it of items) {
    const d = it.at.slice(0, 10);
    const r = days.get(d) ?? {};
    r[it.decision] = (r[it.decision] ?? 0) + 1;
    days.set(d, r);
  }
  const sorted = [...days.keys()].sort();
  const out: DayCount[] = [];
  for (let t = Date.parse(`${sorted[0]}T00:00:00Z`), end = Date.parse(`${sorted[sorted.length - 1]}T00:00:00Z`); t <= end; t += 86_400_000) {
    const day = new Date(t).toISOString().slice(0, 10);
    const byDecision = days.get(day) ?? {};
    out.push({ day, total: Object.values(byDecision).reduce((a, b) => a + b, 0), byDecision });
  }
  return out;
}

/** A cluster's most frequent texts as the matcher should see them. */
function matchTexts(cluster: Cluster<Item>): string[] {
  // The placeholders of redaction ([name], [phone]…) say nothing about the topic.
  return cluster.examples
    .slice(0, 3)
    .map((ex) => ex.text.replace(PLACEHOLDER, ' ').replace(/\s+/g, ' ').trim())
    .filter((text) => text.length > 0);
}

/** The mean of how much a cluster's most frequent texts are like the out-of-scope examples. */
function notOursFor(cluster: Cluster<Item>, options: ReportOptions): number {
  const texts = matchTexts(cluster);
  if (!options.notOurs || !texts.length) return 0;
  return texts.reduce((sum, text) => sum + options.notOurs!(text), 0) / texts.length;
}

/** For a cluster near no entry: "not our field" when it is like the out-of-scope examples, else "new entry". */
function notNearSuggestion(cluster: Cluster<Item>, options: ReportOptions): Suggestion {
  const notOurs = notOursFor(cluster, options);
  return notOurs >= NOT_OURS ? { kind: 'not-ours', likeness: Math.round(notOurs * 100) / 100 } : { kind: 'new' };
}

/** Nearest entries of a cluster: the matcher's view of its most frequent texts, else the recorded candidates. */
function nearestFor(cluster: Cluster<Item>, options: ReportOptions): NearEntry[] {
  const scores = new Map<string, number>();
  if (options.nearest) {
    for (const text of matchTexts(cluster)) {
      for (const c of options.nearest(text).slice(0, 5)) scores.set(c.id, Math.max(scores.get(c.id) ?? 0, c.score));
    }
  } else {
    for (const it of cluster.items) for (const c of it.candidates.slice(0, 5)) scores.set(c.id, Math.max(scores.get(c.id) ?? 0, c.score));
  }
  return [...scores.entries()]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .slice(0, 3)
    .map(([id, score]) => ({ id, score: Math.round(score * 1000) / 1000, title: options.entryTitle?.(id) }));
}

export function buildReport(questions: readonly QuestionRecord[], feedback: readonly FeedbackRecord[], options: ReportOptions = {}): InsightsReport {
  const alternateThreshold = options.alternateThreshold ?? REPORT_DEFAULTS.alternateThreshold;
  const items: Item[] = questions.map((q) => ({ ...q.data, at: q.at }));
  const clusters = clusterQuestions(items, {
    threshold: options.clusterThreshold ?? REPORT_DEFAULTS.clusterThreshold,
    onProgress: options.onProgress,
  });

  const reportClusters: ReportCluster[] = clusters.map((c, i) => {
    const nearest = nearestFor(c, options);
    const best = nearest[0];
    const ats = c.items.map((it) => it.at).sort();
    return {
      rank: i + 1,
      count: c.items.length,
      label: c.label,
      examples: c.examples.slice(0, 6),
      sharedWords: c.sharedWords,
      languages: byLang(c.items),
      decisions: sortedRecord(count(c.items.map((it) => it.decision))),
      conversations: new Set(c.items.map((it) => it.conversation).filter(Boolean)).size,
      firstAt: ats[0] ?? '',
      lastAt: ats[ats.length - 1] ?? '',
      nearest,
      suggestion: best && best.score >= alternateThreshold ? { kind: 'alternate', entryId: best.id, title: best.title, score: best.score } : notNearSuggestion(c, options),
    };
  });

  const byEntry = new Map<string, { up: number; down: number; lastAt: string }>();
  for (const f of feedback) {
    const e = byEntry.get(f.data.entryId) ?? { up: 0, down: 0, lastAt: '' };
    e[f.data.vote]++;
    if (f.at > e.lastAt) e.lastAt = f.at;
    byEntry.set(f.data.entryId, e);
  }
  const entryFeedback: EntryFeedback[] = [...byEntry.entries()]
    .map(([entryId, e]) => ({ entryId, title: options.entryTitle?.(entryId), ...e }))
    .sort((a, b) => b.down - a.down || b.down / (b.up + b.down) - a.down / (a.up + a.down) || a.entryId.localeCompare(b.entryId));

  const ats = items.map((it) => it.at).sort();
  return {
    generatedAt: (options.now ?? new Date()).toISOString(),
    from: options.since?.toISOString() ?? ats[0] ?? null,
    to: ats[ats.length - 1] ?? null,
    questions: items.length,
    conversations: new Set(items.map((it) => it.conversation).filter(Boolean)).size,
    byDecision: sortedRecord(count(items.map((it) => it.decision))),
    byLanguage: byLang(items),
    perDay: perDay(items),
    clusters: reportClusters,
    feedback: entryFeedback,
    votes: { up: feedback.filter((f) => f.data.vote === 'up').length, down: feedback.filter((f) => f.data.vote === 'down').length },
    alternateThreshold,
  };
}

// ---------------------------------------------------------------------------------------------
// Terminal text

const n = (x: number) => x.toLocaleString('en-US');

export function suggestionText(s: Suggestion): string {
  if (s.kind === 'alternate') return `add as an alternate question to entry ${s.entryId}${s.title ? ` ("${s.title}")` : ''} (score ${s.score.toFixed(2)})`;
  if (s.kind === 'not-ours') return `not our field (like the out-of-scope examples, ${s.likeness.toFixed(2)}): no entry needed`;
  return 'new entry needed (no entry is close enough)';
}

export function reportText(report: InsightsReport, options: { top?: number } = {}): string {
  const top = options.top ?? 20;
  const lines: string[] = [];
  const period = report.from && report.to ? `${report.from.slice(0, 10)} – ${report.to.slice(0, 10)}` : 'no questions yet';
  lines.push(`Unanswered questions: ${n(report.questions)} in ${n(report.conversations)} conversation(s), ${period}`);
  if (report.questions) {
    lines.push(`  by decision: ${Object.entries(report.byDecision).map(([k, v]) => `${k} ${n(v)}`).join(', ')}`);
    lines.push(`  by language: Dutch ${n(report.byLanguage.nl)}, English ${n(report.byLanguage.en)}`);
  }
  lines.push('');
  if (report.clusters.length) {
    lines.push(`Groups of similar questions (${n(report.clusters.length)}), largest first${report.clusters.length > top ? `; the first ${top}` : ''}:`);
    for (const c of report.clusters.slice(0, top)) {
      lines.push('');
      lines.push(`${c.rank}. "${c.label}" — ${n(c.count)}× (${Object.entries(c.decisions).map(([k, v]) => `${k} ${v}`).join(', ')})`);
      const others = c.examples.slice(1, 4).map((e) => `"${e.text}"${e.count > 1 ? ` ×${e.count}` : ''}`);
      if (others.length) lines.push(`   also: ${others.join('; ')}`);
      if (c.sharedWords.length) lines.push(`   shared words: ${c.sharedWords.join(', ')}`);
      if (c.nearest.length) lines.push(`   nearest entries: ${c.nearest.map((e) => `${e.id} (${e.score.toFixed(2)})`).join(', ')}`);
      lines.push(`   → ${suggestionText(c.suggestion)}`);
    }
  } else {
    lines.push('No unanswered questions in this period.');
  }
  lines.push('');
  if (report.feedback.length) {
    lines.push(`Feedback per entry (👍 ${n(report.votes.up)}, 👎 ${n(report.votes.down)}), most 👎 first:`);
    for (const f of report.feedback.slice(0, top)) {
      lines.push(`  👎 ${String(f.down).padStart(4)}  👍 ${String(f.up).padStart(4)}  ${f.entryId}${f.title ? ` — ${f.title}` : ''}`);
    }
  } else {
    lines.push('No feedback in this period.');
  }
  return lines.join('\n');
}
