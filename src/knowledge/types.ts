/** Types of the knowledge base as the rest of the code sees it: plain, validated, read-only data. */

export type Lang = 'nl' | 'en';
export const LANGS: readonly Lang[] = ['nl', 'en'];

export interface Bilingual<T = string> {
  readonly nl: T;
  readonly en: T;
}

/** Where something was written, for editors' messages. */
export interface SourceRef {
  readonly file: string;
  readonly line: number;
}

export interface QnaEntry {
  readonly id: string;
  readonly topic: Bilingual;
  readonly title: Bilingual;
  readonly questions: Bilingual<readonly string[]>;
  readonly answer: Bilingual;
  readonly followUps: readonly string[];
  readonly tags: readonly string[];
  readonly sources: readonly string[];
  readonly factsYear?: number;
  readonly reviewed: string;
  readonly at: SourceRef;
}

/** A menu button: opens an entry (or, later, starts a task). */
export interface MenuItem {
  readonly title: Bilingual;
  readonly target: string;
}

export interface UiText {
  /** Every UI string, both languages; placeholders are written {name}. */
  readonly strings: Readonly<Record<string, Bilingual>>;
  readonly menu: readonly MenuItem[];
}

/** A group of words and phrases that mean the same; the first is the canonical one. */
export type SynonymGroup = readonly string[];

export const PROVINCE_IDS = [
  'groningen', 'friesland', 'drenthe', 'overijssel', 'flevoland', 'gelderland',
  'utrecht', 'noord-holland', 'zuid-holland', 'zeeland', 'noord-brabant', 'limburg',
] as const;
export type ProvinceId = (typeof PROVINCE_IDS)[number];

export interface Province {
  readonly id: ProvinceId;
  readonly name: Bilingual;
  readonly aliases: readonly string[];
  readonly capital: string;
  readonly cities: readonly string[];
  readonly regions: readonly string[];
  readonly adjacent: readonly ProvinceId[];
  /** Ids of the regional development agency and the EDIH in organisations.yaml. */
  readonly rom: string;
  readonly edih: string;
  /** 4-digit postcode ranges wholly in this province, as [from, to]. */
  readonly postcodes: readonly (readonly [number, number])[];
}

export interface Theme {
  readonly id: string;
  readonly name: Bilingual;
  readonly words: Bilingual<readonly string[]>;
  /** Offered as a button when the bot asks for a theme. */
  readonly choice: boolean;
}

export type FieldlabStatus = 'confirmed' | 'listed_by_hub' | 'not_confirmed';
export type Confidence = 'high' | 'medium';

export interface Fieldlab {
  readonly id: string;
  readonly name: string;
  readonly aliases: readonly string[];
  readonly city: string | null;
  readonly province: ProvinceId | null;
  readonly locationNote?: Bilingual;
  readonly scope: 'regional' | 'national';
  readonly themes: readonly string[];
  readonly description: Bilingual;
  readonly website: string | null;
  readonly status: FieldlabStatus;
  readonly statusNote?: Bilingual;
  readonly sourceYear: number;
  readonly confidence: Confidence;
  readonly sources: readonly string[];
  readonly reviewed: string;
  readonly at: SourceRef;
}

export type OrganisationKind = 'national' | 'rom' | 'edih' | 'historical';

export interface Organisation {
  readonly id: string;
  readonly kind: OrganisationKind;
  readonly name: Bilingual;
  readonly aliases: readonly string[];
  readonly provinces: readonly ProvinceId[];
  readonly helpsWith: Bilingual;
  readonly contact?: Bilingual;
  readonly website: string | null;
  /** False when a source did not confirm the exact current name. */
  readonly nameConfirmed: boolean;
  readonly confidence: Confidence;
  readonly sources: readonly string[];
  readonly reviewed: string;
  readonly at: SourceRef;
}

export type ProgramNeed = 'rd' | 'feasibility' | 'investment' | 'energy' | 'training' | 'collaboration' | 'knowledge' | 'financing' | 'support' | 'international';
export type CompanySize = 'micro' | 'small' | 'medium' | 'large';
export type ProgramStatus = 'open-recurring' | 'open-continuous' | 'closed' | 'varies';

