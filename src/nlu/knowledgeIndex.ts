/**
 * What the bot needs of one knowledge snapshot, built once when the snapshot loads: the matcher
 * over everything it can reach (Q&A entries, tasks, programs, fieldlabs, organisations), the
 * entity recognizer, and lookups by id.
 */
import type { Fieldlab, KnowledgeData, Organisation, Program, QnaEntry, Task } from '../knowledge/types';
import { EntityRecognizer } from './entities';
import { Matcher, type MatchDoc, type Thresholds } from './matcher';

export type TargetKind = 'entry' | 'task' | 'program' | 'fieldlab' | 'organisation';

export interface PreparedKnowledge {
  readonly matcher: Matcher;
  readonly entities: EntityRecognizer;
  readonly byId: ReadonlyMap<string, QnaEntry>;
  readonly tasks: ReadonlyMap<string, Task>;
  readonly programs: ReadonlyMap<string, Program>;
  readonly fieldlabs: ReadonlyMap<string, Fieldlab>;
  readonly organisations: ReadonlyMap<string, Organisation>;
  /** What kind of thing every matchable id is. */
  readonly kinds: ReadonlyMap<string, TargetKind>;
  /** Everything the matcher can reach (also what the peers are trained on in `kb eval`). */
  readonly docs: readonly MatchDoc[];
}

/** A record's name without its explanation in brackets: "Aqua Dock (RDM Rotterdam)" → "Aqua Dock". */
function bare(name: string): string {
  return name.replace(/\s*\([^)]*\)\s*/g, ' ').trim() || name;
}

function withTitle(questions: readonly string[], title: string): readonly string[] {
  return questions.includes(title) ? questions : [...questions, title];
}

export function matchDocs(data: KnowledgeData): { docs: MatchDoc[]; kinds: Map<string, TargetKind> } {
  const kinds = new Map<string, TargetKind>();
  const docs: MatchDoc[] = [];
  for (const e of data.entries) {
    kinds.set(e.id, 'entry');
    docs.push({ id: e.id, questions: { nl: withTitle(e.questions.nl, e.title.nl), en: withTitle(e.questions.en, e.title.en) }, context: e.answer });
  }
  for (const t of data.tasks) {
    kinds.set(t.id, 'task');
    docs.push({ id: t.id, questions: { nl: withTitle(t.questions.nl, t.title.nl), en: withTitle(t.questions.en, t.title.en) } });
  }
  // Records are reached by their names: "wat is WBSO?", "RAMLAB", "wat doet de BOM?".
  for (const p of data.programs) {
    kinds.set(p.id, 'program');
    docs.push({ id: p.id, questions: { nl: [bare(p.name.nl), ...p.aliases], en: [bare(p.name.en), ...p.aliases] }, context: p.funds, names: true });
  }
  for (const f of data.fieldlabs) {
    kinds.set(f.id, 'fieldlab');
    docs.push({ id: f.id, questions: { nl: [bare(f.name), ...f.aliases], en: [bare(f.name), ...f.aliases] }, context: f.description, names: true });
  }
  for (const o of data.organisations) {
    if (o.kind === 'historical') continue;
    kinds.set(o.id, 'organisation');
    docs.push({ id: o.id, questions: { nl: [bare(o.name.nl), ...o.aliases], en: [bare(o.name.en), ...o.aliases] }, context: o.helpsWith, names: true });
  }
  return { docs, kinds };
}

export function prepareKnowledge(data: KnowledgeData, thresholds: Thresholds): PreparedKnowledge {
  const { docs, kinds } = matchDocs(data);
  const entities = new EntityRecognizer(data);
  return {
    matcher: new Matcher(docs, data.synonyms, thresholds, { placeNames: entities.placeNames, outOfScope: data.outOfScope }),
    entities,
    byId: new Map(data.entries.map((e) => [e.id, e])),
    tasks: new Map(data.tasks.map((t) => [t.id, t])),
    programs: new Map(data.programs.map((p) => [p.id, p])),
    fieldlabs: new Map(data.fieldlabs.map((f) => [f.id, f])),
    organisations: new Map(data.organisations.map((o) => [o.id, o])),
    kinds,
    docs,
  };
}
