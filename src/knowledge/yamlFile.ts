/**
 * Parses one YAML file keeping source positions, so that every problem found later (schema,
 * cross-checks) can be reported as file:line:col.
 */
import YAML, { Document, LineCounter, isMap, isSeq, isPair, isScalar, type Node } from 'yaml';
import type { Problem } from './types';

export type PathSegment = string | number;

export interface ParsedYaml {
  readonly file: string;
  readonly data: unknown;
  /** Position (1-based line and column) of the value at a path, or of its nearest parent that exists. */
  at(path: readonly PathSegment[], key?: string): { line: number; col: number };
  /** Position of `text` as written in the value at a path (inside a multi-line text too); else the value's. */
  locate(path: readonly PathSegment[], text: string): { line: number; col: number };
  readonly problems: Problem[];
}

function plainYamlMessage(message: string): string {
  // yaml's messages end with " at line X, column Y:" plus a code excerpt; the position is reported separately.
  const first = message.split('\n')[0] ?? message;
  return first.replace(/ at line \d+, column \d+:?$/, '').trim();
}

export function parseYaml(file: string, source: string): ParsedYaml {
  const lineCounter = new LineCounter();
  const doc: Document.Parsed = YAML.parseDocument(source, { lineCounter, uniqueKeys: true, prettyErrors: false, strict: true });
  const pos = (offset: number) => {
    const p = lineCounter.linePos(Math.max(0, Math.min(offset, source.length)));
    return { line: p.line, col: p.col };
  };
  const problems: Problem[] = [];
  // The first syntax error is the real one; later ones are mostly its consequences.
  for (const err of doc.errors.slice(0, 1)) {
    const p = pos(err.pos[0]);
    problems.push({ file, ...p, severity: 'error', message: `YAML syntax: ${plainYamlMessage(err.message)}` });
  }

  /** The node at a path (or where the path stops), and the last node on the way that has a position. */
  const walk = (path: readonly PathSegment[]) => {
    let node: unknown = doc.contents;
    let last: { range?: [number, number, number] | null } | null = (doc.contents as Node | null) ?? null;
    for (const seg of path) {
      if (isMap(node)) {
        const pair = node.items.find((it) => isPair(it) && isScalar(it.key) && String(it.key.value) === String(seg));
        if (!pair) break;
        node = pair.value;
        if (node && (node as Node).range) last = node as Node;
        else if (isScalar(pair.key)) last = pair.key;
      } else if (isSeq(node) && typeof seg === 'number') {
        const item = node.items[seg];
        if (!item) break;
        node = item;
        if ((item as Node).range) last = item as Node;
      } else {
        break;
      }
    }
    return { node, last };
  };

  const at = (path: readonly PathSegment[], key?: string) => {
    const { node, last } = walk(path);
    if (key !== undefined && isMap(node)) {
      const pair = node.items.find((it) => isPair(it) && isScalar(it.key) && String(it.key.value) === key);
      if (pair && isScalar(pair.key) && pair.key.range) return pos(pair.key.range[0]);
    }
    return last?.range ? pos(last.range[0]) : { line: 1, col: 1 };
  };

  const locate = (path: readonly PathSegment[], text: string) => {
    const { last } = walk(path);
    const start = last?.range?.[0] ?? 0;
    const end = last?.range?.[1] ?? source.length;
    const found = source.slice(start, end).indexOf(text);
    return found >= 0 ? pos(start + found) : at(path);
  };

  const data = problems.length ? undefined : doc.toJS({ maxAliasCount: 100 });
  return { file, data, at, locate, problems };
}
