/**
 * The editors' report as one self-contained HTML page: inline CSS, inline SVG charts (questions
 * per day, questions per decision), no scripts, no external assets. Every text that came from a
 * user or a file is HTML-escaped. Pure.
 */
import type { InsightsReport } from './report';

export function escapeHtml(s: unknown): string {
  return String(s ?? '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

const DECISION_COLOURS: Record<string, string> = {
  fallback: '#c0392b',
  disambiguate: '#e67e22',
  'near-miss': '#2980b9',
};
const OTHER_COLOURS = ['#8e44ad', '#16a085', '#7f8c8d', '#d35400', '#2c3e50'];

function colours(decisions: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  let k = 0;
  for (const d of decisions) out.set(d, DECISION_COLOURS[d] ?? OTHER_COLOURS[k++ % OTHER_COLOURS.length]!);
  return out;
}

const DECISION_MEANING: Record<string, string> = {
  fallback: 'the bot did not know and showed the menu',
  disambiguate: 'the bot was unsure and offered "did you mean" choices',
  'near-miss': 'the bot answered, but only just ahead of another entry',
};

const n = (x: number) => x.toLocaleString('en-US');

function legend(palette: Map<string, string>): string {
  return `<p class="legend">${[...palette.entries()]
    .map(([d, c]) => `<span><i style="background:${c}"></i>${escapeHtml(d)}</span>`)
    .join(' ')}</p>`;
}

/** Stacked bars: one per day, coloured by decision. */
function perDayChart(report: InsightsReport, palette: Map<string, string>): string {
  const days = report.perDay;
  if (!days.length) return '<p class="muted">No questions in this period.</p>';
  const w = 760;
  const h = 220;
  const left = 40;
  const bottom = 28;
  const top = 10;
  const max = Math.max(1, ...days.map((d) => d.total));
  const slot = (w - left - 10) / days.length;
  const barW = Math.max(1, slot * 0.8);
  const y = (v: number) => top + (h - top - bottom) * (1 - v / max);
  const bars: string[] = [];
  days.forEach((d, i) => {
    let acc = 0;
    const x = left + i * slot + (slot - barW) / 2;
    for (const [decision, colour] of palette) {
      const v = d.byDecision[decision] ?? 0;
      if (!v) continue;
      bars.push(`<rect x="${x.toFixed(1)}" y="${y(acc + v).toFixed(1)}" width="${barW.toFixed(1)}" height="${(y(acc) - y(acc + v)).toFixed(1)}" fill="${colour}"><title>${escapeHtml(`${d.day}: ${v} ${decision}`)}</title></rect>`);
      acc += v;
    }
  });
  const ticks = [0, Math.round(max / 2), max]
    .filter((v, i, a) => a.indexOf(v) === i)
    .map((v) => `<text x="${left - 6}" y="${(y(v) + 4).toFixed(1)}" text-anchor="end">${v}</text><line x1="${left}" x2="${w - 10}" y1="${y(v).toFixed(1)}" y2="${y(v).toFixed(1)}" class="grid"/>`)
    .join('');
  const first = days[0]!.day;
  const last = days[days.length - 1]!.day;
  return `<svg viewBox="0 0 ${w} ${h}" role="img" aria-label="Questions per day from ${escapeHtml(first)} to ${escapeHtml(last)}">${ticks}${bars.join('')}
<text x="${left}" y="${h - 8}">${escapeHtml(first)}</text><text x="${w - 10}" y="${h - 8}" text-anchor="end">${escapeHtml(last)}</text></svg>${legend(palette)}`;
}

/** Horizontal bars: questions per decision. */
function perDecisionChart(report: InsightsReport, palette: Map<string, string>): string {
  const entries = Object.entries(report.byDecision);
  if (!entries.length) return '<p class="muted">No questions in this period.</p>';
  const w = 760;
  const row = 30;
  const label = 140;
  const h = entries.length * row + 10;
  const max = Math.max(1, ...entries.map(([, v]) => v));
  const bars = entries
    .map(([d, v], i) => {
      const bw = ((w - label - 80) * v) / max;
      const yy = 5 + i * row;
      return `<text x="${label - 8}" y="${yy + 19}" text-anchor="end">${escapeHtml(d)}</text><rect x="${label}" y="${yy + 4}" width="${bw.toFixed(1)}" height="${row - 10}" fill="${palette.get(d) ?? '#7f8c8d'}"><title>${escapeHtml(`${d}: ${v}`)}</title></rect><text x="${(label + bw + 6).toFixed(1)}" y="${yy + 19}">${n(v)}</text>`;
    })
    .join('');
  return `<svg viewBox="0 0 ${w} ${h}" role="img" aria-label="Questions per decision">${bars}</svg>`;
}

const CSS = `
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0 auto;max-width:1100px;padding:24px;color:#222;line-height:1.45}
h1{font-size:1.6em;margin:0 0 .2em}h2{margin-top:2em;border-bottom:2px solid #eee;padding-bottom:.2em}
.muted{color:#666}.cards{display:flex;gap:12px;flex-wrap:wrap;margin:16px 0}
.card{border:1px solid #ddd;border-radius:8px;padding:10px 16px;min-width:140px}.card b{display:block;font-size:1.6em}
svg{width:100%;height:auto;font-size:12px;fill:#333}svg .grid{stroke:#eee}
.legend span{margin-right:14px;font-size:.9em}.legend i{display:inline-block;width:12px;height:12px;margin-right:4px;vertical-align:-1px;border-radius:2px}
table{border-collapse:collapse;width:100%;margin-top:8px}th,td{text-align:left;vertical-align:top;padding:8px;border-bottom:1px solid #eee}
th{background:#f7f7f7;font-weight:600}td.num{text-align:right;white-space:nowrap}
.q{font-weight:600}.ex{color:#555;font-size:.92em;margin:.2em 0 0;padding-left:1.1em}
.tag{display:inline-block;background:#f0f0f0;border-radius:10px;padding:0 8px;margin:0 4px 2px 0;font-size:.85em}
.new{color:#c0392b;font-weight:600}.alt{color:#1e7e34;font-weight:600}
.bar{display:inline-block;height:10px;background:#c0392b;vertical-align:middle}.bar.up{background:#27ae60}
.help{background:#f9f9f4;border:1px solid #eee;border-radius:8px;padding:8px 16px}
`;

export function renderReportHtml(report: InsightsReport, options: { maxClusters?: number; title?: string } = {}): string {
  const maxClusters = options.maxClusters ?? 200;
  const title = options.title ?? 'Smart Industry Advisor — questions the bot could not answer';
  const palette = colours(Object.keys(report.byDecision));
  const period = report.from && report.to ? `${report.from.slice(0, 10)} to ${report.to.slice(0, 10)}` : 'no questions yet';

  const clusterRows = report.clusters
    .slice(0, maxClusters)
    .map((c) => {
      const others = c.examples.slice(1, 6).map((e) => `<li>${escapeHtml(e.text)}${e.count > 1 ? ` <span class="muted">×${e.count}</span>` : ''}</li>`).join('');
      const decisions = Object.entries(c.decisions).map(([d, v]) => `<span class="tag">${escapeHtml(d)} ${v}</span>`).join('');
      const nearest = c.nearest.length
        ? c.nearest.map((e) => `<div>${escapeHtml(e.id)}${e.title ? ` <span class="muted">— ${escapeHtml(e.title)}</span>` : ''} <span class="muted">(${e.score.toFixed(2)})</span></div>`).join('')
        : '<span class="muted">none</span>';
      const suggestion =
        c.suggestion.kind === 'alternate'
          ? `<span class="alt">Add as an alternate question</span> to entry <b>${escapeHtml(c.suggestion.entryId)}</b>${c.suggestion.title ? ` (${escapeHtml(c.suggestion.title)})` : ''}`
          : c.suggestion.kind === 'not-ours'
            ? `<span class="muted">Not our field</span> (like the out-of-scope examples, ${c.suggestion.likeness.toFixed(2)}): no entry needed`
            : '<span class="new">New entry needed</span>';
      return `<tr><td class="num">${c.rank}</td><td class="num">${n(c.count)}</td><td><div class="q">${escapeHtml(c.label)}</div>${others ? `<ul class="ex">${others}</ul>` : ''}<div>${decisions}<span class="tag">nl ${c.languages.nl} · en ${c.languages.en}</span></div></td><td>${c.sharedWords.map((w) => `<span class="tag">${escapeHtml(w)}</span>`).join('') || '<span class="muted">—</span>'}</td><td>${nearest}</td><td>${suggestion}</td></tr>`;
    })
    .join('\n');
  const hidden = report.clusters.length - Math.min(report.clusters.length, maxClusters);

  const maxVotes = Math.max(1, ...report.feedback.map((f) => Math.max(f.up, f.down)));
  const feedbackRows = report.feedback
    .map(
      (f) =>
        `<tr><td>${escapeHtml(f.entryId)}${f.title ? `<div class="muted">${escapeHtml(f.title)}</div>` : ''}</td><td class="num">${n(f.down)} <span class="bar" style="width:${Math.round((60 * f.down) / maxVotes)}px"></span></td><td class="num">${n(f.up)} <span class="bar up" style="width:${Math.round((60 * f.up) / maxVotes)}px"></span></td><td>${escapeHtml(f.lastAt.slice(0, 10))}</td></tr>`,
    )
    .join('\n');

  const meanings = Object.keys(report.byDecision)
    .map((d) => `<li><b>${escapeHtml(d)}</b>: ${escapeHtml(DECISION_MEANING[d] ?? 'reported by the bot under this name')}</li>`)
    .join('');

  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${CSS}</style>
</head>
<body>
<h1>${escapeHtml(title)}</h1>
<p class="muted">Period: ${escapeHtml(period)} · generated ${escapeHtml(report.generatedAt.slice(0, 16).replace('T', ' '))} UTC</p>
<div class="cards">
<div class="card"><b>${n(report.questions)}</b>unanswered questions</div>
<div class="card"><b>${n(report.conversations)}</b>conversations</div>
<div class="card"><b>${n(report.clusters.length)}</b>groups of similar questions</div>
<div class="card"><b>${n(report.byLanguage.nl)} / ${n(report.byLanguage.en)}</b>Dutch / English</div>
<div class="card"><b>👎 ${n(report.votes.down)} · 👍 ${n(report.votes.up)}</b>feedback votes</div>
</div>
<div class="help">
<p><b>How to read this report.</b> Every question below is one the bot could not answer with confidence. Personal data (names, e-mail addresses, phone numbers, account and registration numbers, addresses) was replaced by placeholders such as [name] before it was stored.</p>
<ul>${meanings}</ul>
<p>Similar questions are grouped when they share most of their important words (shown under "shared words"). For each group the report looks up the nearest entries in the knowledge base. When one is close enough (score ${report.alternateThreshold.toFixed(2)} or more), add the question as an alternate question (<code>questions:</code>) to that entry; when the questions are like the out-of-scope examples in <code>outofscope.yaml</code> ("not our field"), falling back was right and nothing needs doing; otherwise the knowledge base probably needs a new entry. Start at the top: the largest groups help the most people.</p>
</div>
<h2>Questions per day</h2>
${perDayChart(report, palette)}
<h2>Questions per decision</h2>
${perDecisionChart(report, palette)}
<h2>Groups of similar questions</h2>
${report.clusters.length ? `<table><thead><tr><th>#</th><th>times</th><th>question (most frequent wording) and other wordings</th><th>shared words</th><th>nearest entries (score)</th><th>suggestion</th></tr></thead><tbody>
${clusterRows}
</tbody></table>${hidden > 0 ? `<p class="muted">${n(hidden)} smaller group(s) not shown.</p>` : ''}` : '<p class="muted">No unanswered questions in this period.</p>'}
<h2>Feedback per entry</h2>
${report.feedback.length ? `<p class="muted">Entries with the most 👎 first: read their answer again.</p><table><thead><tr><th>entry</th><th>👎</th><th>👍</th><th>last vote</th></tr></thead><tbody>
${feedbackRows}
</tbody></table>` : '<p class="muted">No feedback in this period.</p>'}
</body>
</html>
`;
}
