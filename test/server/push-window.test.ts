/**
 * A laptop pushes over HTTP with two batches on their way at once (PUSH_WINDOW): the service stores a device's
 * batches in the order it made them, whatever order they arrive in. A batch that overtakes the one it follows
 * is refused and sent again; a batch lost on the way holds back the ones behind it. Real laptop database, real
 * service, the laptop's own HTTP transport.
 */
import { describe, expect, it } from 'vitest';
import { MAX_PUSH_OPS, PUSH_WINDOW } from '#shared/sync/protocol';
import { syncOps } from '../../server/db/schema.ts';
import { httpTransport, TransportError, type SyncTransport } from '../../electron/services/sync-transport.ts';
import { companyData, openApp, useCleanup, type TestApp } from '../integration/fixtures.ts';
import { BACKENDS, createUser, enrolDevice, listeningServer } from './helpers.ts';

useCleanup();

/** The laptop's transport, with a hook before each push request and a record of what each one got. */
function watched(inner: SyncTransport, before: (n: number) => Promise<void>) {
  const w = { answers: [] as { n: number; got: string }[], inFlight: 0, maxInFlight: 0 };
  let sent = 0;
  const transport: SyncTransport = {
    ...inner,
    push: async (ops, chain) => {
      const n = sent++;
      w.maxInFlight = Math.max(w.maxInFlight, ++w.inFlight);
      try {
        await before(n);
        const r = await inner.push(ops, chain);
        w.answers.push({ n, got: 'ok' });
        return r;
      } catch (err) {
        w.answers.push({ n, got: err instanceof TransportError ? (err.code ?? err.message) : String(err) });
        throw err;
      } finally {
        w.inFlight--;
      }
    },
  };
  return { transport, w };
}

const wait = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** A laptop holding about `batches` full batches of changes. */
async function busyLaptop(batches: number): Promise<{ laptop: TestApp; total: number }> {
  const laptop = openApp();
  for (let i = 0; i < Math.ceil((MAX_PUSH_OPS * batches) / 15); i++) await laptop.ok('companies.create', companyData({ name: `기업${i}`, financials: [{ fiscalYear: 2025, revenue: 1_000_000_000, operatingProfit: 1 }] }));
  const total = laptop.services.sync.status().pending;
  expect(total).toBeGreaterThan(MAX_PUSH_OPS * (batches - 1));
  return { laptop, total };
}

/** The service's sequence of each of the laptop's ops, in the order the laptop made them. */
const serverOrder = (laptop: TestApp) => (laptop.sqlite.prepare('SELECT server_seq AS s FROM change_log ORDER BY seq').all() as { s: number | null }[]).map((r) => r.s);

describe.each(BACKENDS)('pushing with more than one batch on its way ($name)', (backend) => {
  const s = listeningServer(backend);

  const deviceTransport = async () => {
    const { token } = await enrolDevice(s.app, s.adminToken, (await createUser(s.app, s.adminToken, 'admin')).id);
    return httpTransport({ baseUrl: s.base, token: () => Promise.resolve(token) });
  };
  const storedCount = async () => (await s.database.db.select({ opId: syncOps.opId }).from(syncOps)).length;

  it('a batch that overtakes the one it follows is refused, sent again, and stored after it', async () => {
    const { laptop, total } = await busyLaptop(4.5);
    const before = await storedCount();
    // The first batch is slow on the network: the second arrives at the service first.
    const { transport, w } = watched(await deviceTransport(), (n) => (n === 0 ? wait(400) : Promise.resolve()));
    expect(transport.pushWindow).toBe(PUSH_WINDOW);
    const done = await laptop.services.sync.push(transport);

    expect(done).toEqual({ accepted: total, rejected: 0 });
    expect(w.maxInFlight).toBe(2);
    expect(w.answers[0]).toEqual({ n: 1, got: 'out_of_order' });
    // Only the batches on their way behind the slow one go twice; the rest of the push goes once each.
    const stored = w.answers.filter((a) => a.got === 'ok').length;
    expect(stored).toBe(5);
    expect(w.answers.length - stored).toBeLessThanOrEqual(PUSH_WINDOW);
    expect(laptop.services.sync.status()).toMatchObject({ pending: 0, rejected: 0 });
    // Every op stored once, and in the order the laptop made them.
    expect((await storedCount()) - before).toBe(total);
    const order = serverOrder(laptop);
    expect(order.every((s, i) => s !== null && (i === 0 || s > (order[i - 1] as number)))).toBe(true);
  });

  it('a batch lost on the way holds back the one behind it; the next round sends both, in order', async () => {
    const { laptop, total } = await busyLaptop(2.5);
    const before = await storedCount();
    const { transport, w } = watched(await deviceTransport(), async (n) => {
      if (n === 0) {
        await wait(300);
        throw new TransportError('network down', true);
      }
    });
    await expect(laptop.services.sync.push(transport)).rejects.toThrow('network down');
    // The second batch reached the service and was refused whole: the laptop made it after the lost one.
    expect(w.answers.slice(0, 2)).toEqual([
      { n: 1, got: 'out_of_order' },
      { n: 0, got: 'network down' },
    ]);
    expect(await storedCount()).toBe(before);
    expect(laptop.services.sync.status().pending).toBe(total);

    const again = watched(await deviceTransport(), () => Promise.resolve());
    expect(await laptop.services.sync.push(again.transport)).toEqual({ accepted: total, rejected: 0 });
    expect((await storedCount()) - before).toBe(total);
    const order = serverOrder(laptop);
    expect(order.every((s, i) => s !== null && (i === 0 || s > (order[i - 1] as number)))).toBe(true);
  });
});
