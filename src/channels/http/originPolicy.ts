/**
 * Which web pages may call the chat endpoints from a browser: the bot's own page (same host, or
 * PUBLIC_URL) and the origins in ALLOWED_ORIGINS. Answers CORS preflights for the given path
 * prefixes, adds the CORS headers for allowed origins, and refuses requests that a browser made
 * from any other origin.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { Next, Request, Response, Server } from 'restify';
import { underPrefix } from './throttle';

const ALLOW_HEADERS = 'Authorization, Content-Type, Accept, x-ms-bot-agent, X-Requested-With';
const ALLOW_METHODS = 'GET, POST, OPTIONS';
/** Web Chat's client waits as long as a 429 says; a browser lets it read the header only when exposed. */
const EXPOSE_HEADERS = 'Retry-After';

export class OriginPolicy {
  private readonly allowed: Set<string>;

  constructor(allowedOrigins: readonly string[], publicUrl: string) {
    this.allowed = new Set(allowedOrigins);
    if (publicUrl) this.allowed.add(new URL(publicUrl).origin);
  }

  /** ALLOWED_ORIGINS and PUBLIC_URL's origin (for frame-ancestors; the page's own host is 'self'). */
  get origins(): readonly string[] {
    return [...this.allowed];
  }

  /** True for no Origin (not a cross-site browser request), the page's own host, or a listed origin. */
  allows(headers: IncomingHttpHeaders): boolean {
    const origin = headers.origin;
    if (origin === undefined) return true;
    if (this.allowed.has(origin)) return true;
    try {
      return new URL(origin).host === headers.host;
    } catch {
      return false;
    }
  }

  /** A restify `pre` handler: CORS for the paths under the prefixes. */
  corsHandler(prefixes: readonly string[]) {
    return (req: Request, res: Response, next: Next) => {
      if (!underPrefix(req.path(), prefixes)) return next();
      const origin = req.headers.origin;
      if (origin === undefined) return next();
      if (!this.allows(req.headers)) {
        res.status(403);
        res.json({ error: { code: 'Forbidden', message: `Origin ${origin} may not use this endpoint; add it to ALLOWED_ORIGINS to embed the chat there.` } });
        return next(false);
      }
      res.header('Access-Control-Allow-Origin', origin);
      res.header('Vary', 'Origin');
      res.header('Access-Control-Expose-Headers', EXPOSE_HEADERS);
      if (req.method === 'OPTIONS') {
        res.header('Access-Control-Allow-Methods', ALLOW_METHODS);
        res.header('Access-Control-Allow-Headers', ALLOW_HEADERS);
        res.header('Access-Control-Max-Age', '600');
        res.status(204);
        res.end();
        return next(false);
      }
      return next();
    };
  }

  register(server: Server, prefixes: readonly string[]): void {
    server.pre(this.corsHandler(prefixes));
  }
}
