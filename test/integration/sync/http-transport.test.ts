/**
 * The laptop's HTTP transport (electron/services/sync-transport.ts) against a real HTTP server on loopback:
 * what it sends, and how each kind of failure reaches the sync runner (retry later, or not).
 */
import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { httpTransport, TransportError } from '../../../electron/services/sync-transport';

interface Seen {
  method: string;
  url: string;
  authorization: string | undefined;
  contentType: string | undefined;
  body: string;
}

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

/** A server that records each request and answers with `answer(seen, n)`. */
async function server(answer: (seen: Seen, n: number) => { status: number; body: unknown; date?: string }): Promise<{ url: string; seen: Seen[] }> {
  const seen: Seen[] = [];
  const s = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const one: Seen = { method: req.method ?? '', url: req.url ?? '', authorization: req.headers.authorization, contentType: req.headers['content-type'], body: Buffer.concat(chunks).toString('utf8') };
      seen.push(one);
      const a = answer(one, seen.length);
      res.writeHead(a.status, { 'content-type': 'application/json', ...(a.date ? { date: a.date } : {}) });
      res.end(typeof a.body === 'string' ? a.body : JSON.stringify(a.body));
    });
  });
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  closers.push(() => new Promise<void>((resolve) => s.close(() => resolve())));
  return { url: `http://127.0.0.1:${(s.address() as AddressInfo).port}`, seen };
}

const op = { opId: '0190a1b2-c3d4-7e5f-8a9b-000000000001', tbl: 'visits', rowId: 'v1', field: 'summary', value: JSON.stringify('방문 메모 — 공정 개선'), hlc: '2027-03-02T01:00:00.000Z-0000-dev1', deviceId: 'dev1', userId: 'u1', base: null };
const accepted = { results: [{ opId: op.opId, status: 'accepted', seq: 7, duplicate: false }] };

async function failure(promise: Promise<unknown>): Promise<TransportError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TransportError);
  return error as TransportError;
}

describe('HTTP transport', () => {
  it('sends a batch as UTF-8 JSON with the token, and reads the answer and the service clock', async () => {
    const { url, seen } = await server(() => ({ status: 200, body: accepted, date: 'Tue, 02 Mar 2027 01:00:05 GMT' }));
    const t = httpTransport({ baseUrl: url, token: () => Promise.resolve('token-1') });
    expect(await t.push([op])).toEqual(accepted);
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ method: 'POST', url: '/api/sync/push', authorization: 'Bearer token-1', contentType: 'application/json' });
    expect(JSON.parse(seen[0]?.body ?? '')).toEqual({ ops: [op] });
    expect(t.serverDate?.()).toBe(Date.parse('2027-03-02T01:00:05Z'));
  });

  it('drops a refused token and tries once more with a fresh one', async () => {
    const { url, seen } = await server((s) => (s.authorization === 'Bearer fresh' ? { status: 200, body: accepted } : { status: 401, body: { code: 'token_expired' } }));
    let token = 'stale';
    let dropped = 0;
    const t = httpTransport({
      baseUrl: url,
      token: () => Promise.resolve(token),
      invalidateToken: () => {
        dropped++;
        token = 'fresh';
      },
    });
    expect(await t.push([op])).toEqual(accepted);
    expect(dropped).toBe(1);
    expect(seen.map((s) => s.authorization)).toEqual(['Bearer stale', 'Bearer fresh']);
    // Refused again after the retry: no endless loop, a failure that is not retried as it is.
    token = 'stale';
    const again = httpTransport({ baseUrl: url, token: () => Promise.resolve('stale'), invalidateToken: () => dropped++ });
    const e = await failure(again.push([op]));
    expect(e.status).toBe(401);
    expect(e.retryable).toBe(false);
  });

  it('a server error or a busy service is retried later; a refused request is not', async () => {
    let status = 503;
    const { url } = await server(() => ({ status, body: { code: 'x' } }));
    const t = httpTransport({ baseUrl: url, token: () => Promise.resolve('token') });
    for (const [code, retryable] of [
      [503, true],
      [500, true],
      [429, true],
      [400, false],
      [413, false],
    ] as const) {
      status = code;
      const e = await failure(t.push([op]));
      expect([e.status, e.retryable]).toEqual([code, retryable]);
    }
  });

  it('a service that cannot be reached, or does not answer in time, is a network failure to retry', async () => {
    // A port nothing listens on.
    const probe = net.createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const closedPort = (probe.address() as AddressInfo).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const down = await failure(httpTransport({ baseUrl: `http://127.0.0.1:${closedPort}`, token: () => Promise.resolve('t') }).pull(0, 10));
    expect(down.retryable).toBe(true);
    expect(down.message).toMatch(/^network:/);

    // A service that takes the request and never answers.
    const sockets: net.Socket[] = [];
    const silent = net.createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    closers.push(
      () =>
        new Promise<void>((resolve) => {
          for (const s of sockets) s.destroy();
          silent.close(() => resolve());
        }),
    );
    const slow = await failure(httpTransport({ baseUrl: `http://127.0.0.1:${(silent.address() as AddressInfo).port}`, token: () => Promise.resolve('t'), timeoutMs: 300 }).push([op]));
    expect(slow.retryable).toBe(true);
    expect(slow.message).toMatch(/^network:/);
  });
});
