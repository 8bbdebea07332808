/**
 * Answers WebSocket upgrade requests with 404 when nothing serves them (Azure Direct Line mode,
 * or DIRECTLINE_WEBSOCKET=false). restify passes `upgrade` events on to itself, so without an
 * answer such a socket would stay open with no timeout.
 */
import type http from 'node:http';
import type { Duplex } from 'node:stream';

export function refuseUpgrades(server: http.Server): void {
  server.on('upgrade', (_req: http.IncomingMessage, socket: Duplex) => {
    socket.on('error', () => socket.destroy());
    socket.end('HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
  });
}
