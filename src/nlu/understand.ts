/**
 * understand(text, locale, previous turn): the matcher's decision, the entities, the target it
 * reached (an entry, a task or a record), and — for a short follow-up that only changes a detail
 * ("en in Limburg?", "and for robots?", "hoe vraag ik dat aan?") — how it continues the previous turn.
 */
import type { CompanySize, ProgramNeed, ProvinceId, TaskId } from '../knowledge/types';
import type { Entities } from './entities';
import type { PreparedKnowledge, TargetKind } from './knowledgeIndex';
import type { MatchResult } from './matcher';
import { normalize, tokenize } from './normalize';
import { isStopword } from './analyzer';

export interface Target {
  readonly kind: TargetKind;
  readonly id: string;
}

/** What the conversation knows so far (what the user said: not asked again). */
export interface Slots {
  province?: ProvinceId;
  placeName?: string;
  themes?: string[];
  size?: CompanySize;
  need?: ProgramNeed;
}

/** What the previous turn was about. */
export interface PreviousTurn {
  readonly target: Target;
  readonly query: string;
}

export type Aspect = 'apply' | 'amount' | 'where' | 'contact';

export type FollowUp =
  /** The same task again with a detail changed. */
  | { readonly type: 'task'; readonly task: TaskId; readonly changed: readonly (keyof Slots)[] }
  /** One aspect of the record the previous turn was about. */
  | { readonly type: 'aspect'; readonly target: Target; readonly aspect: Aspect };

export interface Understanding {
  readonly match: MatchResult;
  readonly entities: Entities;
  /** Where the message leads when the matcher decided to answer. */
  readonly target: Target | null;
  readonly followUp: FollowUp | null;
}

const CONTINUATION = /^(en|and|ook|also|of|or|maar|but|what about|how about|hoe zit het met|wat dacht je van|en wat als|what if|en voor|and for|en in|and in|en bij|en rond)\b/;
const PRONOUN = /\b(dat|die|deze|dit|het|daarvoor|ervoor|hiervoor|daar|it|that|this|these|those|them|they|there)\b/;
const ASPECTS: ReadonlyArray<[Aspect, RegExp]> = [
  ['apply', /\b(aanvragen|aanvraag|vraag\w* .*aan|indienen|apply|application|sign up|aanmelden|hoe kom ik|how do i get)\b/],
  ['amount', /\b(hoeveel|bedrag|bedragen|kost|kosten|hoog|how much|amount|amounts|percentage|maximum|max)\b/],
  ['where', /\b(waar|where|adres|address|locatie|location)\b/],
  ['contact', /\b(contact|bellen|mailen|e-?mail|telefoon|call|phone|website|site)\b/],
];
/** Scores this close count as a tie between a record and something more general. */
const NEAR_TIE = 0.05;

const SLOT_TASKS: ReadonlySet<string> = new Set(['find-fieldlab', 'check-programs', 'talk-to-person']);

function contentWords(normalized: string): string[] {
  return tokenize(normalized).filter((t) => !isStopword(t) && !/^\d+$/.test(t));
}

/** The slots a message fills. */
export function slotsOf(e: Entities): Slots {
  const s: Slots = {};
  if (e.province) {
    s.province = e.province;
    s.placeName = e.places[0]?.name;
  }
  if (e.themes.length) s.themes = [...e.themes];
  if (e.size) s.size = e.size.size;
  const needs = e.needs.length > 1 ? e.needs.filter((n) => n !== 'support') : e.needs;
  if (needs.length) s.need = needs[0];
  return s;
}

function followUpOf(text: string, entities: Entities, previous: PreviousTurn | null | undefined): FollowUp | null {
  if (!previous) return null;
  const normalized = normalize(text);
  const words = contentWords(normalized);
  if (words.length > 6) return null;
  const slots = slotsOf(entities);
  const changed = (Object.keys(slots) as (keyof Slots)[]).filter((k) => k !== 'placeName');
  const continuation = CONTINUATION.test(normalized);
  if (previous.target.kind === 'task' && SLOT_TASKS.has(previous.target.id) && changed.length) {
    // "en in Limburg?", "and for robots?", or just "Limburg?" after a referral.
    const entityWords = new Set(tokenize(normalize([...entities.places.map((p) => p.text), ...entities.themes].join(' '))));
    const rest = words.filter((w) => !entityWords.has(w));
    if (continuation || rest.length <= 2) return { type: 'task', task: previous.target.id as TaskId, changed };
  }
  const namesOther = [...entities.programs, ...entities.organisations, ...entities.fieldlabs].some((id) => id !== previous.target.id);
  if ((previous.target.kind === 'program' || previous.target.kind === 'fieldlab' || previous.target.kind === 'organisation') && !namesOther) {
    if (PRONOUN.test(normalized) || continuation || words.length <= 2) {
      for (const [aspect, re] of ASPECTS) if (re.test(normalized)) return { type: 'aspect', target: previous.target, aspect };
    }
  }
  return null;
}

export function understand(prepared: PreparedKnowledge, text: string, locale: string | undefined, previous?: PreviousTurn | null): Understanding {
  const match = prepared.matcher.match(text, { locale });
  const entities = prepared.entities.recognize(text);
  const followUp = followUpOf(text, entities, previous);
  let target: Target | null = null;
  if (match.decision === 'answer' && match.best) {
    target = { kind: prepared.kinds.get(match.best.id) ?? 'entry', id: match.best.id };
  }
  // A record named outright ("wat doet InnovationQuarter?") beats a general entry that scores the
  // same; a record that is not named ("Field Lab Robotics" for "fieldlab voor robotica") loses a
  // close call to the task that searches all of them.
  const named = [...entities.programs, ...entities.organisations, ...entities.fieldlabs];
  const best = match.best ?? match.candidates[0];
  const near = (id: string) => best !== undefined && match.candidates.some((c) => c.id === id && best.score - c.score <= NEAR_TIE);
  const namedClose = match.candidates.find((c) => named.includes(c.id) && near(c.id));
  if (namedClose && (match.decision !== 'fallback' || namedClose.score >= 0.5)) {
    target = { kind: prepared.kinds.get(namedClose.id)!, id: namedClose.id };
  } else if (best && match.decision !== 'fallback' && near('find-fieldlab')) {
    const rivals = match.candidates.filter((c) => near(c.id) && c.id !== 'find-fieldlab');
    if (rivals.every((c) => prepared.kinds.get(c.id) === 'fieldlab' && !named.includes(c.id))) target = { kind: 'task', id: 'find-fieldlab' };
  }
  return { match, entities, target, followUp };
}
