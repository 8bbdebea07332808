/**
 * The restify server: routes, body limits, request validation, health. Everything it serves is
 * handed to it; it builds nothing itself.
 */
import restify, { type Request, type Response, type Next, type Server } from 'restify';
import type { CloudAdapter, TurnContext } from 'botbuilder';
import type { Logger } from 'pino';
import { validateActivity } from './activityCheck';

export interface HealthInfo {
  readonly status: 'ok';
  readonly knowledge: { readonly version: string; readonly entries: number; readonly loadedAt: string };
  /** The state store: `degraded` while it is unreachable (the bot then answers without memory). */
  readonly storage: { readonly kind: string; readonly status: 'ok' | 'degraded' };
  readonly uptimeSeconds: number;
}

export interface HttpServerDeps {
  readonly adapter: CloudAdapter;
  readonly botLogic: (context: TurnContext) => Promise<void>;
  readonly health: () => HealthInfo;
  readonly logger: Logger;
  readonly maxBodyBytes: number;
  /** More routes (and `pre` handlers) to register, such as the web chat channels. */
  readonly routes?: ReadonlyArray<(server: Server) => void>;
}

export interface HttpServer {
  readonly server: Server;
  /** Requests being handled right now (for graceful shutdown). */
  inFlight(): number;
}

export function createHttpServer(deps: HttpServerDeps): HttpServer {
  const server = restify.createServer({ name: 'smart-industry-advisor', handleUncaughtExceptions: false });
  let inFlight = 0;

  server.pre((_req: Request, res: Response, next: Next) => {
    inFlight++;
    let done = false;
    const finish = () => {
      if (!done) {
        done = true;
        inFlight--;
      }
    };
    res.once('finish', finish);
    res.once('close', finish);
    next();
  });
  server.use(restify.plugins.queryParser({ mapParams: false }));
  server.use(
    restify.plugins.bodyParser({
      maxBodySize: deps.maxBodyBytes,
      mapParams: false,
      mapFiles: false,
      rejectUnknown: true,
    }),
  );

  server.post('/api/messages', async (req: Request, res: Response) => {
    const problem = validateActivity(req.body);
    if (problem) {
      res.status(400);
      res.json({ code: 'BadRequest', message: problem });
      return;
    }
    await deps.adapter.process(req, res, deps.botLogic);
  });

  server.get('/healthz', (_req: Request, res: Response, next: Next) => {
    res.json(deps.health());
    next();
  });

  for (const register of deps.routes ?? []) register(server);

  server.on('restifyError', (req: Request, _res: Response, err: Error & { statusCode?: number }, cb: () => void) => {
    const status = err.statusCode ?? 500;
    if (status >= 500) deps.logger.error({ err, path: req.path() }, 'request failed');
    else deps.logger.debug({ path: req.path(), status, reason: err.message }, 'request refused');
    // Never send a stack trace; restify's own error bodies carry only a code and a message.
    (err as { toJSON?: () => object }).toJSON = () => ({
      code: (err as { code?: string }).code ?? (err as { restCode?: string }).restCode ?? err.name,
      message: status >= 500 ? 'Internal error' : err.message,
    });
    cb();
  });

  return { server, inFlight: () => inFlight };
}
