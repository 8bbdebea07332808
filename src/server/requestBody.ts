/**
 * Which request bodies the server reads at all: uncompressed JSON. Every endpoint of the bot
 * (Bot Framework, Direct Line, the connector) speaks JSON, so anything else is refused with a 415
 * before restify's body parser sees it. That parser would otherwise accept forms, multipart
 * uploads (written to the temp folder) and CSV, and gunzip a body with no limit on the unpacked
 * size and no handler for a broken stream: one request with `Content-Encoding: gzip` and a body
 * that is not gzip stopped the whole process.
 */
import type { Next, Request, RequestHandler, Response } from 'restify';

const JSON_TYPE = /^application\/(?:[\w.-]+\+)?json$/;

function hasBody(req: Request): boolean {
  if (req.method === 'GET' || req.method === 'HEAD') return false;
  return req.contentLength() > 0 || req.isChunked();
}

function refuse(res: Response, next: Next, message: string): void {
  res.status(415);
  res.json({ code: 'UnsupportedMediaType', message });
  next(false);
}

/** A `use` handler to register before the body parser. */
export function jsonBodiesOnly(): RequestHandler {
  return (req: Request, res: Response, next: Next) => {
    if (!hasBody(req)) return next();
    const encoding = String(req.headers['content-encoding'] ?? '').trim().toLowerCase();
    if (encoding && encoding !== 'identity') {
      return refuse(res, next, 'send the body uncompressed: no Content-Encoding is accepted');
    }
    const [type = '', ...params] = String(req.headers['content-type'] ?? '').split(';');
    const mediaType = type.trim().toLowerCase();
    if (!JSON_TYPE.test(mediaType)) return refuse(res, next, 'send the body as JSON, with the header Content-Type: application/json');
    // "application/json ; charset=utf-8" is valid HTTP, but restify's parser would not see JSON in it.
    req.headers['content-type'] = [mediaType, ...params.map((p) => p.trim())].join('; ');
    return next();
  };
}
