import { ConfigError, configFromEnv, secretValues } from '../../src/config';

describe('config: channels', () => {
  it('has working defaults: local Direct Line with WebSocket, no Azure, no extra origins', () => {
    const c = configFromEnv({});
    expect(c).toMatchObject({
      publicUrl: '',
      allowedOrigins: [],
      directLineTokenSecret: '',
      directLineTokenTtlSeconds: 1800,
      directLineTokenMaxLifetimeSeconds: 86400,
      directLineWebSocket: true,
      directLineMaxConversations: 5000,
      directLineMaxQueuedActivities: 200,
      directLineIdleSeconds: 3600,
      azureDirectLineSecret: '',
      azureDirectLineEndpoint: 'https://directline.botframework.com/v3/directline',
      teamsAppId: '',
      teamsAppVersion: '1.0.0',
      teamsDeveloperName: 'Smart Industry Advisor',
    });
  });

  it('reads origins, the public address and the Teams settings', () => {
    const c = configFromEnv({
      ALLOWED_ORIGINS: ' https://www.example.nl , https://shop.example.nl:8443,https://www.example.nl',
      PUBLIC_URL: 'https://Advisor.example.nl/',
      DIRECTLINE_WEBSOCKET: 'false',
      MicrosoftAppId: '11111111-2222-3333-4444-555555555555',
      MicrosoftAppTenantId: '11111111-2222-3333-4444-555555555556',
      MicrosoftAppPassword: 'pw-value',
      TEAMS_PRIVACY_URL: 'https://www.example.nl/privacy',
    });
    expect(c.allowedOrigins).toEqual(['https://www.example.nl', 'https://shop.example.nl:8443']);
    expect(c.publicUrl).toBe('https://advisor.example.nl');
    expect(c.directLineWebSocket).toBe(false);
    expect(c.teamsAppId).toBe('11111111-2222-3333-4444-555555555555');
    expect(c.teamsWebsiteUrl).toBe('https://advisor.example.nl');
    expect(c.teamsPrivacyUrl).toBe('https://www.example.nl/privacy');
  });

  it.each([
    [{ ALLOWED_ORIGINS: 'https://www.example.nl/chat' }, /^ALLOWED_ORIGINS="https:\/\/www.example.nl\/chat" is not valid: "https:\/\/www.example.nl\/chat" is not an origin; use a comma-separated list/],
    [{ ALLOWED_ORIGINS: '*' }, /ALLOWED_ORIGINS="\*" is not valid: "\*" is not an origin.*no wildcards/],
    [{ PUBLIC_URL: 'advisor.example.nl' }, /^PUBLIC_URL="advisor.example.nl" is not valid: use an http:\/\/ or https:\/\/ address/],
    [{ DIRECTLINE_ENDPOINT: 'http://directline.example.com/v3/directline' }, /^DIRECTLINE_ENDPOINT="http:\/\/directline.example.com\/v3\/directline" is not valid: use an https:\/\/ address \(http:\/\/ only for localhost or 127.0.0.1\)/],
    [{ DIRECTLINE_WEBSOCKET: 'maybe' }, /^DIRECTLINE_WEBSOCKET="maybe" is not valid: use true or false\.$/],
    [{ DIRECTLINE_TOKEN_TTL_SECONDS: '10' }, /^DIRECTLINE_TOKEN_TTL_SECONDS="10" is not valid: use a whole number from 1200 to 86400\.$/],
    [{ DIRECTLINE_TOKEN_TTL_SECONDS: '3600', DIRECTLINE_TOKEN_MAX_LIFETIME_SECONDS: '600' }, /^DIRECTLINE_TOKEN_MAX_LIFETIME_SECONDS="600" is not valid: it must not be below DIRECTLINE_TOKEN_TTL_SECONDS \(3600\)\.$/],
    [{ DIRECTLINE_MAX_QUEUED_ACTIVITIES: '0' }, /^DIRECTLINE_MAX_QUEUED_ACTIVITIES="0" is not valid/],
    [{ TEAMS_APP_ID: 'my-app' }, /^TEAMS_APP_ID="my-app" is not valid: use a GUID/],
    [{ TEAMS_APP_VERSION: 'v1' }, /^TEAMS_APP_VERSION="v1" is not valid: use a version such as 1.0.0/],
    [{ TEAMS_DEVELOPER_NAME: 'A very long developer name of a company' }, /^TEAMS_DEVELOPER_NAME=".*" is not valid: use at most 32 characters/],
    [{ TEAMS_TERMS_URL: 'http://www.example.nl/terms' }, /^TEAMS_TERMS_URL=".*" is not valid: use an https:\/\/ address/],
  ])('stops on %j with one line naming the variable, value and what is allowed', (env, message) => {
    let error: unknown;
    try {
      configFromEnv(env);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).not.toContain('\n');
  });

  it('never shows the Direct Line secrets, and lists them for log redaction', () => {
    let message = '';
    try {
      configFromEnv({ DIRECTLINE_TOKEN_SECRET: 'too-short-secret' });
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/^DIRECTLINE_TOKEN_SECRET=\(hidden\) is not valid: use at least 32 random characters/);
    expect(message).not.toContain('too-short-secret');
    const c = configFromEnv({ DIRECTLINE_TOKEN_SECRET: 's'.repeat(40), DIRECTLINE_SECRET: 'azure-direct-line-secret' });
    expect(secretValues(c)).toEqual(expect.arrayContaining(['s'.repeat(40), 'azure-direct-line-secret']));
  });
});
