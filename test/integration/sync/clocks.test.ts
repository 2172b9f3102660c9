/**
 * Laptop clocks that are wrong by days or a year (issue 6: "clamp and log drift; never refuse to sync over
 * it"): sync goes on, a colleague's clock does not follow a laptop set to next year, an edit made after
 * seeing a value always sorts after it, and a laptop whose clock is off learns the service's time.
 */
import { describe, expect, it } from 'vitest';
import { CLOCK_TOLERANCE_MS, parseHlc } from '#shared/sync/hlc';
import { MemoryServer } from '../../../electron/services/sync-transport.ts';
import { companyData, openApp, useCleanup } from '../fixtures.ts';
import { syncedState } from './helpers.ts';

const T = Date.parse('2027-03-02T01:00:00.000Z');
const YEAR = 365 * 86_400_000;

describe('sync with laptop clocks that are wrong', () => {
  useCleanup();

  it('a laptop a year ahead: colleagues’ clocks stay put, their later edits still win, both converge', async () => {
    const server = new MemoryServer();
    server.serverNow = () => T;
    const ahead = openApp({ now: () => T + YEAR });
    const right = openApp({ now: () => T });
    const input = companyData({ name: '미래정밀' });
    const { id } = await ahead.ok('companies.create', input);
    await ahead.services.sync.syncOnce(server.transport());
    expect(ahead.services.sync.status().clockSkewMs).toBe(YEAR);

    await right.services.sync.syncOnce(server.transport());
    // The colleague's clock did not jump a year with the ops it received.
    expect(parseHlc(right.services.mutations.currentClock()).millis).toBeLessThanOrEqual(T + CLOCK_TOLERANCE_MS);
    expect(right.services.sync.status().clockSkewMs).toBe(0);
    // An edit made after seeing the year-ahead value sorts after it anyway: it is the value everywhere, no conflict.
    await right.ok('companies.update', { ...input, id, name: '미래정밀(주)' });
    for (const app of [right, ahead, right]) await app.services.sync.syncOnce(server.transport());
    for (const app of [ahead, right]) {
      expect((await app.ok('companies.get', { id })).name).toBe('미래정밀(주)');
      expect(app.services.sync.conflicts()).toEqual([]);
    }
    expect(syncedState(ahead)).toEqual(syncedState(right));
  });

  it('a laptop a year behind learns the service’s time: its new edits are not buried under older ones', async () => {
    const server = new MemoryServer();
    server.serverNow = () => T;
    const behind = openApp({ now: () => T - YEAR });
    const right = openApp({ now: () => T - 60_000 });
    const input = companyData({ name: '과거정밀' });
    const { id } = await right.ok('companies.create', input);
    await right.services.sync.syncOnce(server.transport());
    await behind.services.sync.syncOnce(server.transport());
    expect(behind.services.sync.status().clockSkewMs).toBe(-YEAR);
    // A company made now carries the service's time, not last year's.
    const other = await behind.ok('companies.create', companyData({ name: '새정밀' }));
    const made = behind.sqlite.prepare('SELECT created_at, updated_at FROM organizations WHERE id = ?').get(other.id) as { created_at: string; updated_at: string };
    expect(Math.abs(Date.parse(made.created_at) - T)).toBeLessThan(CLOCK_TOLERANCE_MS);
    const op = behind.sqlite.prepare("SELECT hlc FROM change_log WHERE row_id = ? AND field = 'name'").get(other.id) as { hlc: string };
    expect(Math.abs(parseHlc(op.hlc).millis - T)).toBeLessThan(CLOCK_TOLERANCE_MS);
    // And its edit of the colleague's company replaces the value it saw.
    await behind.ok('companies.update', { ...input, id, name: '과거정밀 본사' });
    for (const app of [behind, right]) await app.services.sync.syncOnce(server.transport());
    expect((await right.ok('companies.get', { id })).name).toBe('과거정밀 본사');
    expect(right.services.sync.conflicts()).toEqual([]);
  });
});
