/**
 * The Teams app: manifest.json (Dutch, the default language) and en.json (English) in the
 * newest manifest schema version @microsoft/app-manifest bundles. The bot works in personal
 * chats, teams and group chats, and offers its commands in both languages.
 */
import type { Lang } from '../../knowledge/types';
import { PALETTE } from '../webchat/palette';

export interface TeamsAppSettings {
  /** Manifest schema version, such as "1.30". */
  readonly manifestVersion: string;
  /** The Teams app id (a GUID). */
  readonly appId: string;
  /** The Azure Bot's Microsoft App Id. */
  readonly botId: string;
  readonly version: string;
  readonly developerName: string;
  readonly websiteUrl: string;
  readonly privacyUrl: string;
  readonly termsOfUseUrl: string;
  /** Public address of the bot; its host becomes the app's valid domain. */
  readonly publicUrl: string;
}

export const ICON_FILES = { color: 'color.png', outline: 'outline.png' } as const;
export const ENGLISH_FILE = 'en.json';

interface Command {
  readonly title: Record<Lang, string>;
  readonly description: Record<Lang, string>;
}

/** What a user can pick from the command menu; the title is sent to the bot as the message. */
export const COMMANDS: readonly Command[] = [
  { title: { nl: 'help', en: 'help' }, description: { nl: 'Wat kan ik de adviseur vragen?', en: 'What can I ask the advisor?' } },
  { title: { nl: 'fieldlab', en: 'fieldlab' }, description: { nl: 'Welk fieldlab past bij mijn vraag en mijn regio?', en: 'Which fieldlab suits my question and my region?' } },
  { title: { nl: 'subsidie', en: 'program' }, description: { nl: 'Welke subsidies en regelingen helpen mij digitaliseren?', en: 'Which subsidies and programs help me digitalise?' } },
  { title: { nl: 'quick scan', en: 'quick scan' }, description: { nl: 'Hoe digitaal is mijn bedrijf? Doe de quick scan.', en: 'How digital is my company? Take the quick scan.' } },
];

const TEXT: Record<Lang, { nameShort: string; nameFull: string; descriptionShort: string; descriptionFull: string }> = {
  nl: {
    nameShort: 'Smart Industry Adviseur',
    nameFull: 'Smart Industry Adviseur voor de maakindustrie',
    descriptionShort: 'Antwoord op je vragen over digitaliseren, fieldlabs en subsidies',
    descriptionFull:
      'De Smart Industry Adviseur beantwoordt vragen van mkb-maakbedrijven over digitalisering: waar begin je, voorspellend onderhoud, sensoren, cobots, 3D-printen, data, AI en cybersecurity. Hij wijst je de weg naar fieldlabs, regionale organisaties en subsidies, in het Nederlands of het Engels.',
  },
  en: {
    nameShort: 'Smart Industry Advisor',
    nameFull: 'Smart Industry Advisor for manufacturers',
    descriptionShort: 'Answers on digitalisation, fieldlabs and funding for manufacturers',
    descriptionFull:
      'The Smart Industry Advisor answers the questions of Dutch manufacturing SMEs about digitalisation: where to start, predictive maintenance, sensors, cobots, 3D printing, data, AI and cybersecurity. It points you to fieldlabs, regional organisations and funding programs, in Dutch or English.',
  },
};

export interface TeamsAppFiles {
  readonly manifest: Record<string, unknown>;
  /** file name → localization file content */
  readonly localizations: Record<string, Record<string, unknown>>;
}

export function buildTeamsApp(s: TeamsAppSettings): TeamsAppFiles {
  const nl = TEXT.nl;
  const schemaBase = `https://developer.microsoft.com/en-us/json-schemas/teams/v${s.manifestVersion}`;
  const manifest = {
    $schema: `${schemaBase}/MicrosoftTeams.schema.json`,
    manifestVersion: s.manifestVersion,
    version: s.version,
    id: s.appId,
    localizationInfo: {
      defaultLanguageTag: 'nl-nl',
      additionalLanguages: [{ languageTag: 'en', file: ENGLISH_FILE }],
    },
    developer: { name: s.developerName, websiteUrl: s.websiteUrl, privacyUrl: s.privacyUrl, termsOfUseUrl: s.termsOfUseUrl },
    name: { short: nl.nameShort, full: nl.nameFull },
    description: { short: nl.descriptionShort, full: nl.descriptionFull },
    icons: { color: ICON_FILES.color, outline: ICON_FILES.outline },
    accentColor: PALETTE.navy,
    bots: [
      {
        botId: s.botId,
        scopes: ['personal', 'team', 'groupChat'],
        supportsFiles: false,
        isNotificationOnly: false,
        commandLists: [
          {
            scopes: ['personal', 'team', 'groupChat'],
            commands: COMMANDS.map((c) => ({ title: c.title.nl, description: c.description.nl })),
          },
        ],
      },
    ],
    validDomains: [new URL(s.publicUrl).host],
  };
  const en = TEXT.en;
  const english: Record<string, unknown> = {
    $schema: `${schemaBase}/MicrosoftTeams.Localization.schema.json`,
    'name.short': en.nameShort,
    'name.full': en.nameFull,
    'description.short': en.descriptionShort,
    'description.full': en.descriptionFull,
  };
  COMMANDS.forEach((c, i) => {
    english[`bots[0].commandLists[0].commands[${i}].title`] = c.title.en;
    english[`bots[0].commandLists[0].commands[${i}].description`] = c.description.en;
  });
  return { manifest, localizations: { [ENGLISH_FILE]: english } };
}
