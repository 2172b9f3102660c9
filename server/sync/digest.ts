/**
 * The server side of divergence checks (issue 6; the tree is shared/sync/digest.ts, the messages
 * shared/sync/protocol.ts). The service's tree covers the field heads (`sync_fields`) of the records the
 * caller may read — the same rule as pull and snapshot (SyncService.readableFilter) — so a laptop learns
 * nothing about records it may not read, not even that a bucket holds one.
 *
 * Asked for the heads of particular records, the service first checks them against its own log: a head is,
 * by the merge rule, the stored op with the greatest clock, so a head that says otherwise (an altered or lost
 * `sync_fields` row) is rebuilt from `sync_ops` before it is returned — the service's counterpart of the
 * laptop's checkIntegrity. What the log itself lost only the laptops can give back: they send it again.
 */
import crypto from 'node:crypto';
import { and, asc, desc, eq, isNotNull, isNull, ne, or, sql } from 'drizzle-orm';
import { DIGEST_BUCKETS, DigestTree, differingBuckets, recordKey, type DigestHash, type DigestIndex } from '#shared/sync/digest';
import { MAX_DIGEST_RECORDS, PURGE_FIELD, type DigestResponse, type RecordRef, type RecordsResponse } from '#shared/sync/protocol';
import type { Principal } from '../auth/service.ts';
import type { Db } from '../db/index.ts';
import { syncFields, syncOps, syncRecords } from '../db/schema.ts';
import { ATTACHMENT_REFERENCES } from '#shared/sync/scope';
import { canAccessOrg, type Actor } from './authorize.ts';
import { literal, PUSH_LOCK, type SyncService } from './service.ts';
import { rowTuples, textValues } from './sql.ts';

/** SHA-256 as lowercase hex: the record and bucket hash of the tree (the laptop uses the same). */
export const sha256Hex: DigestHash = (text) => crypto.createHash('sha256').update(text).digest('hex');

/** What a head check found and put right. */
export interface HeadRepair {
  tbl: string;
  rowId: string;
  field: string;
  /** The clock the head had (null: no head row) and the clock of the log's greatest op it now has. */
  was: string | null;
  now: string;
}

/** Where the records endpoint reports heads it rebuilt (the request's logger). */
export interface DigestLogger {
  warn(obj: Record<string, unknown>, msg: string): void;
}

type FieldRow = typeof syncFields.$inferSelect;

/** Divergence checks over the service's heads: the tree, the digest comparison and the records endpoint. */
export class SyncDigest {
  constructor(
    private readonly db: Db,
    private readonly sync: SyncService,
    private readonly hash: DigestHash = sha256Hex,
  ) {}

  /** The tree over the heads of the records the caller may read, leaving out `skip`. */
  async tree(principal: Principal, skip: readonly RecordRef[] = []): Promise<DigestIndex> {
    const actor = await this.sync.loadActor(this.db, principal);
    const tree = new DigestTree(new Set(skip.map((r) => recordKey(r.tbl, r.rowId))));
    const candidates = await this.candidateFilter(actor);
    const rows = await this.db
      .select({ tbl: syncFields.tbl, rowId: syncFields.rowId, field: syncFields.field, hlc: syncFields.hlc, orgId: syncRecords.orgId, ownerAccount: syncRecords.ownerAccount })
      .from(syncFields)
      .innerJoin(syncRecords, and(eq(syncRecords.tbl, syncFields.tbl), eq(syncRecords.rowId, syncFields.rowId)))
      .where(candidates);
    // The readable rule is decided per record, once: the rows are per field.
    const records = new Map<string, { tbl: string; rowId: string; orgId: string | null; ownerAccount: string }>();
    for (const r of rows) records.set(recordKey(r.tbl, r.rowId), r);
    const readable = await this.sync.readableFilter(actor, [...records.values()]);
    const visible = new Set([...records].filter(([, r]) => readable(r)).map(([k]) => k));
    for (const r of rows) if (visible.has(recordKey(r.tbl, r.rowId))) tree.add(r.tbl, r.rowId, r.field, r.hlc);
    return tree.build(this.hash);
  }

  /**
   * A superset of what the caller may read, in SQL, so a mentor's check does not read the whole programme's
   * heads: global records, those of organisations the caller may access, and the files their records show.
   * The exact rule (a consultant's own diagnoses, files shown by a record the caller may read) is the readable
   * filter applied afterwards.
   */
  private async candidateFilter(actor: Actor) {
    if (actor.role === 'admin') return undefined;
    const orgIds = (await this.db.selectDistinct({ orgId: syncRecords.orgId }).from(syncRecords).where(isNotNull(syncRecords.orgId))).map((r) => r.orgId as string);
    const facts = await this.sync.loadOrgFacts(this.db, orgIds);
    const accessible = orgIds.filter((id) => canAccessOrg(actor, id, facts.get(id)));
    const global = and(isNull(syncRecords.orgId), ne(syncRecords.tbl, 'attachments'));
    if (accessible.length === 0) return global;
    const inOrgs = sql`(select ${textValues(accessible)})`;
    const shown = sql.join(
      ATTACHMENT_REFERENCES.map(
        (r) => sql`select f.value from ${syncFields} f join ${syncRecords} o on o.tbl = f.tbl and o.row_id = f.row_id
                   where f.field = ${literal(r.column)} and f.tbl = ${r.tbl} and o.org_id in ${inOrgs}`,
      ),
      sql` union all `,
    );
    return or(global, sql`${syncRecords.orgId} in ${inOrgs}`, and(eq(syncRecords.tbl, 'attachments'), sql`to_json(${syncRecords.rowId})::text in (${shown})`));
  }

