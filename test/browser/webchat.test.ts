/**
 * The web chat in headless Chromium against the real server: the welcome, a Dutch question and
 * answer, a follow-up button of the answer card, the switch to English, and hostile content —
 * in the knowledge, past the knowledge check, typed by a user, in a forged card button — that
 * must run nothing. Needs Chromium at /usr/bin/chromium (apt-get install -y chromium).
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import YAML from 'yaml';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { startApp, type App } from '../../src/app';
import { loadKnowledge } from '../../src/knowledge/loader';
import type { KnowledgeData, QnaEntry } from '../../src/knowledge/types';
import { answerMessage, choicesMessage } from '../../src/render/messages';
import { fieldlabMessage } from '../../src/render/records';
import { PAGE_TEXT } from '../../src/channels/webchat/pageText';
import { copyKnowledge, KNOWLEDGE, memoryLogger, REPO, testConfig, waitUntil } from '../support/testConfig';

const CHROMIUM = '/usr/bin/chromium';
const ARTIFACTS = path.join(REPO, 'test', 'artifacts');

let knowledge: KnowledgeData;
/** The server on the shipped knowledge, and its log (turns included) for failure reports. */
let app: App;
const appLog = memoryLogger('debug');
/** Another website (another origin) that embeds the chat with embed.js. */
let website: http.Server;
let websiteOrigin: string;

beforeAll(async () => {
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(`Chromium is missing at ${CHROMIUM}: install it with "apt-get install -y chromium" (as root) and run the tests again.`);
  }
  knowledge = loadKnowledge(KNOWLEDGE).data!;
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  website = http.createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(`<!doctype html><html lang="en"><head><title>Example manufacturer</title></head><body><h1>Example manufacturer</h1><script src="http://127.0.0.1:${app.port}/embed.js" defer></script></body></html>`);
  });
  await new Promise<void>((r) => website.listen(0, '127.0.0.1', r));
  websiteOrigin = `http://127.0.0.1:${(website.address() as AddressInfo).port}`;
  // The rate limits at their defaults (testConfig switches them off): a real browser must never meet one.
  app = await startApp(testConfig({ ALLOWED_ORIGINS: websiteOrigin, RATE_LIMIT_IP_PER_MINUTE: '', RATE_LIMIT_CONVERSATION_PER_MINUTE: '', RATE_LIMIT_TOKENS_PER_MINUTE: '' }), appLog.logger);
});

afterAll(async () => {
  await app?.stop();
  await new Promise((r) => website?.close(r));
});

/** The first line of a markdown text as Web Chat shows it (no emphasis marks, link texts only). */
function shown(markdown: string, chars = 40): string {
  const line = markdown.trim().split('\n')[0]!;
  return line.replace(/\[([^\]]*)\]\([^)]*\)/g, '$1').replace(/[*_`]/g, '').slice(0, chars);
}

/** Which entry the bot answers a question with: asked through /api/messages, read from the trace. */
async function entryFor(app: App, text: string, locale: string): Promise<QnaEntry> {
  const res = await fetch(`${app.url}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ type: 'message', channelId: 'emulator', deliveryMode: 'expectReplies', conversation: { id: `probe-${Math.random()}` }, from: { id: 'probe' }, recipient: { id: 'bot' }, locale, text }),
  });
  const body = (await res.json()) as { activities: Array<{ type: string; value?: { entryId?: string; decision?: string } }> };
  const trace = body.activities.find((a) => a.type === 'trace')!;
  if (trace.value?.decision !== 'answer') throw new Error(`the bot does not answer "${text}" directly (${trace.value?.decision})`);
  return knowledge.entries.find((e) => e.id === trace.value!.entryId)!;
}

/** What each page POSTed and how the server answered, for failure reports. */
const posted = new WeakMap<Page, string[]>();

