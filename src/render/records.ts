/**
 * Messages built from the structured records: programs (with dated amounts and official links),
 * fieldlab suggestions (one card per lab), regional contacts, and the results of the program
 * check and the quick scan. Every fact is shown with its year; unconfirmed labs and uncertain
 * figures say so; closed programs are never presented as open.
 */
import type { FieldlabAdvice } from '../advice/fieldlabs';
import type { ProgramAdvice, ProgramFit, Reason } from '../advice/programs';
import type { RegionalContacts } from '../advice/regions';
import type { ScanResult } from '../advice/quickscan';
import type { CompanySize, Fieldlab, Organisation, Program, ProvinceId } from '../knowledge/types';
import { uiText, type UiKey } from './strings';
import {
  actionSet,
  card,
  numberedOptions,
  outgoing,
  submit,
  textBlock,
  type Attachment,
  type ButtonValue,
  type CardAction,
  type OutgoingMessage,
} from './cards';
import type { RenderContext } from './messages';
import { plainText } from './markup';

type Vars = Record<string, string | number>;

function t(ctx: RenderContext, key: UiKey, vars?: Vars): string {
  return uiText(ctx.data.ui, key, ctx.lang, vars);
}

function openUrl(title: string, url: string): CardAction {
  return { type: 'Action.OpenUrl', title: plainText(title), url };
}

export function provinceName(ctx: RenderContext, id: ProvinceId | null | undefined): string {
  if (!id) return '';
  return ctx.data.provinces.find((p) => p.id === id)?.name[ctx.lang] ?? id;
}

export function themeName(ctx: RenderContext, id: string): string {
  return ctx.data.themes.find((x) => x.id === id)?.name[ctx.lang] ?? id;
}

function needName(ctx: RenderContext, id: string): string {
  return ctx.data.needs.find((n) => n.id === id)?.name[ctx.lang] ?? id;
}

function sizeName(ctx: RenderContext, size: CompanySize): string {
  return t(ctx, `size_${size}` as UiKey);
}

function message(ctx: RenderContext, text: string, attachments: Attachment[] = [], layout?: 'carousel' | 'list'): OutgoingMessage {
  return outgoing(ctx.lang, text, { attachments, layout });
}

function feedbackSet(ctx: RenderContext, id: string): object {
  return actionSet(
    [
      submit(t(ctx, 'feedbackUp'), { sia: 'feedback', id, vote: 'up', lang: ctx.lang }),
      submit(t(ctx, 'feedbackDown'), { sia: 'feedback', id, vote: 'down', lang: ctx.lang }),
    ],
    true,
  );
}

// ---------------------------------------------------------------- programs

function statusLine(ctx: RenderContext, p: Program, fit?: ProgramFit): string {
  if (p.status === 'closed') return t(ctx, 'programClosed', { name: p.name[ctx.lang] });
  if (fit?.openNow === 'open' && fit.window) return t(ctx, 'programOpenUntil', { date: fit.window.closes });
  if (fit?.openNow === 'window-closed' && fit.window) return t(ctx, 'programNextWindow', { opens: fit.window.opens, closes: fit.window.closes });
  if (p.status === 'open-continuous') return t(ctx, 'programOpenContinuous');
  if (p.status === 'varies') return t(ctx, 'programVaries');
  return t(ctx, 'programRecurring');
}

/** The most recent amounts (the two latest years, at most four lines), each with its year. */
export function amountLines(ctx: RenderContext, p: Program, now = new Date()): string[] {
  const years = [...new Set(p.amounts.map((a) => a.year))].sort((a, b) => b - a).slice(0, 2);
  const recent = p.amounts.filter((a) => years.includes(a.year)).sort((a, b) => b.year - a.year).slice(0, 4);
  return recent.map((a) => {
    const year = a.yearNote ?? String(a.year);
    const flags: string[] = [];
    if (a.uncertain) flags.push(t(ctx, 'amountUncertain'));
    else if (a.year < now.getFullYear()) flags.push(t(ctx, 'amountOld', { year: a.year }));
    return `- ${a.what[ctx.lang]}: **${a.value[ctx.lang]}** (${year})${flags.length ? ` — ${flags.join('; ')}` : ''}`;
  });
}

