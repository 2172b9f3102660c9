/**
 * Purging tombstones (issue 6: "tombstones are purged only after every device has passed them"). A deleted
 * record stays as a tombstone until every device that is not revoked has applied the log past its delete
 * (`devices.applied_seq`, kept by pull). Then its ops, heads and settled conflicts go, and one marker op
 * (field PURGE_FIELD) takes their place in the log: laptops that pull it remove the record too, and the
 * service refuses later ops for it (they would bring a deleted record back half-made).
 *
 * A purge also reports what still waits for devices and which live devices those are (the administrator
 * revokes a laptop that was lost or put away, which otherwise holds every purge back).
 *
 * A record is kept while it has an open conflict (someone may still restore it) or child records that are not
 * purged (those go first, then it in a later round). Archives people restore and rows with content-made ids
 * are never purged (NEVER_PURGED).
 *
 * Files go the same way. A file's description (an `attachments` record) is never deleted by a laptop: it is
 * read through the records showing it, and once the last of those is purged nobody but an administrator can
 * read it, and no laptop holds it (a laptop lets a description go with the last record there showing it,
 * sync.ts). It is purged then, if every device had passed its creation (its author pushes the records
 * showing it before it pulls). The bytes go once no record names their hash — not even a deleted record that
 * may still be restored — and neither their upload nor a laptop's last question about them (`checked_at`, asked
 * before it pushes a record naming them) is recent: bytes arrive before the records naming them.
 */
import { and, isNull, lt, sql, type SQL } from 'drizzle-orm';
import { uuidv7 } from 'uuidv7';
import { hlcToString } from '#shared/sync/hlc';
import { TOMBSTONE_FIELD } from '#shared/sync/merge';
import { PURGE_FIELD } from '#shared/sync/protocol';
import { ATTACHMENT_REFERENCES, HASH_REFERENCES, NEVER_PURGED } from '#shared/sync/scope';
import type { Db } from '../db/index.ts';
import { devices, syncPurges } from '../db/schema.ts';
import { fieldsHolding, PUSH_LOCK } from './service.ts';
import { textValues } from './sql.ts';

/** Records purged per round at most (a round is one transaction holding the push lock). */
const PURGE_BATCH = 2000;
/**
 * Deleted records not purged yet that a purge may take (not archives people restore nor content-made ids), with
 * their tombstone head `d`: a `from … where …` to which a query adds its own conditions on `d.seq`.
 */
const DELETED_RECORDS = sql`
  from sync_records r
  join sync_fields d on d.tbl = r.tbl and d.row_id = r.row_id and d.field = ${TOMBSTONE_FIELD}
  where r.purged_seq is null and d.value is not null and d.value <> 'null'
    and r.tbl not in (select ${textValues([...NEVER_PURGED])})`;
/** Bytes no record names are kept this long after their upload or a laptop's last question about them. */
export const UNNAMED_BLOB_GRACE_MS = 7 * 24 * 3_600_000;
/** No open conflict on the record `r` (someone may still restore it or settle the field). */
const NO_OPEN_CONFLICT = sql`not exists (select 1 from sync_conflicts c where c.tbl = r.tbl and c.row_id = r.row_id and c.resolved_seq is null)`;
/** The device id on marker ops: the service, not a laptop. */
export const SERVICE_NODE = 'service';

export interface PurgeResult {
  /** Every live device had applied the log up to here. */
  horizon: number;
  /** Deleted records purged. */
  records: number;
  /** Descriptions of files no record shows any more, purged. */
  files: number;
  /** Bytes no record names any more, deleted: how many blobs and how many bytes. */
  blobs: number;
  blobBytes: number;
  /** Deleted records that must wait: some live device has not applied the log past their delete yet. */
  waiting: number;
  /**
   * The live devices those records wait for (behind the newest waiting delete), least advanced first: a laptop
   * lost or put away without being revoked holds every purge back, and this says which one to revoke.
   */
  waitingFor: { deviceId: string; name: string; userId: string; appliedSeq: number | null; enrolledAt: string; lastSeenAt: string | null }[];
}

export class TombstonePurger {
  constructor(
    private readonly db: Db,
    private readonly now: () => Date,
  ) {}

  /** The log position every device that is not revoked has applied (0 while one has never pulled). */
  async horizon(): Promise<number> {
    const result: unknown = await this.db.execute(sql`select coalesce(min(coalesce(applied_seq, 0)), 0) as h from devices where revoked_at is null`);
    return Number((result as { rows: { h: string | number }[] }).rows[0]?.h ?? 0);
  }

  /** Purges what can go now, round after round until nothing more can. */
  async purge(): Promise<PurgeResult> {
    const horizon = await this.horizon();
    let records = 0;
    let files = 0;
    if (horizon > 0) {
      // Purging children lets their parents go in the next round, and records showing a file let the file go.
      for (let n; (n = await this.round(this.deletedRecords(horizon))) > 0; ) records += n;
      for (let n; (n = await this.round(this.unshownFiles(horizon))) > 0; ) files += n;
    }
    const freed = await this.deleteUnnamedBlobs();
    await this.db.insert(syncPurges).values({ horizon, records, ranAt: this.now() });
    return { horizon, records, files, ...freed, ...(await this.waiting(horizon)) };
  }

  /** Deleted records every device has passed, with no live child records: `tbl, row_id, created_by_account, value`. */
  private deletedRecords(horizon: number): SQL {
    return sql`
      select r.tbl, r.row_id, r.created_by_account, d.value
      ${DELETED_RECORDS} and d.seq <= ${horizon} and ${NO_OPEN_CONFLICT}
        and not exists (select 1 from sync_records k where k.purged_seq is null and k.parent_row_id = r.row_id and not (k.tbl = r.tbl and k.row_id = r.row_id))
      order by r.tbl, r.row_id
      limit ${PURGE_BATCH}`;
  }

