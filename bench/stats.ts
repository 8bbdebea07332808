/** Pure helpers of the benchmark: percentiles, medians, ratios, spread of rounds, growth. */

/** Nearest-rank percentile (the same definition as `kb eval`): p99 of 10 values is the largest. */
export function percentile(values: readonly number[], p: number): number {
  if (!values.length) return NaN;
  const sorted = Float64Array.from(values).sort();
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

export function median(values: readonly number[]): number {
  if (!values.length) return NaN;
  const s = Float64Array.from(values).sort();
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** ours / reference; NaN when the reference is zero or missing. */
export function ratio(ours: number, reference: number): number {
  return reference > 0 && Number.isFinite(ours) ? ours / reference : NaN;
}

/** The median of the per-round ratios of paired rounds (A/B measured back to back). */
export function pairedRatio(ours: readonly number[], reference: readonly number[]): number {
  const n = Math.min(ours.length, reference.length);
  const ratios: number[] = [];
  for (let i = 0; i < n; i++) {
    const r = ratio(ours[i]!, reference[i]!);
    if (Number.isFinite(r)) ratios.push(r);
  }
  return median(ratios);
}

export interface Spread {
  readonly min: number;
  readonly max: number;
  /** max / min */
  readonly factor: number;
  /** The rounds differ widely (max more than `limit` × min): say so next to the median. */
  readonly wide: boolean;
}

export function spread(values: readonly number[], limit = 1.25): Spread {
  const finite = values.filter((v) => Number.isFinite(v));
  if (!finite.length) return { min: NaN, max: NaN, factor: NaN, wide: false };
  const min = Math.min(...finite);
  const max = Math.max(...finite);
  const factor = min > 0 ? max / min : max > 0 ? Infinity : 1;
  return { min, max, factor, wide: finite.length > 1 && factor > limit };
}

/**
 * How a time grows with size between two points, as the exponent k of time ∝ size^k:
 * 1 is linear, below 1 sublinear. NaN when either point is missing.
 */
export function growthExponent(size1: number, time1: number, size2: number, time2: number): number {
  if (!(size1 > 0 && size2 > 0 && time1 > 0 && time2 > 0) || size1 === size2) return NaN;
  return Math.log(time2 / time1) / Math.log(size2 / size1);
}

export interface LatencySummary {
  readonly n: number;
  readonly p50: number;
  readonly p99: number;
  readonly mean: number;
  readonly max: number;
}

export function summarize(values: readonly number[]): LatencySummary {
  let sum = 0;
  let max = -Infinity;
  for (const v of values) {
    sum += v;
    if (v > max) max = v;
  }
  return { n: values.length, p50: percentile(values, 50), p99: percentile(values, 99), mean: values.length ? sum / values.length : NaN, max: values.length ? max : NaN };
}

/** Rounds a number for the JSON (3 significant decimals are plenty for times in ms). */
export function round(value: number, digits = 3): number | null {
  if (!Number.isFinite(value)) return null;
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/** `count` indexes evenly spread over `total` (the first, …, near the last), for bounded samples. */
export function evenSample(total: number, count: number): number[] {
  if (count >= total) return Array.from({ length: total }, (_, i) => i);
  if (count <= 0) return [];
  return Array.from({ length: count }, (_, i) => Math.floor((i * total) / count));
}

/** A copy of `items` in a repeatable shuffled order (Fisher–Yates with a seeded LCG). */
export function seededShuffle<T>(items: readonly T[], seed: number): T[] {
  const out = [...items];
  let s = seed >>> 0 || 1;
  for (let i = out.length - 1; i > 0; i--) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}
