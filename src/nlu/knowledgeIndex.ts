/**
 * What the bot needs of one knowledge snapshot, built once when the snapshot loads: the matcher
 * over every entry's questions and a lookup by id.
 */
import type { KnowledgeData, QnaEntry } from '../knowledge/types';
import { Matcher, type MatchDoc, type Thresholds } from './matcher';

export interface PreparedKnowledge {
  readonly matcher: Matcher;
  readonly byId: ReadonlyMap<string, QnaEntry>;
}

export function entryDocs(data: KnowledgeData): MatchDoc[] {
  return data.entries.map((e) => ({
    id: e.id,
    questions: {
      nl: e.title.nl === e.questions.nl[0] ? e.questions.nl : [...e.questions.nl, e.title.nl],
      en: e.title.en === e.questions.en[0] ? e.questions.en : [...e.questions.en, e.title.en],
    },
    context: e.answer,
  }));
}

export function prepareKnowledge(data: KnowledgeData, thresholds: Thresholds): PreparedKnowledge {
  return {
    matcher: new Matcher(entryDocs(data), data.synonyms, thresholds),
    byId: new Map(data.entries.map((e) => [e.id, e])),
  };
}