/** A kind of project the program check asks about, and the words users use for it. */
export interface Need {
  readonly id: ProgramNeed;
  readonly name: Bilingual;
  readonly words: Bilingual<readonly string[]>;
  readonly choice: boolean;
}

export interface ProgramAmount {
  readonly what: Bilingual;
  readonly value: Bilingual;
  readonly year: number;
  readonly yearNote?: string;
  readonly uncertain: boolean;
  readonly source?: string;
}

export interface ProgramWindow {
  readonly opens: string;
  readonly closes: string;
  readonly note?: Bilingual;
}

export interface Program {
  readonly id: string;
  readonly name: Bilingual;
  readonly aliases: readonly string[];
  readonly administeredBy: Bilingual;
  readonly level: 'national' | 'national-regional' | 'regional' | 'eu';
  readonly funds: Bilingual;
  readonly needs: readonly ProgramNeed[];
  readonly eligibility: {
    readonly sizes: readonly CompanySize[];
    readonly provinces?: readonly ProvinceId[];
    readonly conditions: Bilingual<readonly string[]>;
  };
  readonly amounts: readonly ProgramAmount[];
  readonly howToApply: Bilingual;
  readonly windows: readonly ProgramWindow[];
  readonly status: ProgramStatus;
  readonly officialUrl: string | null;
  readonly asOf: number;
  readonly caveats?: Bilingual;
  readonly confidence: Confidence;
  readonly sources: readonly string[];
  readonly reviewed: string;
  readonly at: SourceRef;
}

export const TASK_IDS = ['find-fieldlab', 'check-programs', 'quick-scan', 'talk-to-person'] as const;
export type TaskId = (typeof TASK_IDS)[number];

/** A guided conversation the bot can start, with the ways people ask for it. */
export interface Task {
  readonly id: TaskId;
  readonly title: Bilingual;
  readonly questions: Bilingual<readonly string[]>;
}

export interface QuickScanStep {
  readonly text: Bilingual;
  readonly entry?: string;
  readonly theme?: string;
  readonly need?: ProgramNeed;
}

export interface QuickScanDimension {
  readonly id: string;
  readonly name: Bilingual;
  readonly statements: readonly Bilingual[];
  readonly steps: readonly QuickScanStep[];
}

export interface QuickScan {
  readonly scale: Bilingual<readonly string[]>;
  readonly dimensions: readonly QuickScanDimension[];
}

/** Words of private life, and words of business that cancel them (outofscope.yaml). */
export interface OutOfScope {
  readonly private: Bilingual<readonly string[]>;
  readonly business: Bilingual<readonly string[]>;
  /** Messages the bot must not answer: the classifier learns a class "not ours" from them. */
  readonly examples?: Bilingual<readonly string[]>;
}

/** outofscope.yaml's example messages, both languages. */
export function outOfScopeExamples(outOfScope: OutOfScope | undefined): string[] {
  return [...(outOfScope?.examples?.nl ?? []), ...(outOfScope?.examples?.en ?? [])];
}

export interface KnowledgeData {
  readonly outOfScope: OutOfScope;
  readonly entries: readonly QnaEntry[];
  readonly tasks: readonly Task[];
  readonly quickScan: QuickScan;
  readonly ui: UiText;
  readonly synonyms: readonly SynonymGroup[];
  readonly provinces: readonly Province[];
  readonly themes: readonly Theme[];
  readonly fieldlabs: readonly Fieldlab[];
  readonly organisations: readonly Organisation[];
  readonly programs: readonly Program[];
  readonly needs: readonly Need[];
}

export type Severity = 'error' | 'warning';

/** One thing wrong (or worth a look) in the knowledge files, with its position. */
export interface Problem {
  readonly file: string;
  readonly line: number;
  readonly col: number;
  readonly severity: Severity;
  readonly message: string;
}

export function formatProblem(p: Problem): string {
  return `${p.file}:${p.line}:${p.col} ${p.severity}: ${p.message}`;
}
