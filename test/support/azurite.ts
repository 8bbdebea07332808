/**
 * Azurite (the official Azure Storage emulator), blob service only, as a child process of the
 * test: started on 127.0.0.1 and a free port, stopped by its pid. It can be stopped and started
 * again on the same port mid-test, to play a storage outage.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { REPO } from './testConfig';

const MAIN = path.join(REPO, 'node_modules', 'azurite', 'dist', 'src', 'blob', 'main.js');
/** The well-known key of Azurite's development account (public, documented by Microsoft). */
const DEV_ACCOUNT = 'devstoreaccount1';
const DEV_KEY = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

export interface Azurite {
  readonly port: number;
  readonly connectionString: string;
  /** The pid of the running Azurite process (null while stopped). */
  pid(): number | null;
  /** Stops it by pid: SIGKILL plays a crash, SIGTERM a clean stop. */
  stop(signal?: NodeJS.Signals): Promise<void>;
  /** Starts it again on the same port (and the same folder when it persists to disk). */
  start(): Promise<void>;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect({ host: '127.0.0.1', port });
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

/**
 * Starts Azurite's blob service. In memory by default (as CI runs it); `persist: true` keeps its
 * data in a temporary folder so that it survives a stop and start.
 */
export async function startAzurite(options: { persist?: boolean } = {}): Promise<Azurite> {
  const port = await freePort();
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sia-azurite-'));
  let child: ChildProcess | null = null;
  let output = '';

  const start = async () => {
    const args = [MAIN, '--blobHost', '127.0.0.1', '--blobPort', String(port), '--disableTelemetry', '--skipApiVersionCheck', '--silent'];
    args.push(...(options.persist ? ['--location', workDir] : ['--inMemoryPersistence']));
    const proc = spawn(process.execPath, args, { cwd: workDir, stdio: ['ignore', 'pipe', 'pipe'] });
    child = proc;
    let exited = false;
    proc.stdout!.on('data', (d) => (output += d));
    proc.stderr!.on('data', (d) => (output += d));
    proc.once('exit', () => (exited = true));
    const deadline = Date.now() + 20_000;
    while (!(await accepts(port))) {
      if (exited) throw new Error(`Azurite exited before it listened on ${port}:\n${output}`);
      if (Date.now() > deadline) {
        proc.kill('SIGKILL');
        throw new Error(`Azurite did not listen on ${port} within 20 s:\n${output}`);
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  };

  const stop = async (signal: NodeJS.Signals = 'SIGTERM') => {
    const proc = child;
    if (!proc || proc.exitCode !== null || proc.signalCode !== null) {
      child = null;
      return;
    }
    const exited = new Promise<void>((r) => proc.once('exit', () => r()));
    process.kill(proc.pid!, signal);
    const timer = setTimeout(() => proc.pid && process.kill(proc.pid, 'SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
    child = null;
    // The port is free again once nothing accepts on it.
    while (await accepts(port)) await new Promise((r) => setTimeout(r, 25));
  };

  await start();
  return {
    port,
    connectionString: `DefaultEndpointsProtocol=http;AccountName=${DEV_ACCOUNT};AccountKey=${DEV_KEY};BlobEndpoint=http://127.0.0.1:${port}/${DEV_ACCOUNT};`,
    pid: () => child?.pid ?? null,
    stop,
    start,
  };
}
