/**
 * The central service for e2e tests: `server/main.ts` in a child process on a fixed port with its own
 * PGlite data folder (so it can be stopped — the network is down — and started again with its data), plus
 * a headless "office laptop" (a harness without a browser) driven through its contract endpoint.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startHarness, stop } from './fixtures.ts';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const ADMIN = { email: 'admin@dxmentor.local', password: 'office-admin-2026!' };

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

export interface Central {
  url: string;
  stop(): Promise<void>;
  start(): Promise<void>;
  /** Calls the admin API (logged in as the bootstrap administrator). */
  admin<T>(method: 'GET' | 'POST' | 'PATCH', route: string, body?: unknown): Promise<T>;
}

export async function startCentral(dataDir: string): Promise<Central> {
  fs.mkdirSync(dataDir, { recursive: true });
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  let child: ChildProcess | null = null;
  const start = () =>
    new Promise<void>((resolve, reject) => {
      const c = spawn(process.execPath, ['--import', 'tsx', path.join(repo, 'server/main.ts')], {
        cwd: repo,
        env: { ...process.env, PORT: String(port), SERVER_DATA_DIR: dataDir, ADMIN_BOOTSTRAP_PASSWORD: ADMIN.password, LOG_LEVEL: 'warn' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      child = c;
      let out = '';
      const timer = setTimeout(() => reject(new Error(`central service did not start: ${out}`)), 60_000);
      c.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        if (out.includes('Listening on')) {
          clearTimeout(timer);
          resolve();
        }
      });
      c.stderr.on('data', (d: Buffer) => (out += d.toString()));
      c.on('exit', (code) => {
        clearTimeout(timer);
        if (!out.includes('Listening on')) reject(new Error(`central service exited with ${code}: ${out}`));
      });
    });
  await start();
  let token: string | null = null;
  const admin = async <T>(method: 'GET' | 'POST' | 'PATCH', route: string, body?: unknown): Promise<T> => {
    if (!token) {
      const r = await fetch(`${url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(ADMIN) });
      if (!r.ok) throw new Error(`admin login failed: ${r.status} ${await r.text()}`);
      token = ((await r.json()) as { accessToken: string }).accessToken;
    }
    const r = await fetch(`${url}${route}`, { method, headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) }, ...(body ? { body: JSON.stringify(body) } : {}) });
    if (!r.ok) throw new Error(`${method} ${route}: ${r.status} ${await r.text()}`);
    return (await r.json()) as T;
  };
  return {
    url,
    admin,
    start,
    async stop() {
      if (child) await stop(child, false);
      child = null;
    },
  };
}

/** A laptop without a screen (the central office's): the real app's handlers behind the harness. */
export async function startOfficeLaptop(dbFile: string) {
  fs.mkdirSync(path.dirname(dbFile), { recursive: true });
  const h = await startHarness(dbFile);
  const invoke = async <T>(name: string, input: unknown): Promise<T> => {
    const r = await fetch(`${h.url}/__dx/invoke`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name, input }) });
    const result = (await r.json()) as { ok: boolean; value?: T; error?: unknown };
    if (!result.ok) throw new Error(`${name}: ${JSON.stringify(result.error)}`);
    return result.value as T;
  };
  return { invoke, close: () => stop(h.child, false) };
}
