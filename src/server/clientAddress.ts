/**
 * The address of the client a request comes from, for rate limits. By default the socket's
 * address: X-Forwarded-For is written by whoever sends the request, so it is believed only as far
 * as the operator says proxies of their own add to it (TRUST_PROXY): with N trusted proxies, the
 * client is the address the N-th proxy (counted from this server) saw.
 */
import net from 'node:net';

/** An address as it is written in a header or by Node, without port, brackets or IPv4-mapping. */
export function plainAddress(raw: string | undefined): string | null {
  let a = (raw ?? '').trim();
  if (!a) return null;
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(a);
  if (bracketed) a = bracketed[1]!;
  else if (/^\d{1,3}(\.\d{1,3}){3}:\d+$/.test(a)) a = a.slice(0, a.lastIndexOf(':')); // Azure App Service adds the port
  a = a.replace(/%.*$/, ''); // zone index of a link-local IPv6 address
  const mapped = /^::ffff:(\d{1,3}(\.\d{1,3}){3})$/i.exec(a);
  if (mapped) a = mapped[1]!;
  return net.isIP(a) ? a.toLowerCase() : null;
}

/**
 * The client's address: the socket's, or with `trustedProxies` > 0 the entry of X-Forwarded-For
 * that many hops back (fewer when the header is shorter or an entry is not an address).
 */
export function clientAddress(socketAddress: string | undefined, forwardedFor: string | string[] | undefined, trustedProxies: number): string {
  let client = plainAddress(socketAddress) ?? 'unknown';
  if (trustedProxies <= 0 || forwardedFor === undefined) return client;
  const chain = (Array.isArray(forwardedFor) ? forwardedFor.join(',') : forwardedFor).split(',');
  for (let hop = 0; hop < trustedProxies && chain.length > 0; hop++) {
    const next = plainAddress(chain.pop());
    if (!next) break;
    client = next;
  }
  return client;
}

/** The 8 groups of an IPv6 address. */
function ipv6Groups(address: string): string[] {
  const [head = '', tail] = address.split('::');
  const part = (s: string) => (s ? s.split(':') : []);
  let h = part(head);
  let t = tail === undefined ? [] : part(tail);
  // An embedded IPv4 address (::ffff:1.2.3.4 forms that plainAddress kept) counts as two groups.
  const v4 = (groups: string[]) => {
    const last = groups[groups.length - 1];
    if (!last || !last.includes('.')) return groups;
    const [a, b, c, d] = last.split('.').map(Number) as [number, number, number, number];
    return [...groups.slice(0, -1), ((a << 8) | b).toString(16), ((c << 8) | d).toString(16)];
  };
  if (tail === undefined) h = v4(h);
  else t = v4(t);
  const fill = Array<string>(Math.max(0, 8 - h.length - t.length)).fill('0');
  return [...h, ...fill, ...t].map((g) => g.replace(/^0+(?=.)/, ''));
}

/**
 * The key a client is counted under: the IPv4 address, or the /64 network of an IPv6 address
 * (one subscriber usually holds a whole /64, so single addresses would be free to change).
 */
export function clientKey(address: string): string {
  if (net.isIPv6(address)) return `${ipv6Groups(address).slice(0, 4).join(':')}::/64`;
  return address;
}
