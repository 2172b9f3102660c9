/**
 * What the service may purge (shared/sync/scope.ts NEVER_PURGED): every table whose row ids the desktop makes
 * from content (a natural key) is kept, or recreating the same content would be refused as purged for ever;
 * so are the archives people restore.
 */
import { describe, expect, it } from 'vitest';
import { NEVER_PURGED, SYNC_POLICY } from '#shared/sync/scope';
import { openApp, useCleanup } from '../fixtures.ts';

describe('tombstone purge policy', () => {
  useCleanup();

  it('never purges tables with content-made ids, or the archives people restore', () => {
    const app = openApp();
    const natural = [...app.services.mutations.specsByTable()].filter((s) => s.naturalKey !== undefined).map((s) => s.name);
    expect(natural.length).toBeGreaterThan(5);
    for (const tbl of natural) expect(NEVER_PURGED.has(tbl), tbl).toBe(true);
    for (const tbl of ['organizations', 'mentors']) expect(NEVER_PURGED.has(tbl)).toBe(true);
    // Every name is a synced table (a typo would purge what it meant to keep).
    for (const tbl of NEVER_PURGED) expect(SYNC_POLICY[tbl], tbl).toBeDefined();
  });
});
