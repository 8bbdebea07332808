/**
 * The top functions of a V8 CPU profile (node --cpu-prof), by self time: where the time goes.
 *
 *   node --cpu-prof --cpu-prof-dir=/tmp/prof dist/bench/bench.js --only matcher --no-peers
 *   node dist/bench/cpuProfile.js /tmp/prof/CPU.*.cpuprofile [--top 15] [--under nlu/matcher.js:match]
 *
 * --under [file:]<name> keeps only the samples taken inside a function of that name (in a file
 * whose path holds `file`; e.g. `nlu/matcher.js:match`: our per-query path, without the index
 * builds and without the peers' own match()), and shows what their time is spent on.
 * --skip <ms> leaves out the first milliseconds (a server's start-up); --by package sums the self
 * time per package (node_modules/<name>, dist/<folder> for ours, node: for Node itself).
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number };
  readonly children?: readonly number[];
}

export interface CpuProfile {
  readonly startTime?: number;
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

export interface TopFunction {
  readonly name: string;
  readonly where: string;
  readonly selfMs: number;
  readonly share: number;
}

function label(node: ProfileNode, root: string): { name: string; where: string } {
  const f = node.callFrame;
  const name = f.functionName || (f.url ? '(anonymous)' : `(${f.functionName || 'program'})`);
  let where = f.url.replace(/^file:\/\//, '');
  if (where.startsWith(root)) where = path.relative(root, where);
  const nm = where.lastIndexOf('node_modules/');
  if (nm >= 0) where = where.slice(nm + 'node_modules/'.length);
  return { name: f.functionName || name, where: where ? `${where}:${f.lineNumber + 1}` : '' };
}

/** Self time per function (summed over its nodes), the largest first. */
/** Where a function lives, coarsely: a package, our own folder, Node, or V8's own entries. */
export function packageOf(where: string, name: string): string {
  if (!where) return name.startsWith('(') ? name : '(native)';
  if (where.startsWith('node:')) return 'node: (Node.js internals)';
  const file = where.replace(/:\d+$/, '');
  if (!file.includes('/') || /^(@[^/]+\/)?[^/]+\//.test(file) && !file.startsWith('dist/')) {
    const m = /^(@[^/]+\/[^/]+|[^/]+)/.exec(file);
    return m ? m[1]! : file;
  }
  const d = /^dist\/(src\/[^/]+|dialogs|bench)/.exec(file);
  return d ? `ours: ${d[1]}` : file;
}

export function topFunctions(profile: CpuProfile, o: { top?: number; under?: string; root?: string; skipMs?: number; byPackage?: boolean } = {}): { totalMs: number; functions: TopFunction[] } {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const inside = new Map<number, boolean>();
  const cut = o.under?.lastIndexOf(':') ?? -1;
  const underName = cut >= 0 ? o.under!.slice(cut + 1) : o.under;
  const underFile = cut >= 0 ? o.under!.slice(0, cut) : '';
  const isInside = (id: number): boolean => {
    if (!o.under) return true;
    const known = inside.get(id);
    if (known !== undefined) return known;
    const n = byId.get(id);
    const p = parent.get(id);
    const v = (n !== undefined && n.callFrame.functionName === underName && n.callFrame.url.includes(underFile)) || (p !== undefined && isInside(p));
    inside.set(id, v);
    return v;
  };
  const self = new Map<string, { name: string; where: string; us: number }>();
  let total = 0;
  let clock = 0;
  profile.samples.forEach((id, i) => {
    const dt = profile.timeDeltas[i] ?? 0;
    clock += dt;
    if (o.skipMs && clock < o.skipMs * 1000) return;
    if (!isInside(id)) return;
    const n = byId.get(id);
    if (!n) return;
    const fn = label(n, o.root ?? process.cwd());
    const l = o.byPackage ? { name: packageOf(fn.where, fn.name), where: '' } : fn;
    const key = `${l.name}@${l.where}`;
    const e = self.get(key) ?? { ...l, us: 0 };
    e.us += dt;
    self.set(key, e);
    total += dt;
  });
  const functions = [...self.values()]
    .sort((a, b) => b.us - a.us)
    .slice(0, o.top ?? 15)
    .map((e) => ({ name: e.name, where: e.where, selfMs: Math.round(e.us / 100) / 10, share: total ? e.us / total : 0 }));
  return { totalMs: Math.round(total / 1000), functions };
}

if (require.main === module) {
  const usage = 'Usage: node dist/bench/cpuProfile.js <file.cpuprofile> [--top 15] [--under [file:]<function name>] [--skip <ms>] [--by package]\n(see the top of bench/cpuProfile.ts)\n';
  let parsed;
  try {
    parsed = parseArgs({ allowPositionals: true, options: { top: { type: 'string', default: '15' }, under: { type: 'string' }, skip: { type: 'string' }, by: { type: 'string' }, help: { type: 'boolean', short: 'h' } } });
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n${usage}`);
    process.exit(2);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    process.stdout.write(usage);
    process.exit(0);
  }
  if (!positionals.length) {
    process.stderr.write(usage);
    process.exit(2);
  }
  const root = path.resolve(__dirname, '../..');
  for (const file of positionals) {
    const profile = JSON.parse(fs.readFileSync(file, 'utf8')) as CpuProfile;
    const { totalMs, functions } = topFunctions(profile, { top: Number(values.top), under: values.under, root, skipMs: values.skip ? Number(values.skip) : 0, byPackage: values.by === 'package' });
    process.stdout.write(`${file}: ${totalMs.toLocaleString('en-US')} ms sampled${values.under ? ` inside ${values.under}()` : ''}${values.skip ? ` after the first ${values.skip} ms` : ''}${values.by === 'package' ? ', self time by package' : ''}\n`);
    for (const f of functions) process.stdout.write(`  ${(f.share * 100).toFixed(1).padStart(5)}%  ${String(f.selfMs.toFixed(0)).padStart(7)} ms  ${f.name}  ${f.where}\n`);
  }
}
