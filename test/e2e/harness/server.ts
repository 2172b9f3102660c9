/**
 * E2E harness: serves the built renderer (out/renderer) and answers `window.dx` calls over HTTP on
 * loopback with the real main-process handlers and a real SQLite file. Usage:
 *   tsx test/e2e/harness/server.ts --db <file> [--port 0] [--root out/renderer]
 * Prints `HARNESS_READY <url>` when listening. With --bridge, pages get the bridge injected into
 * index.html so a plain browser (not Playwright) can use the app too.
 */
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createAppServices } from '../../../electron/services/app.ts';
import { dispatch } from '../../../electron/services/dispatch.ts';
import { createHandlers } from '../../../electron/services/handlers.ts';
import { createLogger } from '../../../electron/services/logger.ts';
import { bridgeScript } from './bridge.ts';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

function arg(name: string, fallback?: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
}

const dbFile = path.resolve(arg('db', process.env.DX_DB_PATH ?? path.join(repo, '.data', 'harness.db')) as string);
const port = Number(arg('port', '0'));
const root = path.resolve(arg('root', path.join(repo, 'out', 'renderer')) as string);
const injectBridge = process.argv.includes('--bridge');
const logger = createLogger({ file: path.join(path.dirname(dbFile), 'harness.log') });

const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-src 'none'";
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.woff2': 'font/woff2',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
};

const services = createAppServices({ dbFile, migrationsFolder: path.join(repo, 'db', 'migrations'), logger, appVersion: 'harness' });
const handlers = createHandlers(services);
const listeners = new Set<http.ServerResponse>();
services.mutations.onCommit((tables) => {
  const msg = `data: ${JSON.stringify({ event: 'data.changed', payload: { tables: [...tables] } })}\n\n`;
  for (const res of listeners) res.write(msg);
  // As in the app: local changes start a sync round soon (when this laptop is enrolled).
  if (!services.syncRunner.status().running) services.syncRunner.kick();
});
services.syncRunner.start();

async function readBody(req: http.IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > 5_000_000) throw new Error('payload too large');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

const server = http.createServer((req, res) => {
  void (async () => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (req.method === 'POST' && url.pathname === '/__dx/invoke') {
      let result: unknown;
      try {
        const { name, input } = JSON.parse(await readBody(req)) as { name: unknown; input: unknown };
        result = await dispatch(handlers, name, input, logger);
      } catch {
        result = { ok: false, error: { code: 'validation', messageKey: 'errors.validation' } };
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(result));
      return;
    }
    if (url.pathname === '/__dx/bridge.js') {
      // Only for --bridge: the bridge as a same-origin script (the CSP forbids inline scripts).
      res.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8' });
      res.end(bridgeScript);
      return;
    }
    if (url.pathname === '/__dx/events') {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
      res.write(': connected\n\n');
      listeners.add(res);
      req.on('close', () => listeners.delete(res));
      return;
    }
    const rel = url.pathname === '/' ? 'index.html' : decodeURIComponent(url.pathname.slice(1));
    const file = path.resolve(root, rel);
    if (!file.startsWith(root) || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
      res.writeHead(404).end();
      return;
    }
    let body: Buffer | string = fs.readFileSync(file);
    if (injectBridge && rel === 'index.html') {
      body = body.toString('utf8').replace('<head>', `<head><script src="/__dx/bridge.js"></script>`);
    }
    res.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream', 'content-security-policy': CSP });
    res.end(body);
  })();
});

server.listen(port, '127.0.0.1', () => {
  const address = server.address();
  const actual = typeof address === 'object' && address ? address.port : port;
  process.stdout.write(`HARNESS_READY http://127.0.0.1:${actual}\n`);
});

function shutdown(): void {
  for (const res of listeners) res.end();
  server.close();
  services.close();
  process.exit(0);
}
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
