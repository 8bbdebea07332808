/**
 * The quick scan's arithmetic: the average per dimension, the two weakest dimensions, and three
 * next steps taken from them (two from the weakest, one from the second), as knowledge orders them.
 */
import type { QuickScan, QuickScanStep } from '../knowledge/types';

export interface ScanResult {
  /** ISO date-time the scan was completed. */
  readonly date: string;
  readonly scores: readonly { readonly dimension: string; readonly score: number }[];
  readonly weakest: readonly string[];
  readonly steps: readonly QuickScanStep[];
}

/** The statements in the order they are asked, with the dimension each belongs to. */
export function scanStatements(scan: QuickScan): { dimension: string; index: number }[] {
  return scan.dimensions.flatMap((d) => d.statements.map((_, index) => ({ dimension: d.id, index })));
}

/** @param answers one score (1–5) per statement, in the order of scanStatements() */
export function scoreScan(scan: QuickScan, answers: readonly number[], date: Date = new Date()): ScanResult {
  const order = scanStatements(scan);
  if (answers.length !== order.length) throw new Error(`expected ${order.length} answers, got ${answers.length}`);
  for (const a of answers) if (!Number.isInteger(a) || a < 1 || a > 5) throw new Error(`answer ${a} is not a whole number from 1 to 5`);
  const scores = scan.dimensions.map((d) => {
    const own = answers.filter((_, i) => order[i]!.dimension === d.id);
    return { dimension: d.id, score: Math.round((own.reduce((s, a) => s + a, 0) / own.length) * 10) / 10 };
  });
  // Weakest first; on a tie, the dimension asked first.
  const weakest = [...scores].sort((a, b) => a.score - b.score || scan.dimensions.findIndex((d) => d.id === a.dimension) - scan.dimensions.findIndex((d) => d.id === b.dimension)).slice(0, 2).map((s) => s.dimension);
  const stepsOf = (id: string | undefined) => scan.dimensions.find((d) => d.id === id)?.steps ?? [];
  const steps = [...stepsOf(weakest[0]).slice(0, 2), ...stepsOf(weakest[1]).slice(0, 1)];
  return { date: date.toISOString(), scores, weakest, steps };
}
