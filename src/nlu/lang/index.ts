import type { Lang } from '../../knowledge/types';
import { dutch } from './nl';
import { english } from './en';
import type { LanguageModule } from './types';

export type { LanguageModule } from './types';

export const LANGUAGES: Readonly<Record<Lang, LanguageModule>> = Object.freeze({ nl: dutch, en: english });
