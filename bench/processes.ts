/**
 * The child processes of the benchmark: started on a free loopback port, ready when GET /healthz
 * answers 200, stopped by pid (SIGTERM, then SIGKILL) — every one of them, also on Ctrl+C.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';

export const LOOPBACK = '127.0.0.1';

/** A free TCP port on the loopback interface (the OS picks it; the child binds it right after). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.unref();
    s.once('error', reject);
    s.listen(0, LOOPBACK, () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

const running = new Map<number, ChildProcess>();

export interface Child {
  readonly pid: number;
  readonly port: number;
  readonly name: string;
  /** Milliseconds from spawn to the first 200 of GET /healthz. */
  readonly readyMs: number;
  /** The last lines the child wrote (for error messages). */
  output(): string;
  stop(): Promise<void>;
}

export interface StartOptions {
  readonly name: string;
  readonly args: readonly string[];
  readonly env: Record<string, string>;
  readonly cwd: string;
  readonly port: number;
  readonly timeoutMs?: number;
  /** Extra node flags (e.g. --cpu-prof). */
  readonly nodeFlags?: readonly string[];
  /** Called with every line the child writes (stdout and stderr). */
  readonly onLine?: (line: string) => void;
}

/** GET a loopback URL; resolves with the status and body, or null when nothing answers. */
export function getJson(port: number, path: string, timeoutMs = 1000): Promise<{ status: number; body: any } | null> {
  return new Promise((resolve) => {
    const req = http.get({ host: LOOPBACK, port, path, agent: false, timeout: timeoutMs }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => {
        let body: any = null;
        try {
          body = text ? JSON.parse(text) : null;
        } catch {
          body = text;
        }
        resolve({ status: res.statusCode ?? 0, body });
      });
      res.on('error', () => resolve(null));
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(null));
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function startChild(o: StartOptions): Promise<Child> {
  const t0 = performance.now();
  const child = spawn(process.execPath, [...(o.nodeFlags ?? []), ...o.args], { cwd: o.cwd, env: o.env, stdio: ['ignore', 'pipe', 'pipe'] });
  if (child.pid === undefined) throw new Error(`${o.name}: could not start`);
  const pid = child.pid;
  running.set(pid, child);
  const lines: string[] = [];
  const reader = () => {
    let partial = '';
    return (d: Buffer) => {
      const parts = (partial + d.toString('utf8')).split('\n');
      partial = parts.pop() ?? '';
      const got = parts.filter(Boolean);
      if (o.onLine) for (const l of got) o.onLine(l);
      lines.push(...got);
      if (lines.length > 40) lines.splice(0, lines.length - 40);
    };
  };
  child.stdout!.on('data', reader());
  child.stderr!.on('data', reader());
  let exited: number | null | undefined;
  const exitedPromise = new Promise<void>((resolve) => child.once('exit', (code) => ((exited = code), running.delete(pid), resolve())));
  const stop = async () => {
    if (exited !== undefined) return;
    try {
      process.kill(pid, 'SIGTERM');
    } catch {
      return;
    }
    const done = await Promise.race([exitedPromise.then(() => true), sleep(5000).then(() => false)]);
    if (!done) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
      await Promise.race([exitedPromise, sleep(2000)]);
    }
  };
  const output = () => lines.join('\n');
  const deadline = t0 + (o.timeoutMs ?? 30000);
  for (;;) {
    if (exited !== undefined) throw new Error(`${o.name} exited with code ${exited} before it was ready:\n${output()}`);
    const r = await getJson(o.port, '/healthz', 500);
    if (r?.status === 200) break;
    if (performance.now() > deadline) {
      await stop();
      throw new Error(`${o.name} was not ready within ${Math.round((o.timeoutMs ?? 30000) / 1000)} s:\n${output()}`);
    }
    await sleep(10);
  }
  return { pid, port: o.port, name: o.name, readyMs: performance.now() - t0, output, stop };
}

/** Stops every child still running, by pid. */
export async function stopAll(): Promise<void> {
  const pids = [...running.keys()];
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGTERM');
    } catch {
      running.delete(pid);
    }
  }
  const deadline = Date.now() + 5000;
  while (running.size && Date.now() < deadline) await sleep(50);
  killAllNow();
}

/** Last resort (process exit): SIGKILL by pid whatever is left. */
export function killAllNow(): void {
  for (const pid of running.keys()) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // gone
    }
  }
  running.clear();
}

export function runningPids(): number[] {
  return [...running.keys()];
}

/** Resident memory of a process in MB (Linux: VmRSS of /proc/<pid>/status); NaN elsewhere. */
export function rssMb(pid: number): number {
  try {
    const m = /^VmRSS:\s+(\d+)\s+kB/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : NaN;
  } catch {
    return NaN;
  }
}

/** Runs a node script to the end (bounded), stopping it by pid on timeout or abort. */
export function runToEnd(args: readonly string[], o: { cwd: string; env: Record<string, string>; timeoutMs: number }): Promise<{ code: number | null; stdout: string; stderr: string; ms: number; timedOut: boolean }> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, [...args], { cwd: o.cwd, env: o.env, stdio: ['ignore', 'pipe', 'pipe'] });
    if (child.pid === undefined) {
      reject(new Error(`could not start node ${args.join(' ')}`));
      return;
    }
    const pid = child.pid;
    running.set(pid, child);
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout!.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // gone
      }
    }, o.timeoutMs);
    child.once('close', (code) => {
      clearTimeout(timer);
      running.delete(pid);
      resolve({ code, stdout, stderr, ms: performance.now() - t0, timedOut });
    });
  });
}