  /** Descriptions every device has passed that no record shows (not even a deleted one): as deletedRecords. */
  private unshownFiles(horizon: number): SQL {
    return sql`
      select r.tbl, r.row_id, r.created_by_account, null as value
      from sync_records r
      where r.tbl = 'attachments' and r.purged_seq is null and r.created_seq <= ${horizon} and ${NO_OPEN_CONFLICT}
        and not exists (${fieldsHolding(ATTACHMENT_REFERENCES, sql`(to_json(r.row_id)::text)`)})
      order by r.row_id
      limit ${PURGE_BATCH}`;
  }

  /** Deletes the bytes no record names (with their chunks and holders), once not uploaded nor asked about recently. */
  private async deleteUnnamedBlobs(): Promise<Pick<PurgeResult, 'blobs' | 'blobBytes'>> {
    const before = new Date(this.now().getTime() - UNNAMED_BLOB_GRACE_MS).toISOString();
    return this.db.transaction(async (tx) => {
      // Under the push lock: a push naming the bytes either comes first (and keeps them) or after (and finds none).
      await tx.execute(sql`select pg_advisory_xact_lock(${PUSH_LOCK})`);
      const deleted: unknown = await tx.execute(sql`
        delete from blobs b
        where greatest(b.created_at, b.checked_at) < ${before}::timestamptz
          and not exists (${fieldsHolding(HASH_REFERENCES, sql`(to_json(b.sha256)::text)`)})
        returning b.size`);
      const sizes = (deleted as { rows: { size: string | number }[] }).rows.map((r) => Number(r.size));
      return { blobs: sizes.length, blobBytes: sizes.reduce((x, y) => x + y, 0) };
    });
  }

  /** What is left deleted but not purgeable for the devices' sake, and the devices behind it. */
  private async waiting(horizon: number): Promise<Pick<PurgeResult, 'waiting' | 'waitingFor'>> {
    const found: unknown = await this.db.execute(sql`select count(*)::int as n, max(d.seq) as newest ${DELETED_RECORDS} and d.seq > ${horizon}`);
    const [w] = (found as { rows: { n: number; newest: string | number | null }[] }).rows;
    if (!w || w.n === 0 || w.newest === null) return { waiting: 0, waitingFor: [] };
    const applied = sql`coalesce(${devices.appliedSeq}, 0)`;
    const rows = await this.db
      .select({ deviceId: devices.id, name: devices.name, userId: devices.userId, appliedSeq: devices.appliedSeq, enrolledAt: devices.createdAt, lastSeenAt: devices.lastSeenAt })
      .from(devices)
      .where(and(isNull(devices.revokedAt), lt(applied, Number(w.newest))))
      .orderBy(applied, devices.createdAt);
    return { waiting: w.n, waitingFor: rows.map((d) => ({ ...d, enrolledAt: d.enrolledAt.toISOString(), lastSeenAt: d.lastSeenAt?.toISOString() ?? null })) };
  }

  /** Purges one batch of what `candidates` selects, in one transaction under the push lock. */
  private async round(candidates: SQL): Promise<number> {
    return this.db.transaction(async (tx) => {
      await tx.execute(sql`select pg_advisory_xact_lock(${PUSH_LOCK})`);
      const found: unknown = await tx.execute(candidates);
      const rows = (found as { rows: { tbl: string; row_id: string; created_by_account: string; value: string | null }[] }).rows;
      if (rows.length === 0) return 0;
      const keys = JSON.stringify(rows.map((r) => ({ tbl: r.tbl, row_id: r.row_id })));
      const target = sql`(select x.tbl, x.row_id from json_to_recordset(${keys}::json) as x(tbl text, row_id text))`;
      await tx.execute(sql`delete from sync_ops where (tbl, row_id) in ${target}`);
      await tx.execute(sql`delete from sync_fields where (tbl, row_id) in ${target}`);
      await tx.execute(sql`delete from sync_conflicts where (tbl, row_id) in ${target}`);
      // One marker per record, in the log: what laptops pull to remove theirs.
      const at = this.now();
      const markers = rows.map((r, i) => ({
        i,
        op_id: uuidv7(),
        tbl: r.tbl,
        row_id: r.row_id,
        field: PURGE_FIELD,
        value: r.value,
        hlc: hlcToString({ millis: at.getTime(), counter: i % 0xffff, node: SERVICE_NODE }),
        device_id: SERVICE_NODE,
        user_id: SERVICE_NODE,
        account_id: r.created_by_account,
      }));
      const inserted: unknown = await tx.execute(sql`
        insert into sync_ops (op_id, tbl, row_id, field, value, hlc, device_id, user_id, account_id, base, received_at)
        select x.op_id, x.tbl, x.row_id, x.field, x.value, x.hlc, x.device_id, x.user_id, x.account_id, null, ${at.toISOString()}::timestamptz
        from json_to_recordset(${JSON.stringify(markers)}::json) as x(i int, op_id text, tbl text, row_id text, field text, value text, hlc text, device_id text, user_id text, account_id text)
        order by x.i
        returning tbl, row_id, seq`);
      const seqs = (inserted as { rows: { tbl: string; row_id: string; seq: string | number }[] }).rows;
      await tx.execute(sql`
        update sync_records r set purged_seq = x.seq
        from json_to_recordset(${JSON.stringify(seqs.map((s) => ({ tbl: s.tbl, row_id: s.row_id, seq: Number(s.seq) })))}::json) as x(tbl text, row_id text, seq bigint)
        where r.tbl = x.tbl and r.row_id = x.row_id`);
      return rows.length;
    });
  }
}
