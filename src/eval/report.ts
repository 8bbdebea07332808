/** Formats the eval as plain-text tables for the terminal (and for notes and BENCHMARKS.md). */
import { confusions, rate, thresholdCurve, worstMisses, type Metrics, type Tally } from './evaluate';

function pct(t: Tally | undefined): string {
  if (!t || !t.total) return '—';
  return `${(rate(t) * 100).toFixed(1)}% (${t.hits}/${t.total})`;
}

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

export function formatEval(all: readonly Metrics[], thresholds: { answer: number; margin: number; disambiguate: number }): string {
  const ours = all[0]!;
  const kinds = [...new Set(all.flatMap((m) => Object.keys(m.byKind)))].sort();
  const oosKinds = [...new Set(all.flatMap((m) => Object.keys(m.rejectionByKind)))].sort();
  const rows: string[][] = [
    ['in scope, all', ...all.map((m) => pct(m.inScope))],
    ['  Dutch', ...all.map((m) => pct(m.byLang.nl))],
    ['  English', ...all.map((m) => pct(m.byLang.en))],
    ...kinds.map((k) => [`  ${k}`, ...all.map((m) => pct(m.byKind[k]))]),
    ['  answered without "did you mean"', ...all.map((m) => (m.answeredDirectly ? pct(m.answeredDirectly) : '—'))],
    ['out of scope rejected', ...all.map((m) => pct(m.rejection))],
    ...oosKinds.map((k) => [`  ${k}`, ...all.map((m) => pct(m.rejectionByKind[k]))]),
    ['held-out set: in scope', ...all.map((m) => pct(m.heldOut.inScope))],
    ['held-out set: out of scope rejected', ...all.map((m) => pct(m.heldOut.rejection))],
    ['latency p50 (ms)', ...all.map((m) => m.p50.toFixed(3))],
    ['latency p99 (ms)', ...all.map((m) => m.p99.toFixed(3))],
  ];
  const out: string[] = [];
  out.push(table(['', ...all.map((m) => m.name)], rows));
  out.push('');
  out.push(`In scope counts a question as right when the top answer is the labelled entry (answered directly or as the first "did you mean" choice); out of scope counts a fallback. Ours decides with answer ≥ ${thresholds.answer} and margin ≥ ${thresholds.margin}, "did you mean" from ${thresholds.disambiguate}. NLP.js is told the true language of each question; fuse.js searches all questions with its default options.`);

  out.push('', 'Threshold curve (ours; below the threshold the bot falls back):');
  out.push(table(['threshold', 'in-scope accuracy', 'out-of-scope rejected'], thresholdCurve(ours.predictions).map((p) => [p.threshold.toFixed(2), `${(p.accuracy * 100).toFixed(1)}%`, `${(p.rejection * 100).toFixed(1)}%`])));

  const conf = confusions(ours.predictions).slice(0, 12);
  out.push('', 'Most frequent confusions (ours): expected → got');
  out.push(conf.length ? conf.map((c) => `  ${c.count}× ${c.expected} → ${c.got}`).join('\n') : '  none');

  const worst = worstMisses(ours.predictions, 10);
  out.push('', 'Worst misses (ours; confident wrong answers first):');
  out.push(worst.length ? worst.map((p) => `  [${p.test.lang} ${p.test.kind}] "${p.test.q.length > 90 ? `${p.test.q.slice(0, 87)}...` : p.test.q}" expected ${p.test.expect}, got ${p.id ?? 'fallback'} (${p.score.toFixed(2)}) ${p.test.file}:${p.test.line}`).join('\n') : '  none');
  return out.join('\n');
}
