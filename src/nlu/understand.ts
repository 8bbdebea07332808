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
/** Scores this close count as a tie. */
const NEAR_TIE = 0.05;

/** Private life without business, or more like outofscope.yaml's examples than like any entry's
 * questions: no record named in passing ("een kia niro") and no task routing ("subsidie" for
 * one's own roof) overrides the matcher's decision. */
function notOurs(match: MatchResult): boolean {
  return match.privateContext !== null || match.notOurs >= 0.5;
}

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
  // A record named outright ("wat doet InnovationQuarter?", "wbso aanvraag") is what the message
  // is about — when it is the only one named and the matcher found it too. A fieldlab record that
  // is not named ("Field Lab Robotics" for "fieldlab voor robotica") loses a close call to the task
  // that searches all of them.
  const named = [...entities.programs, ...entities.organisations, ...entities.fieldlabs];
  const best = match.best ?? match.candidates[0];
  const near = (id: string) => best !== undefined && match.candidates.some((c) => c.id === id && best.score - c.score <= NEAR_TIE);
  const namedFound = named.length === 1 ? match.candidates.find((c) => c.id === named[0]) : undefined;
  if (namedFound && !notOurs(match)) {
    target = { kind: prepared.kinds.get(namedFound.id)!, id: namedFound.id };
  } else if (best && match.decision !== 'fallback') {
    const tasks = match.candidates.filter((c) => prepared.kinds.get(c.id) === 'task' && near(c.id));
    const rivals = match.candidates.filter((c) => near(c.id) && !tasks.includes(c));
    // On a tie a task wins from entries about the same thing ("doe de scan" ~ digital maturity).
    if (tasks.length === 1 && rivals.every((c) => prepared.kinds.get(c.id) !== 'task' && !named.includes(c.id))) target = { kind: 'task', id: tasks[0]!.id };
  }
  target = route(target, match, entities, normalize(text));
  return { match, entities, target, followUp };
}

/** Entries about who helps: with a province named, the bot names the people in that province. */
const REGIONAL_ENTRIES: ReadonlySet<string> = new Set(['who-can-help', 'rom-what', 'edih-what']);
/** Words that ask for a place to see or try something. */
const LAB = /\b(fieldlabs?|field labs?|labs?|testlab\w*|proeftuin\w*|proeffabriek\w*|demo\w*|uitproberen|uit te proberen|bezoeken|langsgaan|testomgeving|try out|visit|see \w+ in action|showroom)\b/;

/** Entries that give an overview of funding and help: a question for them is not a program check. */
const OVERVIEW_ENTRIES: ReadonlySet<string> = new Set(['funding-overview', 'who-can-help', 'rom-what', 'edih-what']);

/** Words that ask for money: with a kind of project named, the bot checks the programs. */
const FUNDING = /\b(subsidie\w*|regeling\w*|lening\w*|krediet\w*|financiering\w*|fiscale?|aftrek\w*|belasting\w*|geld|grants?|subsid\w*|loans?|financ\w*|tax|deduction\w*|schemes?|allowances?|funding)\b/;

/**
 * Where the bot's tasks serve a message better than the entry it matched: "wie kan mij helpen in
 * Limburg" is a referral, "subsidie voor het opleiden van personeel" a program check.
 */
function route(target: Target | null, match: MatchResult, entities: Entities, normalized: string): Target | null {
  if (notOurs(match)) return target;
  const slots = slotsOf(entities);
  const namesRecord = entities.programs.length + entities.organisations.length + entities.fieldlabs.length > 0;
  if (namesRecord && target && target.kind !== 'entry' && target.kind !== 'task') return target;
  // "waar kan ik X uitproberen in Y", "testlab voor Z bij Delft": a search for a lab.
  if (!namesRecord && (entities.province || slots.themes) && LAB.test(normalized) && target?.kind !== 'task' && match.candidates.some((c) => c.id === 'find-fieldlab')) {
    return { kind: 'task', id: 'find-fieldlab' };
  }
  // A topic entry that only shares the project's words ("training") gives way; the overview
  // entries about funding and help stay.
  const targetScore = match.candidates.find((c) => c.id === target?.id)?.score ?? 0;
  const yields = target === null || (target.kind === 'entry' && !OVERVIEW_ENTRIES.has(target.id) && targetScore < 0.8);
  if (!namesRecord && slots.need && FUNDING.test(normalized) && yields) {
    return { kind: 'task', id: 'check-programs' };
  }
  const best = target?.id ?? (match.decision === 'disambiguate' ? match.choices[0]?.id : undefined);
  if (!namesRecord && entities.province && best && REGIONAL_ENTRIES.has(best)) return { kind: 'task', id: 'talk-to-person' };
  return target;
}
