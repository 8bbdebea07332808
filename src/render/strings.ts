/**
 * UI texts come from knowledge/ui.yaml (the editors' wording); this fills in {placeholders}.
 */
import type { Bilingual, Lang, UiText } from '../knowledge/types';

/** The keys of ui.yaml that the code uses; knowledge/schemas/ui.schema.json requires each of them. */
export const UI_KEYS = [
  'welcome', 'fallback', 'help', 'apology', 'empty', 'tooLong', 'attachmentOnly', 'didYouMean',
  'noneOfThese', 'noneOfTheseReply', 'relatedTitle', 'feedbackUp', 'feedbackDown',
  'feedbackThanksUp', 'feedbackThanksDown', 'factsYearNote', 'sourcesTitle', 'menuTitle',
  'unknownButton', 'and', 'programClosed', 'programOpenUntil', 'programNextWindow',
  'programOpenContinuous', 'programVaries', 'programRecurring', 'amountUncertain', 'amountOld',
  'programOfficialPage', 'programNoOfficialPage', 'programConditions', 'programAmounts',
  'programNoAmounts', 'programHowToApply', 'programFactsYear', 'officialPageButton',
  'checkProgramsButton', 'moreAboutButton', 'programWhy', 'reasonNeed', 'reasonSize',
  'reasonRegion', 'reasonSizeUnknown', 'reasonRegionUnknown', 'size_micro', 'size_small',
  'size_medium', 'size_large', 'programsIntro', 'programsNone', 'yourRegionalAgency',
  'programsDisclaimer', 'fieldlabNotConfirmed', 'fieldlabListedByHub', 'fieldlabNational',
  'fieldlabSourceYear', 'websiteButton', 'fieldlabCheck', 'theNetherlands', 'anyThemeShort',
  'fieldlabsIntro', 'fieldlabsIntroTheme', 'fieldlabsIntroPlace', 'fieldlabsOutsideRegion',
  'fieldlabsNoTheme', 'fieldlabsCheck', 'fieldlabsAskRegion', 'nameNotConfirmed', 'contactsIntro',
  'contactsNone', 'handoffDone', 'askTheme', 'retryTheme', 'anyTheme', 'askPlace', 'retryPlace',
  'anyPlace', 'askSize', 'retrySize', 'askNeed', 'retryNeed', 'retryScore', 'wayOut', 'cancelled',
  'restarted', 'scanIntro', 'scanPrevious', 'scanStatement', 'scanResult', 'scanChange',
  'scanWeakest', 'scanSteps', 'storageDown',
] as const;
export type UiKey = (typeof UI_KEYS)[number];

export function fill(template: string, vars: Readonly<Record<string, string | number>> = {}): string {
  return template.replace(/\{(\w+)\}/g, (m, name: string) => (name in vars ? String(vars[name]) : m));
}

export function uiText(ui: UiText, key: UiKey, lang: Lang, vars?: Readonly<Record<string, string | number>>): string {
  const t: Bilingual | undefined = ui.strings[key];
  return fill((t?.[lang] ?? key).trim(), vars);
}
