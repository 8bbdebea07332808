/**
 * The pieces of information the tasks ask for — theme, place, company size, kind of project,
 * quick-scan score — each with its question (a card with buttons) and its recognizer (a button's
 * value or the typed text, through the entity recognizer).
 */
import type { TurnContext } from 'botbuilder';
import type { CompanySize, ProgramNeed, ProvinceId } from '../src/knowledge/types';
import { sizeOf } from '../src/nlu/entities';
import { normalize } from '../src/nlu/normalize';
import { slotsOf } from '../src/nlu/understand';
import { actionSet, card, numberedOptions, outgoing, submit, textBlock, type OutgoingMessage } from '../src/render/cards';
import type { RenderContext } from '../src/render/messages';
import { uiText, type UiKey } from '../src/render/strings';
import { getTurnRequest } from './turnRequest';

export type SlotName = 'theme' | 'place' | 'size' | 'need' | 'score';

export interface PlaceAnswer {
  readonly province: ProvinceId | null;
  readonly placeName?: string;
}

const ANY = /\b(maakt (me )?niet uit|geen voorkeur|alles|allemaal|om het even|heel nederland|overal|landelijk|any|anything|anywhere|no preference|doesn'?t matter|whole country|nationwide|all of them)\b/;
const MICRO_WORDS = /\b(zzp|zzp'?er|eenmanszaak|alleen ik|in mijn eentje|freelancer|self-?employed|just me|one-man|sole trader)\b/;
const SIZES: readonly CompanySize[] = ['micro', 'small', 'medium', 'large'];

/** The value of a "slot" button for this slot, if the message came from one. */
function buttonValue(context: TurnContext, slot: SlotName): string | undefined {
  const v = getTurnRequest(context).value as { sia?: unknown; slot?: unknown; value?: unknown } | undefined;
  return v && v.sia === 'slot' && v.slot === slot && typeof v.value === 'string' ? v.value : undefined;
}

function typed(context: TurnContext): string {
  return getTurnRequest(context).text;
}

export function recognizeThemes(context: TurnContext): string[] | undefined {
  const request = getTurnRequest(context);
  const b = buttonValue(context, 'theme');
  if (b !== undefined) return b === 'any' ? [] : request.snapshot.data.themes.some((t) => t.id === b) ? [b] : undefined;
  const text = typed(context);
  if (!text) return undefined;
  const themes = request.snapshot.prepared.entities.recognize(text).themes;
  if (themes.length) return [...themes];
  return ANY.test(normalize(text)) ? [] : undefined;
}

export function recognizePlace(context: TurnContext): PlaceAnswer | undefined {
  const request = getTurnRequest(context);
  const b = buttonValue(context, 'place');
  if (b !== undefined) {
    if (b === 'any') return { province: null };
    const p = request.snapshot.data.provinces.find((x) => x.id === b);
    return p ? { province: p.id, placeName: p.name[request.lang] } : undefined;
  }
  const text = typed(context);
  if (!text) return undefined;
  const e = request.snapshot.prepared.entities.recognize(text);
  if (e.province) return { province: e.province, placeName: e.places[0]?.name };
  return ANY.test(normalize(text)) ? { province: null } : undefined;
}

export function recognizeSize(context: TurnContext): CompanySize | undefined {
  const request = getTurnRequest(context);
  const b = buttonValue(context, 'size');
  if (b !== undefined) return (SIZES as readonly string[]).includes(b) ? (b as CompanySize) : undefined;
  const text = typed(context);
  if (!text) return undefined;
  const e = request.snapshot.prepared.entities.recognize(text);
  if (e.size) return e.size.size;
  const normalized = normalize(text);
  const bare = /^\D{0,30}?(\d{1,6})\D{0,30}$/.exec(normalized);
  if (bare && Number(bare[1]) > 0) return sizeOf(Number(bare[1]));
  return MICRO_WORDS.test(normalized) ? 'micro' : undefined;
}

export function recognizeNeed(context: TurnContext): ProgramNeed | undefined {
  const request = getTurnRequest(context);
  const b = buttonValue(context, 'need');
  if (b !== undefined) return request.snapshot.data.needs.some((n) => n.id === b) ? (b as ProgramNeed) : undefined;
  const text = typed(context);
  if (!text) return undefined;
  return slotsOf(request.snapshot.prepared.entities.recognize(text)).need;
}

export function recognizeScore(context: TurnContext): number | undefined {
  const request = getTurnRequest(context);
  const b = buttonValue(context, 'score');
  const raw = b ?? typed(context);
  if (!raw) return undefined;
  const normalized = normalize(raw);
  const digit = /^\D{0,10}([1-5])\D{0,10}$/.exec(normalized);
  if (digit) return Number(digit[1]);
  const scale = request.snapshot.data.quickScan.scale;
  for (const labels of [scale.nl, scale.en]) {
    const i = labels.findIndex((l) => normalize(l) === normalized);
    if (i >= 0) return i + 1;
  }
  return undefined;
}

// ---------------------------------------------------------------- the questions

function question(ctx: RenderContext, text: string, buttons: { title: string; value: string }[], slot: SlotName): OutgoingMessage {
  const actions = buttons.map((b) => submit(b.title, { sia: 'slot', slot, value: b.value, lang: ctx.lang }));
  return outgoing(ctx.lang, text, { inputHint: 'expectingInput', attachments: [card([actionSet(actions)], numberedOptions(text, buttons.map((b) => b.title)))] });
}

function t(ctx: RenderContext, key: UiKey, vars?: Record<string, string | number>): string {
  return uiText(ctx.data.ui, key, ctx.lang, vars);
}

export function themeQuestion(ctx: RenderContext, retry = false): OutgoingMessage {
  const themes = ctx.data.themes.filter((x) => x.choice).map((x) => ({ title: x.name[ctx.lang], value: x.id }));
  return question(ctx, t(ctx, retry ? 'retryTheme' : 'askTheme'), [...themes, { title: t(ctx, 'anyTheme'), value: 'any' }], 'theme');
}

export function placeQuestion(ctx: RenderContext, retry = false): OutgoingMessage {
  const provinces = ctx.data.provinces.map((p) => ({ title: p.name[ctx.lang], value: p.id }));
  return question(ctx, t(ctx, retry ? 'retryPlace' : 'askPlace'), [...provinces, { title: t(ctx, 'anyPlace'), value: 'any' }], 'place');
}

export function sizeQuestion(ctx: RenderContext, retry = false): OutgoingMessage {
  return question(ctx, t(ctx, retry ? 'retrySize' : 'askSize'), SIZES.map((s) => ({ title: t(ctx, `size_${s}` as UiKey), value: s })), 'size');
}

export function needQuestion(ctx: RenderContext, retry = false): OutgoingMessage {
  const needs = ctx.data.needs.filter((n) => n.choice).map((n) => ({ title: n.name[ctx.lang], value: n.id }));
  return question(ctx, t(ctx, retry ? 'retryNeed' : 'askNeed'), needs, 'need');
}

export function scoreQuestion(ctx: RenderContext, n: number, total: number, statement: string, retry = false): OutgoingMessage {
  const labels = ctx.data.quickScan.scale[ctx.lang];
  const text = t(ctx, 'scanStatement', { n, total, text: statement });
  const m = question(ctx, retry ? `${t(ctx, 'retryScore')}\n\n${text}` : text, labels.map((l, i) => ({ title: `${i + 1} · ${l}`, value: String(i + 1) })), 'score');
  return { ...m, attachments: [card([textBlock(statement, { weight: 'Bolder' }), ...(m.attachments![0]!.content.body as object[])], m.attachments![0]!.content.fallbackText)] };
}
