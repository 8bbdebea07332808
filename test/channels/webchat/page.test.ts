/**
 * The chat page and its files, served by the real server: language, security headers, the Web
 * Chat bundle from node_modules with caching, the embed script and the page's config. And the
 * security headers of every JSON answer: nosniff, a CSP under which the answer can do nothing as
 * a page, no referrer and no caching.
 */
import fs from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { startApp, type App } from '../../../src/app';
import { WebChatPage, webChatBundle } from '../../../src/channels/webchat/webChatPage';
import { memoryLogger, REPO, testConfig } from '../../support/testConfig';

let app: App;
let base: string;

beforeAll(async () => {
  app = await startApp(testConfig({ ALLOWED_ORIGINS: 'https://www.example.nl', PUBLIC_URL: 'https://advisor.example.nl' }), memoryLogger().logger);
  base = `http://127.0.0.1:${app.port}`;
});

afterAll(async () => {
  await app.stop();
});

async function page(pathAndQuery = '/', acceptLanguage?: string) {
  const res = await fetch(`${base}${pathAndQuery}`, { headers: acceptLanguage ? { 'accept-language': acceptLanguage } : {} });
  return { res, html: await res.text() };
}

describe('GET /', () => {
  it('is Dutch by default, with a title, a language switch and the chat region labelled', async () => {
    const { res, html } = await page('/');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(html).toMatch(/<html lang="nl">/);
    expect(html).toMatch(/<title>Smart Industry Adviseur – digitaliseren in de maakindustrie<\/title>/);
    expect(html).toMatch(/<nav class="lang-switch" aria-label="Taal">/);
    expect(html).toMatch(/<a href="\?lang=nl" lang="nl" hreflang="nl" aria-label="Nederlands" aria-current="page">NL<\/a>/);
    expect(html).toMatch(/<a href="\?lang=en" lang="en" hreflang="en" aria-label="English">EN<\/a>/);
    expect(html).toMatch(/<main id="chat" class="chat" aria-label="Chat met de Smart Industry Adviseur"/);
    expect(html).not.toMatch(/\{\{\w+\}\}/);
  });

  it.each([
    ['?lang=en', undefined, 'en'],
    ['?lang=nl', 'en-US,en;q=0.9', 'nl'],
    ['', 'en-GB,en;q=0.9,nl;q=0.8', 'en'],
    ['', 'nl-BE,nl;q=0.9,en;q=0.8', 'nl'],
    ['', 'en;q=0.5,nl;q=0.6', 'nl'],
    ['', 'de-DE,de;q=0.9,en;q=0.7', 'en'],
    ['', 'fr-FR', 'nl'],
    ['?lang=xx', 'en', 'en'],
  ])('%s with Accept-Language %s is %s', async (query, acceptLanguage, lang) => {
    const { res, html } = await page(`/${query}`, acceptLanguage);
    expect(html).toContain(`<html lang="${lang}">`);
    expect(res.headers.get('vary')).toMatch(/Accept-Language/);
  });

  it('has no inline script and a Content-Security-Policy that forbids it; frames only from allowed origins', async () => {
    const { res, html } = await page('/');
    expect(html.match(/<script\b[^>]*>/g)!.every((tag) => /\bsrc="/.test(tag))).toBe(true);
    expect(html).not.toMatch(/\son[a-z]+="/i);
    const csp = res.headers.get('content-security-policy')!;
    expect(csp).toMatch(/(^|; )script-src 'self'(;|$)/);
    expect(csp).toMatch(/object-src 'none'/);
    expect(csp).toMatch(/frame-ancestors 'self' https:\/\/www\.example\.nl https:\/\/advisor\.example\.nl/);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('loads every script and stylesheet from this server, none from a CDN', async () => {
    const { html } = await page('/');
    const urls = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]!);
    expect(urls.filter((u) => /^(https?:)?\/\//.test(u))).toEqual([]);
    for (const u of urls.filter((x) => !x.startsWith('?'))) {
      const res = await fetch(new URL(u, `${base}/`));
      expect([u, res.status]).toEqual([u, 200]);
    }
  });

  it('keeps the embed flag on the language links inside an iframe', async () => {
    const { html } = await page('/?embed=1&lang=en');
    expect(html).toContain('<body class="is-embedded">');
    expect(html).toContain('href="?lang=nl&amp;embed=1"');
  });
});

describe('Web Chat bundle', () => {
  const { version } = webChatBundle();

  it('is served from node_modules under a versioned path, cached for a year, gzipped, with 304 on revalidation', async () => {
    const url = `${base}/webchat/${version}/webchat.js`;
    const plain = await fetch(url, { headers: { 'accept-encoding': 'identity' } });
    expect(plain.status).toBe(200);
    expect(plain.headers.get('content-type')).toBe('application/javascript; charset=utf-8');
    expect(plain.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    const body = Buffer.from(await plain.arrayBuffer());
    const onDisk = fs.readFileSync(path.join(REPO, 'node_modules/botframework-webchat/dist/webchat.js'));
    expect(body.equals(onDisk)).toBe(true);

    const zipped = await fetch(url, { headers: { 'accept-encoding': 'gzip' } });
    expect(zipped.status).toBe(200);
    // fetch decodes gzip itself; the header says it was sent compressed.
    expect(zipped.headers.get('content-encoding')).toBe('gzip');

    const again = await fetch(url, { headers: { 'if-none-match': plain.headers.get('etag')! } });
    expect(again.status).toBe(304);

    const license = await fetch(`${base}/webchat/${version}/webchat.js.LICENSE.txt`);
    expect(license.status).toBe(200);
    expect(await license.text()).toMatch(/license|copyright/i);
  });

  it('answers 404 for another version or another file of the package', async () => {
    expect((await fetch(`${base}/webchat/0.0.1/webchat.js`)).status).toBe(404);
    expect((await fetch(`${base}/webchat/${version}/package.json`)).status).toBe(404);
    expect((await fetch(`${base}/webchat/${version}/..%2F..%2Fpackage.json`)).status).toBe(404);
  });

  it('really is gzip when sent compressed', async () => {
    const http = await import('node:http');
    const raw = await new Promise<Buffer>((resolve, reject) => {
      http
        .get(`${base}/webchat/${version}/webchat.js`, { headers: { 'accept-encoding': 'gzip' } }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c) => chunks.push(c));
          res.on('end', () => resolve(Buffer.concat(chunks)));
        })
        .on('error', reject);
    });
    expect(raw.length).toBeLessThan(1_500_000);
    expect(gunzipSync(raw).length).toBe(fs.statSync(path.join(REPO, 'node_modules/botframework-webchat/dist/webchat.js')).size);
  });
});

describe('the page script, embed script and config', () => {
  it('serves the page script and stylesheet with their types', async () => {
    const js = await fetch(`${base}/web/app.js`);
    expect(js.headers.get('content-type')).toBe('application/javascript; charset=utf-8');
    const css = await fetch(`${base}/web/styles.css`);
    expect(css.headers.get('content-type')).toBe('text/css; charset=utf-8');
  });

  it('serves /embed.js with the button texts filled in', async () => {
    const res = await fetch(`${base}/embed.js`);
    expect(res.status).toBe(200);
    const js = await res.text();
    expect(js).not.toContain('__SIA_TEXT__');
    expect(js).toContain('"open":"Chat met de Smart Industry Adviseur"');
    expect(js).toContain("src.searchParams.set('embed', '1')");
  });

  it('tells the page to use the local Direct Line, in its language, with the advisor look', async () => {
    const res = await fetch(`${base}/api/webchat/config?lang=en`);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const config: any = await res.json();
    expect(config).toMatchObject({
      mode: 'local',
      lang: 'en',
      locale: 'en-US',
      domain: 'v3/directline',
      tokenUrl: 'v3/directline/tokens/generate',
      webSocket: true,
      strings: { TEXT_INPUT_ALT: 'Type your question for the Smart Industry Advisor' },
      styleOptions: { botAvatarInitials: 'SI', markdownRenderHTML: false, hideUploadButton: true },
    });
    const nl: any = await (await fetch(`${base}/api/webchat/config`)).json();
    expect(nl.strings.TEXT_INPUT_ALT).toBe('Typ je vraag aan de Smart Industry Adviseur');
  });

  it('says the Azure token endpoint is not configured in local mode', async () => {
    const res = await fetch(`${base}/api/directline/token`, { method: 'POST' });
    expect(res.status).toBe(404);
    expect(((await res.json()) as any).error.message).toMatch(/DIRECTLINE_SECRET is empty/);
  });

  it('has a page script that keeps to the rules: no inline HTML, no eval, relative URLs', () => {
    const js = fs.readFileSync(path.join(REPO, 'web/app.js'), 'utf8');
    expect(js).not.toMatch(/innerHTML|eval\(|new Function/);
    expect(js).not.toMatch(/https?:\/\//);
  });
});

/** A CSP as directive → sources. */
function directives(csp: string): Record<string, string[]> {
  return Object.fromEntries(
    csp
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .filter((d) => d[0])
      .map(([name, ...sources]) => [name!, sources]),
  );
}

describe('security headers of the chat page', () => {
  it('has a Content-Security-Policy that allows exactly what Web Chat needs', async () => {
    const res = await fetch(`${base}/`);
    expect(directives(res.headers.get('content-security-policy')!)).toEqual({
      'default-src': ["'none'"],
      'script-src': ["'self'"],
      'style-src': ["'self'", "'unsafe-inline'"],
      'img-src': ["'self'", 'data:', 'blob:'],
      'connect-src': ["'self'", 'wss://advisor.example.nl'],
      'object-src': ["'none'"],
      'base-uri': ["'none'"],
      'form-action': ["'none'"],
      'frame-ancestors': ["'self'", 'https://www.example.nl', 'https://advisor.example.nl'],
    });
  });

  it('forbids MIME sniffing and sends only the origin as referrer to other sites', async () => {
    const res = await fetch(`${base}/?lang=en`);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('referrer-policy')).toBe('strict-origin-when-cross-origin');
    expect(res.headers.get('cache-control')).toBe('no-cache');
  });

  it('serves its files with their type and nosniff', async () => {
    for (const [file, type] of [
      ['/web/app.js', 'application/javascript'],
      ['/web/styles.css', 'text/css'],
      ['/embed.js', 'application/javascript'],
    ]) {
      const res = await fetch(`${base}${file}`);
      expect([file, res.status, res.headers.get('content-type')?.split(';')[0], res.headers.get('x-content-type-options')]).toEqual([file, 200, type, 'nosniff']);
    }
  });

  it('is framed only by itself without ALLOWED_ORIGINS, and connects to Azure Direct Line in that mode', () => {
    const alone = directives(new WebChatPage({ mode: { kind: 'local', webSocket: true }, frameOrigins: [] }).contentSecurityPolicy());
    expect(alone['frame-ancestors']).toEqual(["'self'"]);
    expect(alone['connect-src']).toEqual(["'self'"]);
    const azure = directives(new WebChatPage({ mode: { kind: 'azure', endpoint: 'https://europe.directline.botframework.com/v3/directline' }, frameOrigins: ['https://www.example.nl'] }).contentSecurityPolicy());
    expect(azure['connect-src']).toEqual(["'self'", 'https://europe.directline.botframework.com', 'wss://europe.directline.botframework.com']);
    expect(azure['frame-ancestors']).toEqual(["'self'", 'https://www.example.nl']);
    expect(azure['script-src']).toEqual(["'self'"]);
  });
});

describe('security headers of JSON answers', () => {
  it.each([
    ['GET', '/healthz', 200],
    ['GET', '/api/webchat/config', 200],
    ['POST', '/v3/directline/tokens/generate', 200],
    ['GET', '/v3/directline/conversations/abcdefghijklmnopqrstuv/activities', 401],
    ['POST', '/api/messages', 400],
    ['POST', '/api/directline/token', 404],
    ['GET', '/no/such/thing', 404],
  ])('%s %s (%i) has nosniff, a CSP that allows nothing, no referrer and no caching', async (method, path, status) => {
    const res = await fetch(`${base}${path}`, { method, headers: { 'content-type': 'application/json' }, body: method === 'POST' ? '{}' : undefined });
    expect(res.status).toBe(status);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(directives(res.headers.get('content-security-policy')!)).toMatchObject({ 'default-src': ["'none'"], 'frame-ancestors': ["'none'"] });
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    expect(res.headers.get('cache-control')).toBe('no-store');
  });
});
