/**
 * Which organisations a laptop may still hold (GET /api/sync/scope). Pull stops sending a company's records
 * once it is taken away from the caller's pair, but it never tells the laptop to let go of what it already
 * has; the laptop asks this and removes the organisations that are not in the answer
 * (electron/services/sync-scope.ts).
 *
 * The answer is exactly "the organisations whose org-scoped records the caller may read": the rule pull,
 * snapshot and the divergence tree apply (./authorize.ts canRead, with the facts SyncService loads), asked for
 * the organisation record itself. For a mentor that is the companies assigned to their pairs, the companies
 * they created that have no active assignment, the suppliers of their region and the suppliers they created;
 * for a supplier consultant the suppliers of their region and those they created (their diagnoses are further
 * limited to their own, but that is per record, not per organisation); for an administrator everything, said
 * as null.
 */
import { and, eq } from 'drizzle-orm';
import type { Principal } from '../auth/service.ts';
import type { Db } from '../db/index.ts';
import { syncFields, syncRecords } from '../db/schema.ts';
import { canRead, parseJsonString } from './authorize.ts';
import type { SyncService } from './service.ts';

/** The organisations a caller may hold, computed with the sync service's own authorisation facts. */
export class SyncScope {
  constructor(
    private readonly db: Db,
    private readonly sync: SyncService,
  ) {}

  /** The caller's organisations, sorted; null when the caller may read every organisation (an administrator). */
  async orgIds(principal: Principal): Promise<string[] | null> {
    const actor = await this.sync.loadActor(this.db, principal);
    if (actor.role === 'admin') return null;
    // Candidates first, so the exact rule below reads the facts of a few organisations, not the programme's:
    // canAccessOrg grants an organisation only when it is assigned to the caller's pair, created by the
    // caller, or in the caller's region, so these three sets together hold every organisation it grants.
    const candidates = new Set(actor.assignedOrgs);
    const created = await this.db
      .select({ id: syncRecords.rowId })
      .from(syncRecords)
      .where(and(eq(syncRecords.tbl, 'organizations'), eq(syncRecords.createdByAccount, actor.accountId)));
    for (const r of created) candidates.add(r.id);
    if (actor.region !== null) {
      // Compared as parsed JSON, as loadOrgFacts reads it, not as stored text.
      const regions = await this.db
        .select({ id: syncFields.rowId, value: syncFields.value })
        .from(syncFields)
        .where(and(eq(syncFields.tbl, 'organizations'), eq(syncFields.field, 'region')));
      for (const r of regions) if (parseJsonString(r.value) === actor.region) candidates.add(r.id);
    }
    const facts = await this.sync.loadOrgFacts(this.db, candidates);
    return [...candidates]
      .filter((id) => canRead(actor, { tbl: 'organizations', rowId: id, orgId: id, ownerAccount: actor.accountId }, facts.get(id)))
      .sort();
  }
}
