/**
 * Identifiers that nobody can guess: conversation ids, user ids and secrets are crypto-random,
 * base64url (URL- and JSON-safe), at least 128 bits.
 */
import { randomBytes } from 'node:crypto';

/** 144 random bits as 24 base64url characters. */
export function randomId(bytes = 18): string {
  if (bytes < 16) throw new Error('an id needs at least 16 random bytes (128 bits)');
  return randomBytes(bytes).toString('base64url');
}

export function newConversationId(): string {
  return randomId();
}

/**
 * User ids carry Direct Line's "dl_" prefix: an id that is embedded in a signed token, which
 * Web Chat then uses as the user's id (it refuses to take such an id from the page).
 */
export function newUserId(): string {
  return `dl_${randomId()}`;
}

/** A 256-bit secret for signing tokens or authenticating internal requests. */
export function newSecret(): string {
  return randomBytes(32).toString('base64url');
}