function officialPointer(ctx: RenderContext, p: Program): string {
  return p.officialUrl ? t(ctx, 'programOfficialPage', { url: p.officialUrl }) : t(ctx, 'programNoOfficialPage', { who: p.administeredBy[ctx.lang] });
}

/** Everything about one program, asked about directly ("Wat is WBSO?", "MIT haalbaarheid hoeveel?"). */
export function programMessage(ctx: RenderContext, p: Program): OutgoingMessage {
  const L = ctx.lang;
  const parts = [`**${p.name[L]}**`, statusLine(ctx, p), p.funds[L]];
  if (p.status !== 'closed') {
    parts.push(`${t(ctx, 'programConditions')}\n${p.eligibility.conditions[L].map((c) => `- ${c}`).join('\n')}`);
    const amounts = amountLines(ctx, p);
    if (amounts.length) parts.push(`${t(ctx, 'programAmounts')}\n${amounts.join('\n')}`);
    parts.push(`${t(ctx, 'programHowToApply')} ${p.howToApply[L]}`);
  }
  if (p.caveats) parts.push(`_${p.caveats[L]}_`);
  parts.push(officialPointer(ctx, p));
  parts.push(t(ctx, 'programFactsYear', { year: p.asOf }));
  const actions: CardAction[] = [];
  if (p.officialUrl) actions.push(openUrl(t(ctx, 'officialPageButton'), p.officialUrl));
  actions.push(submit(t(ctx, 'checkProgramsButton'), { sia: 'open', id: 'check-programs', lang: L }));
  return message(ctx, parts.join('\n\n'), [card([actionSet(actions), feedbackSet(ctx, p.id)], numberedOptions(p.name[L], actions.map((a) => a.title)))]);
}

/** One aspect of a program asked about in a follow-up ("hoe vraag ik dat aan?"). */
export function programAspectMessage(ctx: RenderContext, p: Program, aspect: 'apply' | 'amount' | 'where' | 'contact'): OutgoingMessage {
  const L = ctx.lang;
  const name = `**${p.name[L]}**`;
  if (p.status === 'closed') return message(ctx, `${name}\n\n${statusLine(ctx, p)}`);
  let body: string;
  if (aspect === 'amount') {
    const amounts = amountLines(ctx, p);
    body = amounts.length ? `${t(ctx, 'programAmounts')}\n${amounts.join('\n')}` : t(ctx, 'programNoAmounts');
  } else if (aspect === 'apply') {
    body = `${t(ctx, 'programHowToApply')} ${p.howToApply[L]}\n\n${statusLine(ctx, p)}`;
  } else {
    body = `${p.administeredBy[L]}`;
  }
  const actions: CardAction[] = p.officialUrl ? [openUrl(t(ctx, 'officialPageButton'), p.officialUrl)] : [];
  return message(ctx, `${name}\n\n${body}\n\n${officialPointer(ctx, p)}`, actions.length ? [card([actionSet(actions)], numberedOptions(p.name[L], actions.map((a) => a.title)))] : []);
}

function reasonText(ctx: RenderContext, r: Reason): string {
  switch (r.kind) {
    case 'need':
      return t(ctx, 'reasonNeed', { need: needName(ctx, r.need) });
    case 'size':
      return t(ctx, 'reasonSize', { size: sizeName(ctx, r.size) });
    case 'region':
      return t(ctx, 'reasonRegion', { province: provinceName(ctx, r.province) });
    case 'size-unknown':
      return t(ctx, 'reasonSizeUnknown', { sizes: r.sizes.map((s) => sizeName(ctx, s)).join(', ') });
    case 'region-unknown':
      return t(ctx, 'reasonRegionUnknown', { provinces: r.provinces.map((p) => provinceName(ctx, p)).join(', ') });
  }
}

