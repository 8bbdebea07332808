import { ConfigError, configFromEnv } from '../../src/config';

describe('config: rate limits and proxies', () => {
  it('has limits on by default and trusts no proxy', () => {
    expect(configFromEnv({}).limits).toEqual({ ipPerMinute: 300, conversationPerMinute: 30, tokensPerMinute: 20, trustProxyHops: 0 });
  });

  it('reads the limits, 0 switching one off, and the proxies to trust', () => {
    const c = configFromEnv({ RATE_LIMIT_IP_PER_MINUTE: ' 600 ', RATE_LIMIT_CONVERSATION_PER_MINUTE: '0', RATE_LIMIT_TOKENS_PER_MINUTE: '5', TRUST_PROXY: '2' });
    expect(c.limits).toEqual({ ipPerMinute: 600, conversationPerMinute: 0, tokensPerMinute: 5, trustProxyHops: 2 });
    expect(configFromEnv({ TRUST_PROXY: 'on' }).limits.trustProxyHops).toBe(1);
    expect(configFromEnv({ TRUST_PROXY: 'TRUE' }).limits.trustProxyHops).toBe(1);
    expect(configFromEnv({ TRUST_PROXY: 'off' }).limits.trustProxyHops).toBe(0);
    expect(configFromEnv({ TRUST_PROXY: '0' }).limits.trustProxyHops).toBe(0);
  });

  it.each([
    [{ RATE_LIMIT_IP_PER_MINUTE: '-1' }, /^RATE_LIMIT_IP_PER_MINUTE="-1" is not valid: use a whole number of requests per minute from 1 to 1000000 \(default 300\), or 0 for no limit\.$/],
    [{ RATE_LIMIT_CONVERSATION_PER_MINUTE: '2.5' }, /^RATE_LIMIT_CONVERSATION_PER_MINUTE="2.5" is not valid: .*\(default 30\), or 0 for no limit\.$/],
    [{ RATE_LIMIT_TOKENS_PER_MINUTE: 'lots' }, /^RATE_LIMIT_TOKENS_PER_MINUTE="lots" is not valid: .*\(default 20\)/],
    [{ RATE_LIMIT_TOKENS_PER_MINUTE: '9999999' }, /^RATE_LIMIT_TOKENS_PER_MINUTE="9999999" is not valid/],
    [{ TRUST_PROXY: 'nginx' }, /^TRUST_PROXY="nginx" is not valid: use off \(the bot is reached directly\), on \(behind one proxy or load balancer that sets X-Forwarded-For\) or the number of proxies, 0 to 10\.$/],
    [{ TRUST_PROXY: '11' }, /^TRUST_PROXY="11" is not valid/],
  ])('stops on %j with one line saying what to do', (env, message) => {
    expect(() => configFromEnv(env)).toThrow(ConfigError);
    expect(() => configFromEnv(env)).toThrow(message);
  });
});
