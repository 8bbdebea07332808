/**
 * The least an incoming Bot Framework activity must hold before the adapter sees it. Returns a
 * plain-language reason for a 400, or null when the activity may pass.
 */

const MAX_FIELD = 2048;

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function shortString(v: unknown, max = MAX_FIELD): v is string {
  return typeof v === 'string' && v.length > 0 && v.length <= max;
}

/** Fields that botbuilder copies from the activity into every reply, where its serializer wants strings. */
const ACCOUNT_STRINGS = ['id', 'name', 'aadObjectId', 'role'] as const;
const CONVERSATION_STRINGS = ['conversationType', 'tenantId', 'name', 'aadObjectId', 'role'] as const;

function given(v: unknown): boolean {
  return v !== undefined && v !== null;
}

/** The first field of `o` that is given but not a string, if any. */
function notAString(o: Record<string, unknown>, fields: readonly string[]): string | undefined {
  return fields.find((f) => given(o[f]) && typeof o[f] !== 'string');
}

export function validateActivity(body: unknown): string | null {
  if (!isObject(body)) return 'the request body must be a JSON object (a Bot Framework activity)';
  if (!shortString(body.type, 64)) return 'the activity has no "type" (such as "message")';
  if (!shortString(body.channelId, 256)) return 'the activity has no "channelId"';
  if (!isObject(body.conversation) || !shortString(body.conversation.id)) return 'the activity has no "conversation.id"';
  const conversationField = notAString(body.conversation, CONVERSATION_STRINGS);
  if (conversationField) return `"conversation.${conversationField}" must be a string`;
  if (given(body.conversation.isGroup) && typeof body.conversation.isGroup !== 'boolean') return '"conversation.isGroup" must be true or false';
  if (given(body.id) && (typeof body.id !== 'string' || body.id.length > MAX_FIELD)) return '"id" must be a string';
  if (given(body.replyToId) && typeof body.replyToId !== 'string') return '"replyToId" must be a string';
  for (const party of ['from', 'recipient'] as const) {
    const account = body[party];
    if (account === undefined) continue;
    if (!isObject(account)) return `"${party}" must be an object with an "id"`;
    const field = notAString(account, ACCOUNT_STRINGS);
    if (field) return `"${party}.${field}" must be a string`;
  }
  // Replies go to the sender, and what the bot remembers about a user is kept under this id.
  if (!isObject(body.from) || !shortString(body.from.id)) return 'the activity has no "from.id" (who sent it)';
  if (body.text !== undefined && body.text !== null && typeof body.text !== 'string') return '"text" must be a string';
  if (body.locale !== undefined && body.locale !== null && typeof body.locale !== 'string') return '"locale" must be a string';
  if (body.entities !== undefined && body.entities !== null && !Array.isArray(body.entities)) return '"entities" must be a list';
  if (body.attachments !== undefined && body.attachments !== null && !Array.isArray(body.attachments)) return '"attachments" must be a list';
  if (body.membersAdded !== undefined && body.membersAdded !== null && !Array.isArray(body.membersAdded)) return '"membersAdded" must be a list';
  if (given(body.channelData) && !isObject(body.channelData)) return '"channelData" must be an object';
  // A serviceUrl is needed to reply unless the replies come back in the response; when one is
  // given it must be a URL either way (botbuilder builds a client for it).
  if (given(body.serviceUrl) && typeof body.serviceUrl !== 'string') return '"serviceUrl" must be a URL (a string)';
  if (given(body.serviceUrl) || body.deliveryMode !== 'expectReplies') {
    if (!shortString(body.serviceUrl)) return 'the activity has no "serviceUrl" to send replies to';
    let url: URL;
    try {
      url = new URL(body.serviceUrl);
    } catch {
      return '"serviceUrl" is not a valid URL';
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return '"serviceUrl" must be an http(s) URL';
  }
  return null;
}
