/** The page's own texts (the bot's texts live in knowledge/ui.yaml). */
import type { Lang } from '../../knowledge/types';

export interface PageText {
  readonly locale: string;
  readonly productName: string;
  readonly title: string;
  readonly tagline: string;
  readonly languageNav: string;
  readonly chatRegion: string;
  readonly loading: string;
  readonly unavailable: string;
  readonly sendBoxLabel: string;
  readonly sendBoxPlaceholder: string;
  readonly openChat: string;
  readonly closeChat: string;
}

export const PAGE_TEXT: Readonly<Record<Lang, PageText>> = Object.freeze({
  nl: {
    locale: 'nl-NL',
    productName: 'Smart Industry Adviseur',
    title: 'Smart Industry Adviseur – digitaliseren in de maakindustrie',
    tagline: 'Antwoorden over digitalisering, fieldlabs en subsidies voor het mkb',
    languageNav: 'Taal',
    chatRegion: 'Chat met de Smart Industry Adviseur',
    loading: 'De chat wordt geladen…',
    unavailable: 'De chat is nu niet bereikbaar. Probeer het over een paar minuten opnieuw.',
    sendBoxLabel: 'Typ je vraag aan de Smart Industry Adviseur',
    sendBoxPlaceholder: 'Stel je vraag…',
    openChat: 'Chat met de Smart Industry Adviseur',
    closeChat: 'Chat sluiten',
  },
  en: {
    locale: 'en-US',
    productName: 'Smart Industry Advisor',
    title: 'Smart Industry Advisor – digitalisation in manufacturing',
    tagline: 'Answers on digitalisation, fieldlabs and funding for SMEs',
    languageNav: 'Language',
    chatRegion: 'Chat with the Smart Industry Advisor',
    loading: 'Loading the chat…',
    unavailable: 'The chat cannot be reached right now. Please try again in a few minutes.',
    sendBoxLabel: 'Type your question for the Smart Industry Advisor',
    sendBoxPlaceholder: 'Ask your question…',
    openChat: 'Chat with the Smart Industry Advisor',
    closeChat: 'Close chat',
  },
});

/**
 * The page's language: `?lang=nl|en` when given, otherwise English when the browser ranks
 * English above Dutch in Accept-Language, otherwise Dutch.
 */
export function pageLanguage(queryLang: unknown, acceptLanguage: string | undefined): Lang {
  if (queryLang === 'en' || queryLang === 'nl') return queryLang;
  let nl = -1;
  let en = -1;
  let position = 0;
  for (const part of (acceptLanguage ?? '').split(',')) {
    const [tag = '', ...params] = part.trim().toLowerCase().split(';');
    const q = params.map((p) => /^\s*q=([0-9.]+)\s*$/.exec(p)).find(Boolean);
    const weight = q ? Number(q[1]) : 1;
    if (!Number.isFinite(weight) || weight <= 0) continue;
    // Equal weights: the earlier tag wins, so subtract a little per position.
    const score = weight - position++ * 1e-6;
    const primary = tag.split('-')[0];
    if (primary === 'nl') nl = Math.max(nl, score);
    if (primary === 'en') en = Math.max(en, score);
  }
  return en > nl ? 'en' : 'nl';
}
