/** Types of the knowledge base as the rest of the code sees it: plain, validated, read-only data. */

export type Lang = 'nl' | 'en';
export const LANGS: readonly Lang[] = ['nl', 'en'];

export interface Bilingual<T = string> {
  readonly nl: T;
  readonly en: T;
}

/** Where something was written, for editors' messages. */
export interface SourceRef {
  readonly file: string;
  readonly line: number;
}

export interface QnaEntry {
  readonly id: string;
  readonly topic: Bilingual;
  readonly title: Bilingual;
  readonly questions: Bilingual<readonly string[]>;
  readonly answer: Bilingual;
  readonly followUps: readonly string[];
  readonly tags: readonly string[];
  readonly sources: readonly string[];
  readonly factsYear?: number;
  readonly reviewed: string;
  readonly at: SourceRef;
}

/** A menu button: opens an entry (or, later, starts a task). */
export interface MenuItem {
  readonly title: Bilingual;
  readonly target: string;
}

export interface UiText {
  /** Every UI string, both languages; placeholders are written {name}. */
  readonly strings: Readonly<Record<string, Bilingual>>;
  readonly menu: readonly MenuItem[];
}

/** A group of words and phrases that mean the same; the first is the canonical one. */
export type SynonymGroup = readonly string[];

export interface KnowledgeData {
  readonly entries: readonly QnaEntry[];
  readonly ui: UiText;
  readonly synonyms: readonly SynonymGroup[];
}

export type Severity = 'error' | 'warning';

/** One thing wrong (or worth a look) in the knowledge files, with its position. */
export interface Problem {
  readonly file: string;
  readonly line: number;
  readonly col: number;
  readonly severity: Severity;
  readonly message: string;
}

export function formatProblem(p: Problem): string {
  return `${p.file}:${p.line}:${p.col} ${p.severity}: ${p.message}`;
}