/** The program check's result: fitting programs with why, conditions, dated amounts, links. */
export function programAdviceMessages(ctx: RenderContext, advice: ProgramAdvice, profile: { need: string | null; size: CompanySize | null; province: ProvinceId | null }, contacts: RegionalContacts | null): OutgoingMessage[] {
  const L = ctx.lang;
  const out: OutgoingMessage[] = [];
  const about = [profile.need ? needName(ctx, profile.need) : null, profile.size ? sizeName(ctx, profile.size) : null, profile.province ? provinceName(ctx, profile.province) : null].filter(Boolean).join(', ');
  if (!advice.fits.length) {
    out.push(message(ctx, t(ctx, 'programsNone', { about })));
  } else {
    out.push(message(ctx, t(ctx, 'programsIntro', { about })));
    const cards = advice.fits.slice(0, 6).map((fit) => {
      const p = fit.program;
      const lines = [
        textBlock(p.name[L], { weight: 'Bolder', size: 'Medium' }),
        textBlock(statusLine(ctx, p, fit), { isSubtle: true }),
        textBlock(`${t(ctx, 'programWhy')} ${fit.reasons.map((r) => reasonText(ctx, r)).join('; ')}`),
        textBlock(`${t(ctx, 'programConditions')} ${p.eligibility.conditions[L].slice(0, 2).join(' ')}`),
        ...amountLines(ctx, p).slice(0, 2).map((a) => textBlock(a.replace(/^- /, '').replace(/\*\*/g, ''))),
      ];
      const actions: CardAction[] = [];
      if (p.officialUrl) actions.push(openUrl(t(ctx, 'officialPageButton'), p.officialUrl));
      actions.push(submit(t(ctx, 'moreAboutButton'), { sia: 'open', id: p.id, lang: L }));
      const fallback = [p.name[L], statusLine(ctx, p, fit), ...amountLines(ctx, p).slice(0, 2)].join('\n');
      return card([...lines, actionSet(actions)], fallback);
    });
    out.push(message(ctx, '', cards, 'carousel'));
  }
  if (advice.closed.length) out.push(message(ctx, advice.closed.map((p) => t(ctx, 'programClosed', { name: p.name[L] })).join('\n\n')));
  const who = contacts?.rom ? contacts.rom.name[L] : t(ctx, 'yourRegionalAgency');
  out.push(message(ctx, t(ctx, 'programsDisclaimer', { rom: who })));
  return out;
}

// ---------------------------------------------------------------- fieldlabs

function statusNote(ctx: RenderContext, f: Fieldlab): string | null {
  if (f.status === 'not_confirmed') return t(ctx, 'fieldlabNotConfirmed');
  if (f.status === 'listed_by_hub') return t(ctx, 'fieldlabListedByHub');
  return null;
}

function fieldlabPlace(ctx: RenderContext, f: Fieldlab): string {
  const province = provinceName(ctx, f.province);
  if (f.scope === 'national' && !f.province) return t(ctx, 'fieldlabNational');
  return [f.city, province].filter(Boolean).join(', ');
}

export function fieldlabCard(ctx: RenderContext, f: Fieldlab): Attachment {
  const L = ctx.lang;
  const note = statusNote(ctx, f);
  const body: object[] = [
    textBlock(f.name, { weight: 'Bolder', size: 'Medium' }),
    textBlock(fieldlabPlace(ctx, f), { isSubtle: true }),
    textBlock(f.themes.map((x) => themeName(ctx, x)).join(' · ')),
    textBlock(f.description[L]),
    ...(note ? [textBlock(note, { weight: 'Bolder' })] : []),
    textBlock(t(ctx, 'fieldlabSourceYear', { year: f.sourceYear }), { isSubtle: true }),
  ];
  const actions: CardAction[] = f.website ? [openUrl(t(ctx, 'websiteButton'), f.website)] : [];
  const fallback = [f.name, fieldlabPlace(ctx, f), f.description[L], note, f.website, t(ctx, 'fieldlabSourceYear', { year: f.sourceYear })].filter(Boolean).join('\n');
  return card(actions.length ? [...body, actionSet(actions)] : body, fallback);
}

export function fieldlabMessage(ctx: RenderContext, f: Fieldlab): OutgoingMessage {
  const att = fieldlabCard(ctx, f);
  return message(ctx, t(ctx, 'fieldlabCheck', { year: f.sourceYear }), [att, card([feedbackSet(ctx, f.id)], t(ctx, 'feedbackUp'))]);
}

