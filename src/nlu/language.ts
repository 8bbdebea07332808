/**
 * Which language a message is written in. The text wins when it is clear; otherwise the
 * channel's locale (nl* → Dutch, en* → English); otherwise Dutch.
 */
import type { Lang } from '../knowledge/types';
import { LANGUAGES } from './lang';

export interface LanguageGuess {
  readonly lang: Lang;
  readonly by: 'text' | 'locale' | 'default';
  readonly scores: Readonly<Record<Lang, number>>;
}

/** Words that only one language's knowledge uses (Dutch questions and answers vs English ones). */
export interface LanguageVocabulary {
  readonly only: Readonly<Record<Lang, ReadonlySet<string>>>;
}

const shared = new Set([...LANGUAGES.nl.markers].filter((w) => LANGUAGES.en.markers.has(w)));
const MARKERS: Readonly<Record<Lang, ReadonlySet<string>>> = {
  nl: new Set([...LANGUAGES.nl.markers].filter((w) => !shared.has(w))),
  en: new Set([...LANGUAGES.en.markers].filter((w) => !shared.has(w))),
};

/** How far ahead one language must be for the text to decide. */
const CLEAR_MARGIN = 1;

export function localeLanguage(locale: string | undefined | null): Lang | null {
  if (!locale || typeof locale !== 'string') return null;
  const l = locale.trim().toLowerCase();
  if (l.startsWith('nl')) return 'nl';
  if (l.startsWith('en')) return 'en';
  return null;
}

export function detectLanguage(tokens: readonly string[], locale?: string | null, vocabulary?: LanguageVocabulary): LanguageGuess {
  const scores: Record<Lang, number> = { nl: 0, en: 0 };
  for (const t of tokens) {
    for (const lang of ['nl', 'en'] as const) {
      if (MARKERS[lang].has(t)) scores[lang] += 1;
      else if (vocabulary?.only[lang].has(t)) scores[lang] += t.length >= 6 ? 0.75 : 0.5;
    }
  }
  const diff = scores.nl - scores.en;
  if (Math.abs(diff) >= CLEAR_MARGIN) return { lang: diff > 0 ? 'nl' : 'en', by: 'text', scores };
  const fromLocale = localeLanguage(locale);
  if (fromLocale) return { lang: fromLocale, by: 'locale', scores };
  if (diff !== 0) return { lang: diff > 0 ? 'nl' : 'en', by: 'text', scores };
  return { lang: 'nl', by: 'default', scores };
}
