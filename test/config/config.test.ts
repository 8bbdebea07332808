import path from 'node:path';
import { ConfigError, configFromEnv } from '../../src/config';

describe('config', () => {
  it('runs on embedded defaults with an empty environment', () => {
    const c = configFromEnv({}, '/srv/bot');
    expect(c.port).toBe(3978);
    expect(c.microsoftAppId).toBe('');
    expect(c.knowledgeDir).toBe(path.resolve('/srv/bot', 'knowledge'));
    expect(c.logLevel).toBe('info');
    expect(Object.isFrozen(c)).toBe(true);
  });

  it('takes PORT and the other settings from the environment', () => {
    const c = configFromEnv({ PORT: '4000', LOG_LEVEL: 'DEBUG', KNOWLEDGE_DIR: '/data/kb', MATCH_ANSWER_THRESHOLD: '0.6' });
    expect(c.port).toBe(4000);
    expect(c.logLevel).toBe('debug');
    expect(c.knowledgeDir).toBe('/data/kb');
    expect(c.answerThreshold).toBe(0.6);
  });

  it.each([
    [{ PORT: 'abc' }, 'PORT="abc" is not valid: use a whole number from 0 to 65535.'],
    [{ PORT: '70000' }, 'PORT="70000" is not valid: use a whole number from 0 to 65535.'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL="loud" is not valid: use one of fatal, error, warn, info, debug, trace, silent.'],
    [{ MATCH_ANSWER_THRESHOLD: '1.5' }, 'MATCH_ANSWER_THRESHOLD="1.5" is not valid: use a number from 0 to 1, such as 0.5.'],
    [{ MicrosoftAppType: 'Personal' }, 'MicrosoftAppType="Personal" is not valid: use one of SingleTenant, MultiTenant, UserAssignedMSI.'],
  ])('stops on %j with one line naming the variable, value and what is allowed', (env, message) => {
    expect(() => configFromEnv(env)).toThrow(new ConfigError(message));
  });

  it('refuses an app id that is not a GUID and never prints the password', () => {
    expect(() => configFromEnv({ MicrosoftAppId: 'my-bot' })).toThrow(/MicrosoftAppId="my-bot" is not valid/);
    let message = '';
    try {
      configFromEnv({ MicrosoftAppId: '11111111-2222-3333-4444-555555555555', MicrosoftAppType: 'MultiTenant', MicrosoftAppPassword: '' });
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/MicrosoftAppPassword=\(hidden\) is not valid/);
  });

  it('needs the tenant id for a single-tenant registration', () => {
    expect(() =>
      configFromEnv({ MicrosoftAppId: '11111111-2222-3333-4444-555555555555', MicrosoftAppPassword: 'secret-value' }),
    ).toThrow(/MicrosoftAppTenantId="" is not valid with MicrosoftAppType=SingleTenant/);
  });
});
