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

export function validateActivity(body: unknown): string | null {
  if (!isObject(body)) return 'the request body must be a JSON object (a Bot Framework activity)';
  if (!shortString(body.type, 64)) return 'the activity has no "type" (such as "message")';
  if (!shortString(body.channelId, 256)) return 'the activity has no "channelId"';
  if (!isObject(body.conversation) || !shortString(body.conversation.id)) return 'the activity has no "conversation.id"';
  if (body.from !== undefined && !isObject(body.from)) return '"from" must be an object with an "id"';
  if (body.recipient !== undefined && !isObject(body.recipient)) return '"recipient" must be an object with an "id"';
  if (body.text !== undefined && body.text !== null && typeof body.text !== 'string') return '"text" must be a string';
  if (body.locale !== undefined && body.locale !== null && typeof body.locale !== 'string') return '"locale" must be a string';
  if (body.entities !== undefined && body.entities !== null && !Array.isArray(body.entities)) return '"entities" must be a list';
  if (body.attachments !== undefined && body.attachments !== null && !Array.isArray(body.attachments)) return '"attachments" must be a list';
  if (body.membersAdded !== undefined && body.membersAdded !== null && !Array.isArray(body.membersAdded)) return '"membersAdded" must be a list';
  const expectReplies = body.deliveryMode === 'expectReplies';
  if (!expectReplies) {
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
