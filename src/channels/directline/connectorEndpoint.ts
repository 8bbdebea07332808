/**
 * The connector endpoint of the local Direct Line: where the bot's replies arrive, through the
 * normal Bot Framework connector protocol (POST {serviceUrl}/v3/conversations/{id}/activities
 * [/{replyToId}]). Only the bot's own Direct Line adapter knows the secret it requires, so
 * nobody else can put activities into a conversation.
 */
import { timingSafeEqual } from 'node:crypto';
import type { Activity } from 'botbuilder';
import type { Request, Response, Server } from 'restify';
import type { Logger } from 'pino';
import { bearerToken } from './tokens';
import type { ConversationStore } from './conversationStore';
import { sendError } from './errors';

export const CONNECTOR_PATH = '/directline-connector';

/** Activity types the client never sees (the trace is for the Emulator only). */
const NOT_FOR_CLIENT = new Set(['trace']);

function sameSecret(given: string | undefined, expected: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

export interface ConnectorEndpointDeps {
  readonly store: ConversationStore;
  readonly connectorSecret: string;
  readonly logger: Logger;
}

export function registerConnectorEndpoint(server: Server, deps: ConnectorEndpointDeps): void {
  const handler = async (req: Request, res: Response) => {
    if (!sameSecret(bearerToken(req.headers.authorization), deps.connectorSecret)) {
      deps.logger.warn({ path: req.path() }, 'refused a request to the Direct Line connector endpoint without the internal secret');
      sendError(res, 401, 'Unauthorized', 'This endpoint is internal to the bot.');
      return;
    }
    const conversationId = String(req.params.conversationId ?? '');
    const conversation = deps.store.get(conversationId);
    if (!conversation) {
      sendError(res, 404, 'NotFound', 'No such conversation (it ended or expired).');
      return;
    }
    const body = req.body as Partial<Activity> | undefined;
    if (!body || typeof body !== 'object' || Array.isArray(body) || typeof body.type !== 'string') {
      sendError(res, 400, 'BadArgument', 'The body must be an activity with a "type".');
      return;
    }
    if (NOT_FOR_CLIENT.has(body.type)) {
      res.json({ id: '' });
      return;
    }
    const replyToId = req.params.replyToId ? String(req.params.replyToId) : body.replyToId;
    const activity = {
      ...body,
      channelId: 'webchat',
      conversation: { id: conversation.id },
      from: { ...(body.from ?? { id: 'bot' }), role: 'bot' },
      recipient: { id: conversation.userId, role: 'user' },
      ...(replyToId ? { replyToId } : {}),
    } as Activity;
    delete (activity as { serviceUrl?: string }).serviceUrl;
    const stored = deps.store.appendNow(conversation, activity);
    res.status(200);
    res.json({ id: stored.id });
  };
  server.post(`${CONNECTOR_PATH}/v3/conversations/:conversationId/activities`, handler);
  server.post(`${CONNECTOR_PATH}/v3/conversations/:conversationId/activities/:replyToId`, handler);
}
