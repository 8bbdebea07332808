/**
 * The guards in a real Node process: a rejection nobody handles is logged and the process lives
 * on; an uncaught exception is logged as fatal and the process exits 1.
 */
import path from 'node:path';
import { runNode } from '../support/run';
import { REPO } from '../support/testConfig';

const script = (body: string) => `
const { createLogger } = require(${JSON.stringify(path.join(REPO, 'dist/src/log/logger.js'))});
const { guardProcess } = require(${JSON.stringify(path.join(REPO, 'dist/src/log/processGuards.js'))});
guardProcess(createLogger({ level: 'info' }));
${body}`;

const lines = (out: string) => out.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l));

describe('process guards', () => {
  it('log an unhandled rejection with its stack and keep the process running', async () => {
    const r = await runNode(['-e', script(`Promise.reject(new Error('lost promise')); setTimeout(() => console.log(JSON.stringify({ msg: 'still running' })), 100);`)]);
    expect(r.code).toBe(0);
    const logged = lines(r.stdout);
    const rejection = logged.find((l) => /unhandled promise rejection/.test(l.msg));
    expect(rejection).toMatchObject({ level: 'error', kind: 'Error', err: { message: 'lost promise' } });
    expect(rejection.err.stack).toMatch(/lost promise\n\s+at /);
    expect(logged.at(-1).msg).toBe('still running');
  });

  it('log a rejection that is not an Error too', async () => {
    const r = await runNode(['-e', script(`Promise.reject('just a string');`)]);
    expect(r.code).toBe(0);
    expect(lines(r.stdout).find((l) => /unhandled promise rejection/.test(l.msg))).toMatchObject({ kind: 'string', err: 'just a string' });
  });

  it('log an uncaught exception as fatal and exit 1', async () => {
    const r = await runNode(['-e', script(`setTimeout(() => { throw new Error('thrown in a timer'); }, 10); setTimeout(() => console.log(JSON.stringify({ msg: 'should not run' })), 500);`)]);
    expect(r.code).toBe(1);
    const logged = lines(r.stdout);
    expect(logged.find((l) => l.level === 'fatal')).toMatchObject({ origin: 'uncaughtException', err: { message: 'thrown in a timer' } });
    expect(logged.some((l) => l.msg === 'should not run')).toBe(false);
  });
});
