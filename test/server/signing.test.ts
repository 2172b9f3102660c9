import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { levelConfirmationV1 } from '#shared/instruments/level-confirmation-v1';
import type { ServerDatabase } from '../../server/db/index.ts';
import { httpTransport } from '../../electron/services/sync-transport.ts';
import { companyData, openApp, useCleanup, type TestApp } from '../integration/fixtures.ts';
import { syncedState } from '../integration/sync/helpers.ts';
import { ADMIN, BACKENDS, createUser, enrolDevice, login, startServer, TestClock } from './helpers.ts';

useCleanup();

const png = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=';
const both = [{ role: 'lead' as const, name: '김평가', png }, { role: 'second' as const, name: '이평가', png }];

describe.each(BACKENDS)('signing is a transition the service checks ($name)', (backend) => {
  let app: FastifyInstance;
  let database: ServerDatabase;
  let dispose: () => Promise<void>;
  let base: string;
  const tokens: string[] = [];

  beforeAll(async () => {
    ({ database, dispose } = await backend.open());
    app = await startServer(database, new TestClock());
    base = await app.listen({ port: 0, host: '127.0.0.1' });
    const adminToken = await login(app, ADMIN.email, ADMIN.password);
    for (let i = 0; i < 2; i++) tokens.push((await enrolDevice(app, adminToken, (await createUser(app, adminToken, 'admin')).id)).token);
  });
  afterAll(async () => {
    await app?.close();
    await dispose?.();
  });

  const t = (i: number) => httpTransport({ baseUrl: base, token: () => Promise.resolve(tokens[i] as string) });
  /** A level confirmation, every area stepped, made on laptop A and synced to laptop B. */
  const confirmedOnTwoLaptops = async (company: string) => {
    const a: TestApp = openApp();
    const b: TestApp = openApp();
    const { id: companyId } = await a.ok('companies.create', companyData({ name: company }));
    const { id } = await a.ok('levels.create', { companyId, projectId: null, assessedOn: '2026-11-20' });
    for (const area of levelConfirmationV1.areas) await a.ok('levels.saveStep', { confirmationId: id, areaId: area.id, step: 3, evidence: '현장 확인' });
    await a.services.sync.syncOnce(t(0));
    await b.services.sync.syncOnce(t(1));
    return { a, b, id };
  };

  it('an edit that reaches the service before a signature makes the service refuse it; the signer reviews and signs again; then both sides are locked', async () => {
    const { a, b, id } = await confirmedOnTwoLaptops('서명정밀');

    // Across a partition: B corrects the evidence of one area and syncs first; A signs what it had.
    await b.ok('levels.saveStep', { confirmationId: id, areaId: 'planning', evidence: 'MES 계획 화면 — 실제로는 엑셀 사용' });
    await b.services.sync.syncOnce(t(1));
    await a.ok('levels.finalize', { id, signatures: both });
    expect((await a.ok('levels.get', { id })).finalizedAt).not.toBeNull();
    const round = await a.services.sync.syncOnce(t(0));
    expect(round.rejected).toBe(1);
    // The service refused the signature; A's record is open again and now shows B's correction.
    const [refused] = a.services.sync.rejected();
    expect(refused).toMatchObject({ tbl: 'level_confirmations', field: 'finalized_at', reason: 'signMismatch', messageKey: 'errors.sync.signMismatch' });
    const reopened = await a.ok('levels.get', { id });
    expect(reopened.finalizedAt).toBeNull();
    expect(reopened.steps.planning?.evidence).toBe('MES 계획 화면 — 실제로는 엑셀 사용');
    expect(a.services.sync.checkIntegrity()).toMatchObject({ altered: [], unlogged: [] });

    // A reviews and signs again: accepted; B receives the lock, and neither side can edit any more.
    await a.ok('levels.finalize', { id, signatures: both });
    expect((await a.services.sync.syncOnce(t(0))).rejected).toBe(0);
    await b.services.sync.syncOnce(t(1));
    expect((await b.ok('levels.get', { id })).finalizedAt).not.toBeNull();
    expect(await b.fail('levels.saveStep', { confirmationId: id, areaId: 'planning', evidence: '다시 고침' })).toMatchObject({ code: 'locked' });
    const forged = { opId: '01936a1e-7c4b-7cc0-9a5e-0a1b2c3d4e5f', tbl: 'level_confirmations', rowId: id, field: 'assessed_on', value: '"2026-11-21"', hlc: `${new Date(Date.now() + 60_000).toISOString()}-0000-forger`, deviceId: 'forger', userId: 'x', base: null };
    expect((await t(1).push([forged])).results[0]).toMatchObject({ status: 'rejected', reason: 'locked' });
  });

  it('an edit made offline while a colleague signed is refused and undone on its laptop, kept with its reason; both laptops then hold what was signed', async () => {
    const { a, b, id } = await confirmedOnTwoLaptops('잠금정밀');

    // A signs and syncs; B, offline, corrects one area's evidence, then syncs.
    await a.ok('levels.finalize', { id, signatures: both });
    expect((await a.services.sync.syncOnce(t(0))).rejected).toBe(0);
    await b.ok('levels.saveStep', { confirmationId: id, areaId: 'planning', step: 2, evidence: '나중에 고친 증빙' });
    expect((await b.services.sync.syncOnce(t(1))).rejected).toBeGreaterThan(0);
    expect(b.services.sync.rejected().every((r) => r.reason === 'locked')).toBe(true);
    // B shows what was signed, not its refused correction, and is locked.
    const onB = await b.ok('levels.get', { id });
    expect(onB.finalizedAt).not.toBeNull();
    expect(onB.steps.planning).toMatchObject({ step: 3, evidence: '현장 확인' });
    expect(syncedState(b)).toEqual(syncedState(a));
    expect(b.services.sync.checkIntegrity()).toMatchObject({ altered: [], unlogged: [] });
    // The refusal stays, and a later round changes nothing.
    const refused = b.services.sync.rejected().length;
    await b.services.sync.syncOnce(t(1));
    expect(b.services.sync.rejected()).toHaveLength(refused);
    expect(b.services.sync.status()).toMatchObject({ pending: 0 });
    expect(syncedState(b)).toEqual(syncedState(a));
  });
});
