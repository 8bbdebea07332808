/**
 * The chat page and what it needs: GET / (web/index.html in the visitor's language), the page's
 * script and stylesheet, botframework-webchat's bundle from node_modules (served by this server,
 * no CDN), /embed.js for other websites, and GET /api/webchat/config telling the page which
 * Direct Line to use. Security headers: a Content-Security-Policy without inline scripts, and
 * frame-ancestors limited to this site and ALLOWED_ORIGINS.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Request, Response, Server } from 'restify';
import type { Lang } from '../../knowledge/types';
import { PAGE_TEXT, pageLanguage } from './pageText';
import { webChatStyleOptions } from './palette';
import { sendStatic, staticFile, type StaticFile } from './staticFile';

export type ChatMode =
  | { readonly kind: 'local'; readonly webSocket: boolean }
  | { readonly kind: 'azure'; readonly endpoint: string };

export interface WebChatPageOptions {
  readonly mode: ChatMode;
  /** Origins allowed to frame the page (ALLOWED_ORIGINS and PUBLIC_URL's origin). */
  readonly frameOrigins: readonly string[];
  /** PUBLIC_URL ('' when unset): its WebSocket origin is allowed by name. */
  readonly publicUrl?: string;
  /** Folder with index.html, app.js, styles.css, embed.js (default: the repository's web/). */
  readonly webDir?: string;
}

/** The repository's web/ folder, found from here whether running from src/ (tests) or dist/src/. */
export function defaultWebDir(): string {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'web', 'index.html')) && fs.existsSync(path.join(dir, 'package.json'))) return path.join(dir, 'web');
    if (path.dirname(dir) === dir) throw new Error('cannot find the web/ folder with index.html');
  }
}

/** botframework-webchat's browser bundle: not in the package's exports, so found by file path. */
export function webChatBundle(): { dir: string; version: string } {
  const main = require.resolve('botframework-webchat');
  const root = path.resolve(path.dirname(main), '..');
  const version = (JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string }).version;
  return { dir: path.join(root, 'dist'), version };
}

function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

export function fillTemplate(template: string, values: Record<string, string>, raw: ReadonlySet<string> = new Set()): string {
  return template.replace(/\{\{(\w+)\}\}/g, (_m, key: string) => {
    const v = values[key];
    if (v === undefined) throw new Error(`page template: no value for {{${key}}}`);
    return raw.has(key) ? v : escapeHtml(v);
  });
}

const YEAR = 'public, max-age=31536000, immutable';
const SHORT = 'public, max-age=300';

export class WebChatPage {
  private readonly webDir: string;
  private readonly bundle = webChatBundle();
  private readonly files: Record<string, () => Promise<StaticFile>>;

  constructor(private readonly options: WebChatPageOptions) {
    this.webDir = options.webDir ?? defaultWebDir();
    const embedText = JSON.stringify({
      nl: { open: PAGE_TEXT.nl.openChat, close: PAGE_TEXT.nl.closeChat },
      en: { open: PAGE_TEXT.en.openChat, close: PAGE_TEXT.en.closeChat },
    });
    this.files = {
      'web/app.js': staticFile(path.join(this.webDir, 'app.js'), 'application/javascript; charset=utf-8', 'no-cache'),
      'web/styles.css': staticFile(path.join(this.webDir, 'styles.css'), 'text/css; charset=utf-8', 'no-cache'),
      'web/favicon.svg': staticFile(path.join(this.webDir, 'favicon.svg'), 'image/svg+xml', SHORT),
      'embed.js': staticFile(path.join(this.webDir, 'embed.js'), 'application/javascript; charset=utf-8', SHORT, (t) => t.replace('__SIA_TEXT__', embedText)),
      'webchat.js': staticFile(path.join(this.bundle.dir, 'webchat.js'), 'application/javascript; charset=utf-8', YEAR),
      'webchat.js.LICENSE.txt': staticFile(path.join(this.bundle.dir, 'webchat.js.LICENSE.txt'), 'text/plain; charset=utf-8', YEAR),
      'index.html': staticFile(path.join(this.webDir, 'index.html'), 'text/html; charset=utf-8', 'no-cache'),
    };
  }

  /** Where the page loads Web Chat from (versioned, so it may be cached for a year). */
  get webChatScriptPath(): string {
    return `webchat/${this.bundle.version}/webchat.js`;
  }

