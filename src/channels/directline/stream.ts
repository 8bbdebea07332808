/**
 * The WebSocket stream of the local Direct Line (GET /v3/directline/conversations/{id}/stream
 * ?t=<stream token>[&watermark=N]), upgraded with the `ws` package on the server's underlying
 * http server. Each message is an activity group {activities, watermark}, as Azure Direct Line
 * sends it. The client's own messages (empty keep-alives) only mark the conversation as in use.
 * Ping frames find dead connections; a conversation that is swept closes its sockets, and the
 * client then learns from a 404 that it ended.
 */
import type http from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Logger } from 'pino';
import type { ConversationStore } from './conversationStore';
import type { DirectLineTokens } from './tokens';
import type { OriginPolicy } from '../http/originPolicy';
import { tooManyRequestsUpgradeReply, type Throttle } from '../http/throttle';
import { DIRECTLINE_PATH } from './routes';

const STREAM_PATH = new RegExp(`^${DIRECTLINE_PATH.replace(/\//g, '\\/')}\\/conversations\\/([A-Za-z0-9_-]{16,64})\\/stream$`);
/** A client is slow or gone when this much is waiting to be sent. */
const MAX_BUFFERED_BYTES = 1024 * 1024;
const MAX_SOCKETS_PER_CONVERSATION = 4;

export interface StreamDeps {
  readonly store: ConversationStore;
  readonly tokens: DirectLineTokens;
  readonly origins: OriginPolicy;
  readonly logger: Logger;
  /** A connect counts as a request of the client's address and of the conversation. */
  readonly throttle: Throttle;
  readonly heartbeatMs?: number;
}

function refuse(socket: Duplex, status: number, reason: string): void {
  const body = JSON.stringify({ error: { code: status === 404 ? 'NotFound' : status === 403 ? 'Forbidden' : 'Unauthorized', message: reason } });
  socket.end(`HTTP/1.1 ${status} ${status === 404 ? 'Not Found' : status === 403 ? 'Forbidden' : 'Unauthorized'}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
}

export class DirectLineStream {
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: 4096, perMessageDeflate: false });
  private readonly sockets = new Map<string, Set<WebSocket>>();
  private readonly alive = new WeakSet<WebSocket>();
  private heartbeat: NodeJS.Timeout | null = null;

  constructor(private readonly deps: StreamDeps) {
    deps.store.onRemoved((c) => {
      for (const ws of this.sockets.get(c.id) ?? []) ws.close(1000, 'conversation ended');
      this.sockets.delete(c.id);
    });
  }

  /** Handles upgrades on the http server (restify passes its `upgrade` events on). */
  attach(server: http.Server): void {
    server.on('upgrade', (req: http.IncomingMessage, socket: Duplex, head: Buffer) => this.upgrade(req, socket, head));
    this.heartbeat = setInterval(() => this.beat(), this.deps.heartbeatMs ?? 30_000);
    this.heartbeat.unref();
  }

  get openSockets(): number {
    let n = 0;
    for (const set of this.sockets.values()) n += set.size;
    return n;
  }

  private upgrade(req: http.IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on('error', () => socket.destroy());
    const url = new URL(req.url ?? '/', 'http://localhost');
    const m = STREAM_PATH.exec(url.pathname);
    if (!m) return refuse(socket, 404, 'No WebSocket endpoint here.');
    const busyClient = this.deps.throttle.client(req);
    if (busyClient) return void socket.end(tooManyRequestsUpgradeReply(busyClient));
    if (!this.deps.origins.allows(req.headers)) return refuse(socket, 403, `Origin ${req.headers.origin} may not use this endpoint; add it to ALLOWED_ORIGINS.`);
    const v = this.deps.tokens.verifyStreamToken(url.searchParams.get('t') ?? undefined);
    if (!v.ok) return refuse(socket, 401, 'The stream URL is not valid or has expired; reconnect to get a new one.');
    if (v.claims.conversationId !== m[1]) return refuse(socket, 403, 'This stream URL belongs to another conversation.');
    const busyConversation = this.deps.throttle.conversation(m[1]!);
    if (busyConversation) return void socket.end(tooManyRequestsUpgradeReply(busyConversation));
    const conversation = this.deps.store.get(m[1]!);
    if (!conversation) return refuse(socket, 404, 'This conversation has ended or expired.');
    const rawWatermark = url.searchParams.get('watermark') ?? '';
    const watermark = /^\d{1,15}$/.test(rawWatermark) ? Number(rawWatermark) : 0;

    this.wss.handleUpgrade(req, socket, head, (ws) => {
      let set = this.sockets.get(conversation.id);
      if (!set) this.sockets.set(conversation.id, (set = new Set()));
      if (set.size >= MAX_SOCKETS_PER_CONVERSATION) {
        const oldest = set.values().next().value as WebSocket;
        oldest.close(1000, 'replaced by a newer connection');
        set.delete(oldest);
      }
      set.add(ws);
      this.alive.add(ws);

      const send = (group: object) => {
        if (ws.readyState !== ws.OPEN) return;
        if (ws.bufferedAmount > MAX_BUFFERED_BYTES) {
          ws.terminate();
          return;
        }
        ws.send(JSON.stringify(group));
      };
      const unsubscribe = conversation.subscribe(send);
      const backlog = conversation.after(watermark);
      if (backlog.activities.length) send(backlog);

      ws.on('pong', () => this.alive.add(ws));
      ws.on('message', () => {
        this.alive.add(ws);
        this.deps.store.get(conversation.id); // keep-alive: the conversation is in use
      });
      ws.on('error', () => ws.terminate());
      ws.on('close', () => {
        unsubscribe();
        set!.delete(ws);
        if (set!.size === 0 && this.sockets.get(conversation.id) === set) this.sockets.delete(conversation.id);
      });
    });
  }

  private beat(): void {
    for (const set of this.sockets.values()) {
      for (const ws of set) {
        if (!this.alive.has(ws)) {
          ws.terminate();
          continue;
        }
        this.alive.delete(ws);
        ws.ping();
      }
    }
  }

  stop(): void {
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.heartbeat = null;
    for (const set of this.sockets.values()) for (const ws of set) ws.terminate();
    this.sockets.clear();
    this.wss.close();
  }
}
