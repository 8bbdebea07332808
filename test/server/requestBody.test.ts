/**
 * Which bodies the server reads: uncompressed JSON only. Before this rule a body with
 * `Content-Encoding: gzip` that was not gzip crashed the process (restify's gunzip stream had no
 * error handler), multipart uploads were written to the temp folder, and a form was read as an
 * activity. Tested on a bare restify server with the same body parser as the bot's.
 */
import fs from 'node:fs';
import os from 'node:os';
import zlib from 'node:zlib';
import type { AddressInfo } from 'node:net';
import restify, { type Server } from 'restify';
import { jsonBodiesOnly } from '../../src/server/requestBody';

let server: Server;
let url: string;

beforeAll(async () => {
  server = restify.createServer({ handleUncaughtExceptions: false });
  server.use(jsonBodiesOnly());
  server.use(restify.plugins.bodyParser({ maxBodySize: 64 * 1024, mapParams: false, mapFiles: false, rejectUnknown: true }));
  server.post('/echo', (req, res, next) => {
    res.json({ body: req.body });
    next();
  });
  server.post('/empty', (_req, res, next) => {
    res.json({ ok: true });
    next();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

async function post(path: string, body: string | Uint8Array | FormData | undefined, headers: Record<string, string> = {}) {
  const res = await fetch(`${url}${path}`, { method: 'POST', headers, body });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : null };
}

describe('jsonBodiesOnly', () => {
  it('passes JSON, with a charset, with odd spacing, and a +json type', async () => {
    for (const type of ['application/json', 'application/json; charset=utf-8', 'Application/JSON', 'application/json ; charset=utf-8', 'application/activity+json']) {
      const res = await post('/echo', '{"type":"message"}', { 'content-type': type });
      expect([type, res.status, res.json.body]).toEqual([type, 200, { type: 'message' }]);
    }
  });

  it('refuses a gzip body that is not gzip with 415, and the server lives on', async () => {
    const res = await post('/echo', '{"type":"message"}', { 'content-type': 'application/json', 'content-encoding': 'gzip' });
    expect(res.status).toBe(415);
    expect(res.json.message).toMatch(/uncompressed/);
    expect((await post('/echo', '{"a":1}', { 'content-type': 'application/json' })).status).toBe(200);
  });

  it('refuses real gzip too: the unpacked size would escape the body limit', async () => {
    const bomb = zlib.gzipSync(Buffer.alloc(5 * 1024 * 1024, 0x20));
    expect(bomb.length).toBeLessThan(64 * 1024);
    const res = await post('/echo', new Uint8Array(bomb), { 'content-type': 'application/json', 'content-encoding': 'gzip' });
    expect(res.status).toBe(415);
  });

  it.each([
    ['text/plain', 'hello'],
    ['application/x-www-form-urlencoded', 'type=message&conversation[id]=c'],
    ['text/csv', 'type,text\nmessage,hi'],
    ['application/xml', '<a/>'],
  ])('refuses %s with 415 and a message', async (type, body) => {
    const res = await post('/echo', body, { 'content-type': type });
    expect(res.status).toBe(415);
    expect(res.json).toEqual({ code: 'UnsupportedMediaType', message: expect.stringMatching(/Content-Type: application\/json/) });
  });

  it('refuses a multipart upload without writing it to the temp folder', async () => {
    const before = new Set(fs.readdirSync(os.tmpdir()).filter((f) => f.startsWith('upload_')));
    const form = new FormData();
    form.append('type', 'message');
    form.append('file', new Blob(['x'.repeat(10_000)]), 'a.bin');
    const res = await post('/echo', form);
    expect(res.status).toBe(415);
    expect(fs.readdirSync(os.tmpdir()).filter((f) => f.startsWith('upload_') && !before.has(f))).toEqual([]);
  });

  it('refuses a body without a content type, and lets a request without a body through', async () => {
    expect((await post('/echo', new TextEncoder().encode('{"a":1}'))).status).toBe(415);
    expect((await post('/empty', undefined)).status).toBe(200);
  });
});