async function openBrowser(locale: string): Promise<{ context: BrowserContext; page: Page; problems: string[]; sockets: string[]; close: () => Promise<void> }> {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'sia-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    locale,
    viewport: { width: 1024, height: 900 },
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const problems: string[] = [];
  const sockets: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('websocket', (ws) => sockets.push(ws.url()));
  const posts: string[] = [];
  posted.set(page, posts);
  page.on('response', (r) => {
    if (r.request().method() === 'POST') posts.push(`${r.status()} ${new URL(r.url()).pathname}`);
  });
  page.on('requestfailed', (r) => posts.push(`failed ${r.method()} ${new URL(r.url()).pathname}: ${r.failure()?.errorText}`));
  return {
    context,
    page,
    problems,
    sockets,
    close: async () => {
      await context.close();
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
}

const bubbles = (page: Page, text: string) => page.locator('.webchat__bubble__content', { hasText: text });

/**
 * Waits until a bubble with the text shows. If none does, the error says what the page showed
 * and what the server logged (turns, warnings), so a failure in CI explains itself.
 */
async function shows(page: Page, text: string, log: ReturnType<typeof memoryLogger> = appLog): Promise<void> {
  try {
    await bubbles(page, text).first().waitFor();
  } catch (err) {
    const transcript = await page.locator('.webchat__bubble__content').allInnerTexts().catch(() => ['(page gone)']);
    const status = await page.locator('.webchat__connectivityStatus').allInnerTexts().catch(() => []);
    const logged = log.lines().filter((l) => l.level >= 40 || l.msg === 'turn').slice(-12);
    throw new Error(
      [
        `No bubble shows "${text}" (${(err as Error).message.split('\n')[0]})`,
        `The chat shows (last 6): ${JSON.stringify(transcript.slice(-6).map((t) => t.slice(0, 80)))}`,
        `Connection status: ${JSON.stringify(status)}`,
        `The page POSTed: ${JSON.stringify((posted.get(page) ?? []).slice(-8))}`,
        `Server log (turns, warnings): ${logged.map((l) => JSON.stringify(l)).join('\n') || '(nothing)'}`,
      ].join('\n'),
    );
  }
}

/** Waits until Web Chat shows no connection status ("Connecting…"), for a clean screenshot. */
async function settled(page: Page): Promise<void> {
  await page.locator('.webchat__connectivityStatus').waitFor({ state: 'detached' });
}

async function ask(page: Page, label: string, question: string): Promise<void> {
  const box = page.getByRole('textbox', { name: label });
  await box.fill(question);
  await box.press('Enter');
}

describe('web chat in the browser', () => {
  it('welcomes, answers in Dutch, follows a card button, and switches to English', async () => {
    const question = 'Hoe begin ik met voorspellend onderhoud?';
    const entry = await entryFor(app, question, 'nl-NL');
    const followUp = knowledge.entries.find((e) => e.id === entry.followUps[0])!;
    const browser = await openBrowser('nl-NL');
    const { page } = browser;
    try {
      await page.goto(`http://127.0.0.1:${app.port}/`);
      expect(await page.locator('html').getAttribute('lang')).toBe('nl');
      expect(await page.title()).toBe(PAGE_TEXT.nl.title);

      const welcome = shown(knowledge.ui.strings.welcome!.nl);
      await shows(page, welcome);

      await ask(page, PAGE_TEXT.nl.sendBoxLabel, question);
      await shows(page, shown(entry.answer.nl));
      expect(await bubbles(page, welcome).count()).toBe(1); // the welcome came once

      await settled(page); // the button is clicked on a steady page, not while the connection is still busy
      await page.getByRole('button', { name: followUp.title.nl, exact: true }).last().click();
      await shows(page, shown(followUp.answer.nl));
      await settled(page);
      await page.screenshot({ path: path.join(ARTIFACTS, 'webchat-nl.png') });

      await page.getByRole('link', { name: 'English' }).click();
      await page.waitForURL(/\?lang=en$/);
      expect(await page.locator('html').getAttribute('lang')).toBe('en');
      await shows(page, shown(knowledge.ui.strings.welcome!.en));
      await ask(page, PAGE_TEXT.en.sendBoxLabel, entry.title.en);
      await shows(page, shown(entry.answer.en));
      await settled(page);
      await page.screenshot({ path: path.join(ARTIFACTS, 'webchat-en.png') });

      // Replies were pushed over the Direct Line WebSocket, and nothing went wrong in the page.
      expect(browser.sockets.some((u) => /\/v3\/directline\/conversations\/[\w-]+\/stream\?t=/.test(u))).toBe(true);
      expect(browser.problems).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});

describe('the embed script on another website', () => {
  it('adds a chat button that opens the advisor in a panel, in the website\'s language', async () => {
    const browser = await openBrowser('nl-NL');
    const { page } = browser;
    try {
      await page.goto(`${websiteOrigin}/`);
      await page.getByRole('button', { name: PAGE_TEXT.en.openChat }).click();
      const button = page.locator('button[aria-controls="sia-chat-panel"]');
      expect(await button.getAttribute('aria-expanded')).toBe('true');
      expect(await button.getAttribute('aria-label')).toBe(PAGE_TEXT.en.closeChat);
      const panel = page.frameLocator('#sia-chat-panel');
      await panel.locator('.webchat__bubble__content', { hasText: shown(knowledge.ui.strings.welcome!.en) }).first().waitFor();
      expect(browser.problems).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});

describe('hostile content', () => {
  // One answer and one title of the knowledge, and what a user types or a forged card button sends.
  const SCRIPT = '<script>window.__pwned=1</script>';
  const IMG = '<img src=x onerror="window.__pwned=1">';
  const JS_LINK = '[click](javascript:window.__pwned=1)';
  // A markdown image on 127.0.0.1 (nothing listens there): the test reaches no other host.
  const IMAGE = '![pixel](http://127.0.0.1:9/pixel.png)';
  const HOSTILE = `${SCRIPT} ${IMG} ${JS_LINK} ${IMAGE}`;
  const LITERAL = '<script>window.__pwned=1</script>';

  /** Nothing of the hostile content is live in the chat: no script ran, no tag, image or script link was made. */
  async function inert(page: Page, scope = '#webchat'): Promise<void> {
    expect(await page.evaluate(() => (globalThis as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(await page.locator(`${scope} script`).count()).toBe(0);
    expect(await page.locator(`${scope} img[src="x"], ${scope} img[src*="pixel.png"]`).count()).toBe(0);
    expect(await page.locator(`${scope} [onerror], ${scope} [onload]`).count()).toBe(0);
    const hrefs = await page.locator(`${scope} a`).evaluateAll((links) => links.map((a) => a.getAttribute('href') ?? ''));
    expect(hrefs.filter((h) => /^\s*(javascript|data|vbscript):/i.test(h))).toEqual([]);
  }

  /** The browser may talk to 127.0.0.1 only. */
  async function localOnly(context: BrowserContext): Promise<void> {
    await context.route((url) => url.hostname !== '127.0.0.1', (route) => route.abort());
  }

  it('in the knowledge is refused with its file and line, and the bot keeps showing the last good answer', async () => {
    const question = 'wat is een cobot?';
    const entry = await entryFor(app, question, 'nl-NL');
    const dir = copyKnowledge();
    const file = path.join(dir, path.relative(KNOWLEDGE, path.resolve(REPO, entry.at.file)));
    const mem = memoryLogger();
    const live = await startApp(testConfig({ KNOWLEDGE_DIR: dir }), mem.logger);
    const browser = await openBrowser('nl-NL');
    const { page } = browser;
    try {
      await localOnly(browser.context);
      await page.goto(`http://127.0.0.1:${live.port}/`);
      await shows(page, shown(knowledge.ui.strings.welcome!.nl), mem);

      // An editor (or an attacker with write access) saves the hostile answer and title.
      const doc = YAML.parse(fs.readFileSync(file, 'utf8'));
      const target = doc.entries.find((e: { id: string }) => e.id === entry.id);
      target.answer = { nl: `Een cobot.\n\n${HOSTILE}\n`, en: `A cobot.\n\n${HOSTILE}\n` };
      target.title = { nl: `Cobot ${SCRIPT}`, en: `Cobot ${JS_LINK}` };
      fs.writeFileSync(file, YAML.stringify(doc));
      await waitUntil(() => mem.lines().some((l) => /NOT reloaded/.test(l.msg)), 15_000);
      const errors: string[] = mem.lines().find((l) => /NOT reloaded/.test(l.msg))!.errors;
      const name = path.basename(file);
      for (const what of [/HTML \("<script>"\)/, /HTML \("<img src=x/, /the link "\[click\]\(javascript:/, /an image/]) {
        expect(errors).toContainEqual(expect.stringMatching(new RegExp(`${name}:\\d+:\\d+ error: ${what.source}`)));
      }

      await ask(page, PAGE_TEXT.nl.sendBoxLabel, question);
      await shows(page, shown(entry.answer.nl), mem);
      await inert(page);
      expect(await bubbles(page, 'window.__pwned').count()).toBe(0);
      expect(browser.problems).toEqual([]);

      // A bot started on it refuses to start, saying why.
      await expect(startApp(testConfig({ KNOWLEDGE_DIR: dir }), memoryLogger().logger)).rejects.toThrow(/error/);
    } finally {
      await browser.close();
      await live.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('that got past the knowledge check is still shown inert: the renderer is the safety net', async () => {
    // Messages rendered from a hostile entry built by hand (the check would refuse it), shown by
    // the real Web Chat on the bot's page through a stand-in Direct Line.
    const data = loadKnowledge(KNOWLEDGE).data!;
    const real = data.entries.find((e) => e.followUps.length > 0)!;
    const entry: QnaEntry = { ...real, title: { nl: `Cobot ${HOSTILE}`, en: `Cobot ${HOSTILE}` }, answer: { nl: `Een cobot.\n\n${HOSTILE}`, en: `A cobot.\n\n${HOSTILE}` } };
    const byId = new Map(data.entries.map((e) => [e.id, e] as const));
    byId.set(entry.id, entry);
    const ctx = { data, byId, lang: 'nl' as const };
    const lab = { ...data.fieldlabs[0]!, name: `Lab ${HOSTILE}`, description: { nl: `Lab. ${HOSTILE}`, en: `Lab. ${HOSTILE}` } };
    const messages = [answerMessage(ctx, entry), choicesMessage(ctx, [entry.id]), fieldlabMessage({ ...ctx, data: { ...data, fieldlabs: [lab] } }, lab)].map((m, i) => ({
      ...m,
      id: `m${i}`,
      from: { id: 'bot', name: 'Smart Industry Advisor', role: 'bot' },
      timestamp: new Date(Date.now() + i).toISOString(),
    }));
    const browser = await openBrowser('nl-NL');
    const { page } = browser;
    try {
      await localOnly(browser.context);
      await page.goto(`http://127.0.0.1:${app.port}/`);
      await page.waitForFunction(() => Boolean((globalThis as { WebChat?: unknown }).WebChat));
      await page.evaluate((activities) => {
        const doc = (globalThis as any).document;
        const host = doc.createElement('div');
        host.id = 'rendered';
        host.style.height = '600px';
        doc.body.appendChild(host);
        type Observer = { next: (v: unknown) => void; complete?: () => void };
        const observable = (start: (o: Observer) => void) => ({
          subscribe(o: Observer | ((v: unknown) => void)) {
            start(typeof o === 'function' ? { next: o } : o);
            return { unsubscribe() {} };
          },
        });
        const directLine = {
          activity$: observable((o) => activities.forEach((a) => o.next(a))),
          connectionStatus$: observable((o) => [0, 1, 2].forEach((s) => o.next(s))),
          postActivity: () => observable((o) => o.next('posted')),
          end() {},
        };
        (globalThis as any).WebChat.renderWebChat({ directLine }, host);
      }, messages);
      await page.locator('#rendered .webchat__bubble__content', { hasText: 'Een cobot.' }).first().waitFor();
      await page.locator('#rendered .webchat__bubble__content', { hasText: 'Lab.' }).first().waitFor();
      await inert(page, '#rendered');
      // HTML is shown as text; the script link is left as its text; the image became a link.
      expect(await page.locator('#rendered .webchat__bubble__content', { hasText: LITERAL }).count()).toBeGreaterThan(0);
      expect(await page.locator('#rendered a[href="http://127.0.0.1:9/pixel.png"]').count()).toBeGreaterThan(0);
      expect(browser.problems.filter((p) => /Content Security Policy|inline event handler/i.test(p))).toEqual([]);
    } finally {
      await browser.close();
    }
  });

  it('typed by a user, or sent with a forged card button, runs nothing and is not shown back', async () => {
    const browser = await openBrowser('nl-NL');
    const { page } = browser;
    try {
      await localOnly(browser.context);
      const granted = page.waitForResponse((r) => /\/tokens\/generate$/.test(r.url()));
      await page.goto(`http://127.0.0.1:${app.port}/`);
      const grant = (await (await granted).json()) as { token: string; conversationId: string };
      await shows(page, shown(knowledge.ui.strings.welcome!.nl));

      await ask(page, PAGE_TEXT.nl.sendBoxLabel, HOSTILE);
      await shows(page, shown(knowledge.ui.strings.fallback!.nl));
      await inert(page);

      // A card button of the fieldlab finder with a theme of the sender's choosing.
      const forged = await fetch(`http://127.0.0.1:${app.port}/v3/directline/conversations/${grant.conversationId}/activities`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${grant.token}` },
        body: JSON.stringify({ type: 'message', from: { id: 'x' }, value: { sia: 'open', id: 'find-fieldlab', lang: 'nl', theme: HOSTILE } }),
      });
      expect(forged.status).toBe(200);
      await shows(page, shown(knowledge.ui.strings.askTheme!.nl));
      await inert(page);
      // The hostile text appears only in the user's own bubble, as text, never in a reply of the bot.
      const botTexts = await page.locator('.webchat__stacked-layout:not(.webchat__stacked-layout--from-user) .webchat__bubble__content').allInnerTexts();
      expect(botTexts.join('\n')).not.toMatch(/pwned|click|pixel/);
      expect(browser.problems.filter((p) => /Content Security Policy|inline event handler/i.test(p))).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});
