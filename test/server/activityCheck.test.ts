/**
 * The least an activity must hold before the adapter sees it. The fuzz test found activities
 * that passed this check and then failed the turn or the request: fields that botbuilder copies
 * into every reply and serializes as strings (id, from, recipient, conversation), a serviceUrl
 * that was not a string (a 500 with the TypeError's text as the body), channelData that was no
 * object, and a missing from.id (user state cannot be read without it).
 */
import { validateActivity } from '../../src/server/activityCheck';

const valid = (more: Record<string, unknown> = {}) => ({
  type: 'message',
  channelId: 'emulator',
  deliveryMode: 'expectReplies',
  conversation: { id: 'c' },
  from: { id: 'u' },
  ...more,
});

describe('validateActivity', () => {
  it('passes a plain activity, and optional fields given as null', () => {
    expect(validateActivity(valid())).toBeNull();
    expect(validateActivity(valid({ id: null, replyToId: null, channelData: null, serviceUrl: null, conversation: { id: 'c', tenantId: null, isGroup: null } }))).toBeNull();
    expect(validateActivity(valid({ id: '', from: { id: 'u', name: '' }, recipient: {}, conversation: { id: 'c', conversationType: 'personal', tenantId: 't', isGroup: false } }))).toBeNull();
  });

  it.each([
    ['id', { id: 5 }, /"id" must be a string/],
    ['a very long id', { id: 'x'.repeat(2049) }, /"id" must be a string/],
    ['replyToId', { replyToId: {} }, /"replyToId" must be a string/],
    ['from.id', { from: { id: 7 } }, /"from.id" must be a string/],
    ['from.name', { from: { id: 'u', name: 5 } }, /"from.name" must be a string/],
    ['recipient.id', { recipient: { id: 5 } }, /"recipient.id" must be a string/],
    ['recipient.role', { recipient: { id: 'b', role: [] } }, /"recipient.role" must be a string/],
    ['conversation.tenantId', { conversation: { id: 'c', tenantId: 5 } }, /"conversation.tenantId" must be a string/],
    ['conversation.conversationType', { conversation: { id: 'c', conversationType: 5 } }, /"conversation.conversationType" must be a string/],
    ['conversation.isGroup', { conversation: { id: 'c', isGroup: 'yes' } }, /"conversation.isGroup" must be true or false/],
    ['channelData', { channelData: 'x' }, /"channelData" must be an object/],
    ['channelData as a list', { channelData: [] }, /"channelData" must be an object/],
  ])('refuses %s of the wrong type', (_label, more, message) => {
    expect(validateActivity(valid(more))).toMatch(message);
  });

  it('needs from.id: replies go to the sender, and user state is kept under it', () => {
    const { from: _from, ...withoutFrom } = valid();
    expect(validateActivity(withoutFrom)).toMatch(/no "from.id"/);
    expect(validateActivity(valid({ from: {} }))).toMatch(/no "from.id"/);
    expect(validateActivity(valid({ from: { id: '' } }))).toMatch(/no "from.id"/);
  });

  it('checks a given serviceUrl even when the replies come back in the response', () => {
    expect(validateActivity(valid({ serviceUrl: 5 }))).toMatch(/"serviceUrl" must be a URL/);
    expect(validateActivity(valid({ serviceUrl: 'not a url' }))).toMatch(/not a valid URL/);
    expect(validateActivity(valid({ serviceUrl: 'javascript:alert(1)' }))).toMatch(/http\(s\)/);
    expect(validateActivity(valid({ serviceUrl: 'http://127.0.0.1:1/' }))).toBeNull();
    expect(validateActivity(valid({ deliveryMode: undefined }))).toMatch(/no "serviceUrl"/);
  });
});