  /**
   * The page's CSP: nothing but what Web Chat needs. Scripts only from this server (no inline
   * script, no eval); styles from here and inline (Web Chat's emotion styles are <style> elements,
   * one of them, from react-scroll-to-bottom, without Web Chat's nonce; Adaptive Cards set style
   * attributes); images from here and data:/blob: (Web Chat's icons are data: SVGs and GIFs, and
   * it makes blob: images); no fonts (none are loaded); connections to this server (its WebSocket too: PUBLIC_URL's ws origin is named for
   * browsers that do not count ws: as 'self') and, in Azure mode, to Azure Direct Line over https
   * and wss. No plugins, frames, workers or forms; framed only by this site and ALLOWED_ORIGINS.
   */
  contentSecurityPolicy(): string {
    const connect = ["'self'"];
    if (this.options.publicUrl) connect.push(new URL(this.options.publicUrl).origin.replace(/^http/, 'ws'));
    if (this.options.mode.kind === 'azure') {
      const origin = new URL(this.options.mode.endpoint).origin;
      connect.push(origin, origin.replace(/^http/, 'ws'));
    }
    return [
      "default-src 'none'",
      "script-src 'self'",
      "style-src 'self' 'unsafe-inline'",
      "img-src 'self' data: blob:",
      `connect-src ${connect.join(' ')}`,
      "object-src 'none'",
      "base-uri 'none'",
      "form-action 'none'",
      `frame-ancestors 'self'${this.options.frameOrigins.map((o) => ` ${o}`).join('')}`,
    ].join('; ');
  }

  private pageHeaders(): Record<string, string> {
    return {
      'Content-Security-Policy': this.contentSecurityPolicy(),
      'Referrer-Policy': 'strict-origin-when-cross-origin',
      'Permissions-Policy': 'camera=(), microphone=(), geolocation=()',
      Vary: 'Accept-Language',
    };
  }

  config(lang: Lang): object {
    const text = PAGE_TEXT[lang];
    const mode = this.options.mode;
    return {
      mode: mode.kind,
      lang,
      locale: text.locale,
      domain: mode.kind === 'azure' ? mode.endpoint : 'v3/directline',
      tokenUrl: mode.kind === 'azure' ? 'api/directline/token' : 'v3/directline/tokens/generate',
      webSocket: mode.kind === 'azure' ? true : mode.webSocket,
      styleOptions: webChatStyleOptions(lang),
      strings: { TEXT_INPUT_ALT: text.sendBoxLabel, TEXT_INPUT_PLACEHOLDER: text.sendBoxPlaceholder },
    };
  }

  register(server: Server): void {
    const serve = (name: string, headers: () => Record<string, string> = () => ({})) => async (req: Request, res: Response) => {
      sendStatic(req, res, await this.files[name]!(), headers());
    };

    server.get('/', async (req: Request, res: Response) => {
      const q = req.query as Record<string, unknown> | undefined;
      const lang = pageLanguage(q?.lang, req.headers['accept-language']);
      const embedded = q?.embed === '1';
      const text = PAGE_TEXT[lang];
      const template = (await this.files['index.html']!()).body.toString('utf8');
      const href = (l: Lang) => `?lang=${l}${embedded ? '&embed=1' : ''}`;
      const html = fillTemplate(
        template,
        {
          lang,
          title: text.title,
          tagline: text.tagline,
          productName: text.productName,
          languageNav: text.languageNav,
          chatRegion: text.chatRegion,
          loading: text.loading,
          unavailable: text.unavailable,
          webChatScript: this.webChatScriptPath,
          bodyClass: embedded ? 'is-embedded' : '',
          nlHref: href('nl'),
          enHref: href('en'),
          nlCurrent: lang === 'nl' ? ' aria-current="page"' : '',
          enCurrent: lang === 'en' ? ' aria-current="page"' : '',
        },
        new Set(['nlCurrent', 'enCurrent']),
      );
      const body = Buffer.from(html);
      res.writeHead(200, {
        'Content-Type': 'text/html; charset=utf-8',
        'Content-Length': String(body.length),
        'Cache-Control': 'no-cache',
        'X-Content-Type-Options': 'nosniff',
        ...this.pageHeaders(),
      });
      res.end(body);
    });
    server.get('/web/app.js', serve('web/app.js'));
    server.get('/web/styles.css', serve('web/styles.css'));
    server.get('/web/favicon.svg', serve('web/favicon.svg'));
    server.get('/favicon.ico', serve('web/favicon.svg'));
    server.get('/embed.js', serve('embed.js'));
    server.get(`/webchat/:version/:file`, async (req: Request, res: Response) => {
      const file = String(req.params.file);
      if (req.params.version !== this.bundle.version || (file !== 'webchat.js' && file !== 'webchat.js.LICENSE.txt')) {
        res.status(404);
        res.json({ code: 'NotFound', message: `No such file; the page loads ${this.webChatScriptPath}.` });
        return;
      }
      await serve(file)(req, res);
    });
    server.get('/api/webchat/config', async (req: Request, res: Response) => {
      const q = req.query as Record<string, unknown> | undefined;
      const lang = pageLanguage(q?.lang, req.headers['accept-language']);
      res.setHeader('Cache-Control', 'no-store');
      res.json(this.config(lang));
    });
  }
}
