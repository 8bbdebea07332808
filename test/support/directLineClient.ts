/**
 * A small Direct Line 3.0 client for tests, speaking HTTP to the real server the way
 * botframework-directlinejs does (Bearer token, JSON bodies, watermark as a string).
 */
export interface Grant {
  conversationId: string;
  token: string;
  expires_in: number;
  streamUrl?: string;
}

export interface DlActivity {
  type: string;
  id?: string;
  text?: string;
  from?: { id: string; role?: string; name?: string };
  recipient?: { id: string; role?: string };
  conversation?: { id: string };
  replyToId?: string;
  locale?: string;
  channelData?: Record<string, unknown>;
  attachments?: Array<{ contentType: string; content: any }>;
  [key: string]: unknown;
}

export interface HttpResult<T = any> {
  status: number;
  headers: Headers;
  /** The JSON body: T on success, {error: {code, message}} on errors. */
  json: T & { error?: { code: string; message: string } };
  text: string;
}

export async function call<T = any>(url: string, init: Omit<RequestInit, 'body'> & { token?: string; body?: unknown } = {}): Promise<HttpResult<T>> {
  const headers = new Headers(init.headers);
  if (init.token) headers.set('authorization', `Bearer ${init.token}`);
  let body: string | undefined;
  if (typeof init.body === 'string') body = init.body;
  else if (init.body !== undefined) {
    body = JSON.stringify(init.body);
    headers.set('content-type', 'application/json');
  }
  const { token: _token, ...rest } = init;
  void _token;
  const res = await fetch(url, { ...rest, headers, body });
  const text = await res.text();
  let json: any = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = null;
  }
  return { status: res.status, headers: res.headers, json, text };
}

export class DirectLineTestClient {
  constructor(readonly baseUrl: string) {}

  get domain(): string {
    return `${this.baseUrl}/v3/directline`;
  }

  async generate(): Promise<Grant> {
    const r = await call<Grant>(`${this.domain}/tokens/generate`, { method: 'POST', body: {} });
    if (r.status !== 200) throw new Error(`tokens/generate answered ${r.status}: ${r.text}`);
    return r.json;
  }

  start(token: string, locale = 'nl-NL'): Promise<HttpResult<Grant>> {
    return call<Grant>(`${this.domain}/conversations`, { method: 'POST', token, body: { user: {}, locale } });
  }

  /** A new conversation, started. */
  async open(locale = 'nl-NL'): Promise<Grant> {
    const g = await this.generate();
    const r = await this.start(g.token, locale);
    if (r.status !== 201) throw new Error(`conversations answered ${r.status}: ${r.text}`);
    return r.json;
  }

  activities(conversationId: string, token: string, watermark = ''): Promise<HttpResult<{ activities: DlActivity[]; watermark: string }>> {
    return call(`${this.domain}/conversations/${conversationId}/activities?watermark=${encodeURIComponent(watermark)}`, { token });
  }

  post(conversationId: string, token: string, activity: Record<string, unknown>): Promise<HttpResult<{ id: string }>> {
    return call(`${this.domain}/conversations/${conversationId}/activities`, { method: 'POST', token, body: activity });
  }

  say(conversationId: string, token: string, text: string, clientActivityID = `c-${Math.random().toString(36).slice(2)}`) {
    return this.post(conversationId, token, { type: 'message', text, locale: 'nl-NL', from: { id: 'ignored', role: 'user' }, channelData: { clientActivityID } });
  }

  /** Polls until `until` holds for the activities after the watermark (or gives up after `ms`). */
  async pollUntil(conversationId: string, token: string, watermark: string, until: (a: DlActivity[]) => boolean, ms = 10000): Promise<{ activities: DlActivity[]; watermark: string }> {
    const deadline = Date.now() + ms;
    for (;;) {
      const r = await this.activities(conversationId, token, watermark);
      if (r.status !== 200) throw new Error(`activities answered ${r.status}: ${r.text}`);
      if (until(r.json.activities)) return r.json;
      if (Date.now() > deadline) throw new Error(`gave up polling: ${JSON.stringify(r.json.activities.map((a) => `${a.type}:${a.from?.role}:${(a.text ?? '').slice(0, 40)}`))}`);
      await new Promise((res) => setTimeout(res, 50));
    }
  }
}

export const botMessages = (activities: DlActivity[]) => activities.filter((a) => a.type === 'message' && a.from?.role === 'bot');