  /** Compares the laptop's bucket digests with the service's; for the buckets that differ, the service's record digests. */
  async digest(principal: Principal, buckets: readonly (string | null)[], skip: readonly RecordRef[]): Promise<DigestResponse> {
    const index = await this.tree(principal, skip);
    const differing: DigestResponse['differing'] = [];
    let carried = 0;
    let more = false;
    for (const bucket of differingBuckets(buckets, index.buckets)) {
      const records = index.recordsIn(bucket);
      if (differing.length > 0 && carried + records.length > MAX_DIGEST_RECORDS) {
        more = true;
        break;
      }
      differing.push({ bucket, records });
      carried += records.length;
    }
    return { compared: DIGEST_BUCKETS, records: index.size, differing, more };
  }

  /**
   * The current heads (with their open conflicts) of the records asked for that the caller may read, each
   * head checked against the log first; the others are listed as absent, whether the service does not know
   * them or the caller may not read them (not told apart, so nothing leaks).
   */
  async records(principal: Principal, refs: readonly RecordRef[], log?: DigestLogger): Promise<RecordsResponse> {
    const actor = await this.sync.loadActor(this.db, principal);
    const wanted = [...new Map(refs.map((r) => [recordKey(r.tbl, r.rowId), { tbl: r.tbl, rowId: r.rowId }])).values()];
    const found = await this.db
      .select({ tbl: syncRecords.tbl, rowId: syncRecords.rowId, orgId: syncRecords.orgId, ownerAccount: syncRecords.ownerAccount })
      .from(syncRecords)
      .where(rowTuples(syncRecords.tbl, syncRecords.rowId, wanted));
    const readable = await this.sync.readableFilter(actor, found);
    const visible = found.filter(readable).map((r) => ({ tbl: r.tbl, rowId: r.rowId }));
    const visibleKeys = new Set(visible.map((r) => recordKey(r.tbl, r.rowId)));
    const absent = wanted.filter((r) => !visibleKeys.has(recordKey(r.tbl, r.rowId)));
    if (visible.length === 0) return { ops: [], conflicts: [], absent };

    const repaired = await this.repairHeads(visible);
    if (repaired.length > 0) log?.warn({ fields: repaired.length, repaired: repaired.slice(0, 20) }, 'sync: heads that disagreed with the log were rebuilt from it');

    return { ...(await this.sync.currentState(visible)), absent };
  }

  /**
   * Puts each field head of these records back to the log's greatest op where it says otherwise. Checked
   * without a lock first (the common case: nothing to do), then again under the push lock so a concurrent
   * push's merge is not overwritten. A head whose field has no op in the log at all is left as it is.
   */
  async repairHeads(records: readonly { tbl: string; rowId: string }[]): Promise<HeadRepair[]> {
    if (records.length === 0 || (await this.staleHeads(this.db, records)).length === 0) return [];
    return this.db.transaction(async (tx) => {
      await tx.execute(sql`select pg_advisory_xact_lock(${PUSH_LOCK})`);
      const stale = await this.staleHeads(tx, records);
      for (const { want } of stale) {
        await tx
          .insert(syncFields)
          .values(want)
          .onConflictDoUpdate({
            target: [syncFields.tbl, syncFields.rowId, syncFields.field],
            set: { value: want.value, hlc: want.hlc, opId: want.opId, deviceId: want.deviceId, userId: want.userId, seq: want.seq },
          });
      }
      return stale.map(({ want, had }) => ({ tbl: want.tbl, rowId: want.rowId, field: want.field, was: had?.hlc ?? null, now: want.hlc }));
    });
  }

  /** Heads that differ from the greatest op the log holds for their field. */
  private async staleHeads(q: Db | Parameters<Parameters<Db['transaction']>[0]>[0], records: readonly { tbl: string; rowId: string }[]): Promise<{ want: FieldRow; had: FieldRow | undefined }[]> {
    const latest = await q
      .selectDistinctOn([syncOps.tbl, syncOps.rowId, syncOps.field], {
        tbl: syncOps.tbl,
        rowId: syncOps.rowId,
        field: syncOps.field,
        value: syncOps.value,
        hlc: syncOps.hlc,
        opId: syncOps.opId,
        deviceId: syncOps.deviceId,
        userId: syncOps.userId,
        seq: syncOps.seq,
      })
      .from(syncOps)
      // A purge marker is not a field (./purge.ts): a purged record has no heads.
      .where(and(rowTuples(syncOps.tbl, syncOps.rowId, [...records]), ne(syncOps.field, PURGE_FIELD)))
      .orderBy(asc(syncOps.tbl), asc(syncOps.rowId), asc(syncOps.field), desc(syncOps.hlc));
    const heads = new Map<string, FieldRow>();
    for (const h of await q.select().from(syncFields).where(rowTuples(syncFields.tbl, syncFields.rowId, [...records]))) heads.set(`${recordKey(h.tbl, h.rowId)}\u0000${h.field}`, h);
    const stale: { want: FieldRow; had: FieldRow | undefined }[] = [];
    for (const want of latest) {
      const had = heads.get(`${recordKey(want.tbl, want.rowId)}\u0000${want.field}`);
      const same = had && had.hlc === want.hlc && had.opId === want.opId && had.value === want.value && had.deviceId === want.deviceId && had.userId === want.userId && Number(had.seq) === Number(want.seq);
      if (!same) stale.push({ want: { ...want, seq: Number(want.seq) }, had });
    }
    return stale;
  }
}