export function fieldlabAdviceMessages(ctx: RenderContext, advice: FieldlabAdvice, request: { themes: readonly string[]; province: ProvinceId | null; placeName?: string }, contacts: RegionalContacts | null): OutgoingMessage[] {
  const place = request.placeName || provinceName(ctx, request.province);
  const theme = request.themes.map((x) => themeName(ctx, x)).join(', ');
  let intro: string;
  if (advice.noThemeMatch) intro = t(ctx, 'fieldlabsNoTheme', { theme, place: place || t(ctx, 'theNetherlands') });
  else if (advice.outsideRegion) intro = t(ctx, 'fieldlabsOutsideRegion', { theme: theme || t(ctx, 'anyThemeShort'), place });
  else if (theme && place) intro = t(ctx, 'fieldlabsIntro', { theme, place });
  else if (theme) intro = t(ctx, 'fieldlabsIntroTheme', { theme });
  else intro = t(ctx, 'fieldlabsIntroPlace', { place });
  const out: OutgoingMessage[] = [message(ctx, `${intro}\n\n${t(ctx, 'fieldlabsCheck')}`, advice.suggestions.map((s) => fieldlabCard(ctx, s.fieldlab)), 'carousel')];
  if (contacts) out.push(contactsMessage(ctx, contacts));
  else out.push(message(ctx, t(ctx, 'fieldlabsAskRegion')));
  return out;
}

// ---------------------------------------------------------------- organisations

function organisationLines(ctx: RenderContext, o: Organisation): string {
  const L = ctx.lang;
  const name = o.nameConfirmed ? o.name[L] : `${o.name[L]} (${t(ctx, 'nameNotConfirmed')})`;
  const contact = o.contact ? `\n${o.contact[L]}` : '';
  const web = o.website ? `\n${o.website}` : '';
  return `**${name}**\n${o.helpsWith[L]}${contact}${web}`;
}

export function organisationMessage(ctx: RenderContext, o: Organisation): OutgoingMessage {
  const actions: CardAction[] = o.website ? [openUrl(t(ctx, 'websiteButton'), o.website)] : [];
  return message(ctx, organisationLines(ctx, o), [card([...(actions.length ? [actionSet(actions)] : []), feedbackSet(ctx, o.id)], o.name[ctx.lang])]);
}

/** The regional development agency and the EDIH of a province: the humans to call. */
export function contactsMessage(ctx: RenderContext, c: RegionalContacts): OutgoingMessage {
  const orgs = [c.rom, c.edih].filter((o): o is Organisation => Boolean(o));
  const intro = t(ctx, 'contactsIntro', { province: provinceName(ctx, c.province) });
  if (!orgs.length) return message(ctx, `${intro}\n\n${t(ctx, 'contactsNone')}`);
  const actions = orgs.filter((o) => o.website).map((o) => openUrl(o.name[ctx.lang], o.website!));
  return message(ctx, [intro, ...orgs.map((o) => organisationLines(ctx, o))].join('\n\n'), actions.length ? [card([actionSet(actions)], numberedOptions(intro, actions.map((a) => a.title)))] : []);
}

// ---------------------------------------------------------------- quick scan

export function scanResultMessages(ctx: RenderContext, result: ScanResult, previous: ScanResult | null): OutgoingMessage[] {
  const L = ctx.lang;
  const dims = ctx.data.quickScan.dimensions;
  const name = (id: string) => dims.find((d) => d.id === id)?.name[L] ?? id;
  const lines = result.scores.map((s) => {
    const before = previous?.scores.find((p) => p.dimension === s.dimension);
    const change = before ? ` (${s.score >= before.score ? '+' : ''}${(s.score - before.score).toFixed(1)})` : '';
    return `- ${name(s.dimension)}: **${s.score.toFixed(1)}** / 5${change}`;
  });
  const weakest = result.weakest.map(name).join(` ${t(ctx, 'and')} `);
  const text = [t(ctx, 'scanResult'), lines.join('\n'), previous ? t(ctx, 'scanChange', { date: previous.date.slice(0, 10) }) : '', t(ctx, 'scanWeakest', { dimensions: weakest }), t(ctx, 'scanSteps')].filter(Boolean).join('\n\n');
  const actions: CardAction[] = result.steps.map((s) => {
    const data: ButtonValue = s.entry
      ? { sia: 'open', id: s.entry, lang: L }
      : s.theme
        ? { sia: 'open', id: 'find-fieldlab', lang: L, theme: s.theme }
        : { sia: 'open', id: 'check-programs', lang: L, need: s.need };
    return submit(s.text[L], data);
  });
  return [message(ctx, text, [card([actionSet(actions)], numberedOptions(t(ctx, 'scanSteps'), result.steps.map((s) => s.text[L])))])];
}

