/**
 * Bot Framework's side of /api/messages for tests: an app id, a Teams message to the bot, and
 * JWTs signed the way Bot Framework's channel service signs them (RS256, with a key id), with a
 * key of the test's choosing.
 */
import type crypto from 'node:crypto';
import jwt from 'jsonwebtoken';

export const TEST_APP_ID = '11111111-2222-3333-4444-555555555555';
export const BOT_FRAMEWORK_ISSUER = 'https://api.botframework.com';

/** A Teams message to the bot; `extra` adds or replaces fields (deliveryMode, serviceUrl, …). */
export function teamsMessage(conversationId: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    type: 'message',
    channelId: 'msteams',
    conversation: { id: conversationId },
    from: { id: 'user' },
    recipient: { id: TEST_APP_ID },
    text: 'What is a cobot?',
    ...extra,
  };
}

/** A channel token for TEST_APP_ID, valid for `expiresIn` seconds (negative: expired that long ago). */
export function channelToken(key: crypto.KeyObject, options: { claims?: Record<string, unknown>; kid?: string; expiresIn?: number } = {}): string {
  const now = Math.floor(Date.now() / 1000);
  return jwt.sign({ iss: BOT_FRAMEWORK_ISSUER, aud: TEST_APP_ID, iat: now, exp: now + (options.expiresIn ?? 3600), ...options.claims }, key.export({ type: 'pkcs8', format: 'pem' }), {
    algorithm: 'RS256',
    keyid: options.kid ?? 'test-signing-key',
  });
}
