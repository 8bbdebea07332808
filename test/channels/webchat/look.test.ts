/** The palette: every text colour pair reaches WCAG AA contrast, and the stylesheet uses the same colours. */
import fs from 'node:fs';
import path from 'node:path';
import { contrastRatio, FOCUS_PAIRS, PALETTE, TEXT_PAIRS, webChatStyleOptions } from '../../../src/channels/webchat/palette';
import { pageLanguage, PAGE_TEXT } from '../../../src/channels/webchat/pageText';
import { REPO } from '../../support/testConfig';

describe('contrast', () => {
  it('computes WCAG contrast ratios', () => {
    expect(contrastRatio('#000000', '#FFFFFF')).toBeCloseTo(21, 5);
    expect(contrastRatio('#FFFFFF', '#FFFFFF')).toBeCloseTo(1, 5);
    expect(contrastRatio('#767676', '#FFFFFF')).toBeCloseTo(4.54, 2); // the classic AA grey
  });

  it.each(TEXT_PAIRS.map(([label, fg, bg]) => [label, fg, bg]))('%s (%s on %s) reaches 4.5:1', (_label, fg, bg) => {
    expect(contrastRatio(fg, bg)).toBeGreaterThanOrEqual(4.5);
  });

  it.each(FOCUS_PAIRS.map(([label, fg, bg]) => [label, fg, bg]))('%s (%s on %s) reaches 3:1', (_label, fg, bg) => {
    expect(contrastRatio(fg, bg)).toBeGreaterThanOrEqual(3);
  });

  it('covers the text colours Web Chat is given', () => {
    const o = webChatStyleOptions('nl');
    const pairs = TEXT_PAIRS.map(([, fg, bg]) => `${fg}/${bg}`);
    for (const [fg, bg] of [
      [o.bubbleTextColor, o.bubbleBackground],
      [o.bubbleFromUserTextColor, o.bubbleFromUserBackground],
      [o.sendBoxTextColor, o.sendBoxBackground],
      [o.timestampColor, o.backgroundColor],
      [o.cardPushButtonTextColor, o.cardPushButtonBackgroundColor],
      [o.suggestedActionTextColor, o.suggestedActionBackgroundColor],
      [PALETTE.white, o.botAvatarBackgroundColor],
      [PALETTE.white, o.userAvatarBackgroundColor],
    ]) {
      expect(pairs).toContain(`${fg}/${bg}`);
    }
  });
});

describe('stylesheet', () => {
  const css = fs.readFileSync(path.join(REPO, 'web/styles.css'), 'utf8');

  it('declares the palette colours as CSS variables with the same values', () => {
    const vars = Object.fromEntries([...css.matchAll(/--sia-([a-z-]+):\s*(#[0-9A-Fa-f]{6})/g)].map((m) => [m[1]!.replace(/-([a-z])/g, (_x, c: string) => c.toUpperCase()), m[2]!.toUpperCase()]));
    expect(vars).toEqual(Object.fromEntries(Object.entries(PALETTE).map(([k, v]) => [k, v.toUpperCase()])));
  });

  it('uses no colour outside the palette and shows a visible focus outline', () => {
    const rules = css.replace(/:root\s*\{[^}]*\}/, '');
    expect(rules.match(/#[0-9A-Fa-f]{3,6}\b/g) ?? []).toEqual([]);
    expect(css).toMatch(/:focus-visible\s*\{\s*outline:\s*3px solid var\(--sia-teal\)/);
    expect(css).not.toMatch(/outline:\s*(none|0)\b/);
  });
});

describe('page language', () => {
  it('has every text in both languages', () => {
    expect(Object.keys(PAGE_TEXT.nl).sort()).toEqual(Object.keys(PAGE_TEXT.en).sort());
    for (const lang of ['nl', 'en'] as const) for (const v of Object.values(PAGE_TEXT[lang])) expect(v.trim()).not.toBe('');
  });

  it('prefers ?lang, then the higher of Dutch and English in Accept-Language, then Dutch', () => {
    expect(pageLanguage('en', 'nl')).toBe('en');
    expect(pageLanguage(undefined, undefined)).toBe('nl');
    expect(pageLanguage(undefined, 'en-US')).toBe('en');
    expect(pageLanguage(undefined, 'en, nl')).toBe('en');
    expect(pageLanguage(undefined, 'nl, en')).toBe('nl');
    expect(pageLanguage(undefined, 'en;q=0, nl;q=0.1')).toBe('nl');
    expect(pageLanguage(undefined, 'garbage;;;q=x')).toBe('nl');
  });
});
