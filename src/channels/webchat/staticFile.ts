/**
 * Files served as they are, from disk, read once (on first use) and kept: a content type, an
 * ETag (304 when the browser has it), a Cache-Control, and gzip when the browser takes it and
 * the file is large.
 */
import fs from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import type { Request, Response } from 'restify';

export interface StaticFile {
  readonly body: Buffer;
  readonly gzipped: Buffer | null;
  readonly etag: string;
  readonly contentType: string;
  readonly cacheControl: string;
}

const GZIP_FROM_BYTES = 8 * 1024;
const gzipAsync = promisify(gzip);

/** Loaded files, shared by every server in this process (the files do not change while it runs). */
const cache = new Map<string, Promise<StaticFile>>();

export function staticFile(file: string, contentType: string, cacheControl: string, transform?: (text: string) => string): () => Promise<StaticFile> {
  // A transform must give the same text every time (it fills in constants).
  const key = JSON.stringify([file, contentType, cacheControl, Boolean(transform)]);
  return () => {
    let loaded = cache.get(key);
    if (!loaded) {
      loaded = (async () => {
        const raw = await fs.readFile(file);
        const body = transform ? Buffer.from(transform(raw.toString('utf8'))) : raw;
        const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"`;
        const gzipped = body.length >= GZIP_FROM_BYTES ? await gzipAsync(body) : null;
        return { body, gzipped, etag, contentType, cacheControl };
      })();
      cache.set(key, loaded);
      loaded.catch(() => cache.delete(key));
    }
    return loaded;
  };
}

export function sendStatic(req: Request, res: Response, file: StaticFile, extraHeaders: Record<string, string> = {}): void {
  const headers: Record<string, string> = {
    'Content-Type': file.contentType,
    'Cache-Control': file.cacheControl,
    ETag: file.etag,
    'X-Content-Type-Options': 'nosniff',
    ...extraHeaders,
  };
  if (file.gzipped) headers.Vary = 'Accept-Encoding';
  const ifNoneMatch = req.headers['if-none-match'];
  if (ifNoneMatch && ifNoneMatch.split(',').map((s) => s.trim()).includes(file.etag)) {
    res.writeHead(304, headers);
    res.end();
    return;
  }
  const useGzip = file.gzipped !== null && /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
  const body = useGzip ? file.gzipped! : file.body;
  if (useGzip) headers['Content-Encoding'] = 'gzip';
  headers['Content-Length'] = String(body.length);
  res.writeHead(200, headers);
  res.end(req.method === 'HEAD' ? undefined : body);
}
