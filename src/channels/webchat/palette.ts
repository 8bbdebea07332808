/**
 * The look of the chat: a dark-blue and teal industrial palette, given to Web Chat as
 * `styleOptions` and to the page's stylesheet as CSS variables (web/styles.css repeats them; a
 * test keeps the two the same and checks every text colour pair for WCAG contrast ≥ 4.5:1).
 */
import type { Lang } from '../../knowledge/types';

export const PALETTE = Object.freeze({
  /** Header, the user's bubbles. */
  navy: '#0B2545',
  /** Accent: buttons, links, the bot's avatar. */
  teal: '#00756A',
  /** Light teal for text and focus rings on navy. */
  tealLight: '#8DE0D6',
  /** Body text. */
  ink: '#1A2B3C',
  /** Timestamps and secondary text. */
  subtle: '#4F6072',
  /** Transcript background. */
  surface: '#F3F6F9',
  white: '#FFFFFF',
  /** Bubble borders (decorative). */
  line: '#C9D4DF',
});

export const FONT_FAMILY = "'Segoe UI', system-ui, -apple-system, Roboto, 'Helvetica Neue', Arial, sans-serif";

/** Text colour on background colour pairs that must reach 4.5:1 (WCAG 2.x AA, normal text). */
export const TEXT_PAIRS: ReadonlyArray<readonly [label: string, text: string, background: string]> = [
  ['bot bubble text', PALETTE.ink, PALETTE.white],
  ['user bubble text', PALETTE.white, PALETTE.navy],
  ['send box text', PALETTE.ink, PALETTE.white],
  ['timestamps on the transcript', PALETTE.subtle, PALETTE.surface],
  ['secondary text in a bubble', PALETTE.subtle, PALETTE.white],
  ['card buttons', PALETTE.white, PALETTE.teal],
  ['links and accent text on white', PALETTE.teal, PALETTE.white],
  ['accent text on the transcript', PALETTE.teal, PALETTE.surface],
  ['avatar initials', PALETTE.white, PALETTE.teal],
  ['user avatar initials', PALETTE.white, PALETTE.navy],
  ['header text', PALETTE.white, PALETTE.navy],
  ['header language switch', PALETTE.tealLight, PALETTE.navy],
];

/** Focus rings on their backgrounds must reach 3:1 (WCAG 1.4.11, non-text contrast). */
export const FOCUS_PAIRS: ReadonlyArray<readonly [label: string, ring: string, background: string]> = [
  ['focus ring in the chat', PALETTE.teal, PALETTE.white],
  ['focus ring on the transcript', PALETTE.teal, PALETTE.surface],
  ['focus ring in the header', PALETTE.tealLight, PALETTE.navy],
];

/** WCAG relative luminance of a #RRGGBB colour. */
export function relativeLuminance(hex: string): number {
  const m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex);
  if (!m) throw new Error(`not a #RRGGBB colour: ${hex}`);
  const [r, g, b] = [m[1], m[2], m[3]].map((h) => {
    const v = parseInt(h!, 16) / 255;
    return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
}

/** WCAG contrast ratio, from 1 to 21. */
export function contrastRatio(a: string, b: string): number {
  const [hi, lo] = [relativeLuminance(a), relativeLuminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

/** Web Chat's styleOptions for this look. */
export function webChatStyleOptions(lang: Lang): Record<string, string | number | boolean> {
  return {
    accent: PALETTE.teal,
    backgroundColor: PALETTE.surface,
    subtle: PALETTE.subtle,
    timestampColor: PALETTE.subtle,
    primaryFont: FONT_FAMILY,
    rootHeight: '100%',
    rootWidth: '100%',

    botAvatarInitials: 'SI',
    botAvatarBackgroundColor: PALETTE.teal,
    userAvatarInitials: lang === 'nl' ? 'JIJ' : 'YOU',
    userAvatarBackgroundColor: PALETTE.navy,
    avatarSize: 40,

    bubbleBackground: PALETTE.white,
    bubbleTextColor: PALETTE.ink,
    bubbleBorderColor: PALETTE.line,
    bubbleBorderRadius: 10,
    bubbleBorderWidth: 1,
    bubbleFromUserBackground: PALETTE.navy,
    bubbleFromUserTextColor: PALETTE.white,
    bubbleFromUserBorderColor: PALETTE.navy,
    bubbleFromUserBorderRadius: 10,
    bubbleMaxWidth: 560,

    cardPushButtonBackgroundColor: PALETTE.teal,
    cardPushButtonTextColor: PALETTE.white,
    cardEmphasisBackgroundColor: PALETTE.surface,

    sendBoxBackground: PALETTE.white,
    sendBoxTextColor: PALETTE.ink,
    sendBoxButtonColor: PALETTE.teal,
    sendBoxBorderTop: `solid 1px ${PALETTE.line}`,
    sendBoxPlaceholderColor: PALETTE.subtle,

    suggestedActionBackgroundColor: PALETTE.white,
    suggestedActionBorderColor: PALETTE.teal,
    suggestedActionTextColor: PALETTE.teal,
    suggestedActionBorderRadius: 16,

    // The bot never sends HTML; markdown stays markdown.
    markdownRenderHTML: false,
    hideUploadButton: true,
  };
}
