/**
 * The "sync now" button (the sync.now operation) while the background loop is mid-round: the click is
 * never swallowed, and what the user changed before clicking has left the laptop when the answer comes.
 */
import { describe, expect, it } from 'vitest';
import type { PushResponse, ServerOp } from '#shared/sync/protocol';
import { MemoryServer, TransportError, type SyncTransport } from '../../../electron/services/sync-transport.ts';
import { companyData, openApp, useCleanup } from '../fixtures.ts';

useCleanup();

/** A transport whose next push waits until released (or fails), like a slow network mid-round. */
function heldTransport(server: MemoryServer) {
  const inner = server.transport();
  let hold: { reached: () => void; outcome: Promise<void> } | null = null;
  const transport: SyncTransport = {
    ...inner,
    async push(ops: ServerOp[]): Promise<PushResponse> {
      const h = hold;
      hold = null;
      if (h) {
        h.reached();
        await h.outcome;
      }
      return inner.push(ops);
    },
  };
  /** Holds the next push; resolves once it is on its way, with the functions that let it go on or fail. */
  const holdNextPush = () => {
    let release!: () => void;
    let fail!: (e: Error) => void;
    const outcome = new Promise<void>((res, rej) => ((release = res), (fail = rej)));
    const reached = new Promise<void>((r) => (hold = { reached: r, outcome }));
    return { reached, release, fail };
  };
  return { transport, holdNextPush };
}

const settle = () => new Promise((r) => setTimeout(r, 20));

describe('sync now while a background round is running', () => {
  it('waits for it and runs a round of its own, so a change made after that round gathered its batch is sent too', async () => {
    const server = new MemoryServer();
    const h = heldTransport(server);
    const a = openApp({ sync: { transport: h.transport } });
    const { id: companyId } = await a.ok('companies.create', companyData({ name: '동시정밀' }));
    const { id: assessmentId } = await a.ok('assessments.create', { companyId, visitId: null, instrumentId: 'company-dx' });

    // The background loop's round: its batch is read and on its way when the user answers one more item.
    const gate = h.holdNextPush();
    const background = a.services.syncRunner.runOnce();
    await gate.reached;
    await settle();
    await a.ok('assessments.saveAnswer', { assessmentId, itemId: 'ceo_vision', value: 4 });

    const clicked = a.call('sync.now', {});
    gate.release();
    expect((await background).pushed).toBeGreaterThan(1);
    const r = await clicked;
    // The answer's new row (its assessment, item and value) went in the click's round.
    expect(r).toMatchObject({ ok: true, value: { pushed: 3, rejected: 0 } });
    expect(a.services.sync.status().pending).toBe(0);
    const answer = a.sqlite.prepare("SELECT id FROM assessment_answers WHERE assessment_id = ? AND item_id = 'ceo_vision'").get(assessmentId) as { id: string };
    expect([...server.heads].filter(([k]) => k.startsWith(`assessment_answers\u0000${answer.id}\u0000value`)).map(([, hd]) => JSON.parse(hd.value ?? "null") as unknown)).toEqual(['4']);
  });

  it('answers with its own round when the background round fails (the network came back meanwhile)', async () => {
    const server = new MemoryServer();
    const h = heldTransport(server);
    const a = openApp({ sync: { transport: h.transport } });
    await a.ok('companies.create', companyData({ name: '복귀정밀' }));
    const gate = h.holdNextPush();
    const background = a.services.syncRunner.runOnce();
    await gate.reached;
    const clicked = a.call('sync.now', {});
    gate.fail(new TransportError('network: connection reset', true));
    await expect(background).rejects.toThrow();
    expect(await clicked).toMatchObject({ ok: true, value: { rejected: 0 } });
    expect(a.services.sync.status().pending).toBe(0);
    expect(a.services.syncRunner.status()).toMatchObject({ lastError: null, failures: 0 });
  });
});
