/**
 * Divergence detection and repair on the laptop (issue 6). Pull and push keep a laptop and the central
 * service equal only as long as neither loses anything behind the other's back: a change-log entry removed
 * from the laptop's file, a head altered on the service, a service restored from a backup older than what
 * the laptops confirmed. This compares the two with the hash tree of shared/sync/digest.ts and repairs only
 * the records that differ:
 *
 * - the service's current heads of each such record are merged in through the normal apply path (the shared
 *   merge decides per field; open conflicts come along) — records the laptop lacks arrive this way;
 * - this device's ops the service no longer holds (its head for the field is older, or it has no head, or
 *   it does not report the record at all) are marked unsent, so the next push sends them again;
 * - anything else (another device's op the service lacks) is reported, for that device to send.
 *
 * Nothing local is ever thrown away: there is no "reset sync". The laptop's side of the tree is built from
 * its change log (the greatest clock per field among entries the service did not refuse), not from the
 * tables: whether the tables agree with the log is checkIntegrity's job. Records with changes not yet pushed
 * are left out on both sides (their difference is expected).
 */
import crypto from 'node:crypto';
import type Database from 'better-sqlite3';
import { DigestTree, differingRecords, recordKey, type DigestHash, type DigestIndex, type RecordDifference } from '#shared/sync/digest';
import { MAX_DIGEST_SKIP, MAX_RECORDS_REQUEST, PURGE_FIELD, type RecordRef } from '#shared/sync/protocol';
import { HASH_REFERENCES } from '#shared/sync/scope';
import type { Logger } from './logger.ts';
import type { SyncService } from './sync.ts';
import { TransportError, type SyncTransport } from './sync-transport.ts';

/** SHA-256 as lowercase hex: the tree's hash, the same as the service's. */
export const sha256Hex: DigestHash = (text) => crypto.createHash('sha256').update(text).digest('hex');

/** Rounds of one check: a server that answers `more` (very many differing records) is asked again after repairs. */
const MAX_ROUNDS = 4;
/** Records named in a summary's `unresolved` list (the count is complete). */
const MAX_REPORTED = 50;

/** What one check found and did. */
export interface DivergenceSummary {
  /** Buckets compared (0 when the check did not run). */
  bucketsCompared: number;
  /** Buckets whose digests differed. */
  bucketsDiffering: number;
  /** Records whose digests differed. */
  recordsDiffering: number;
  /** Records for which the service's heads brought ops this laptop lacked. */
  recordsRepulled: number;
  /** This device's ops marked to be sent again (the service had lost them). */
  opsResent: number;
  /** Records that still differ in a way this laptop cannot mend (another device's op the service lacks). */
  unresolvedCount: number;
  /** The first of them. */
  unresolved: RecordRef[];
  /** Records left out because they have changes not pushed yet. */
  skipped: number;
  /** The check did not run: the service does not offer it, or more changes wait than a check may leave out. */
  notRun: 'unsupported' | 'busy' | null;
}

/** A transport that offers divergence checks. */
type DivergenceTransport = SyncTransport & Required<Pick<SyncTransport, 'digest' | 'records'>>;

const emptySummary = (): DivergenceSummary => ({
  bucketsCompared: 0,
  bucketsDiffering: 0,
  recordsDiffering: 0,
  recordsRepulled: 0,
  opsResent: 0,
  unresolvedCount: 0,
  unresolved: [],
  skipped: 0,
  notRun: null,
});

export class DivergenceCheck {
  constructor(
    private readonly sqlite: Database.Database,
    private readonly sync: SyncService,
    private readonly deviceId: string,
    private readonly logger: Logger,
    private readonly hash: DigestHash = sha256Hex,
  ) {}

  /**
   * Records left out of the comparison: those with ops of this device not yet committed by the service, and
   * those the service purged whose removal here waits for rows that still refer to them (sync.ts).
   */
  pendingRecords(): RecordRef[] {
    return (
      this.sqlite.prepare('SELECT DISTINCT tbl, row_id FROM change_log WHERE (server_seq IS NULL AND rejected_reason IS NULL) OR (field = ? AND applied = 0)').all(PURGE_FIELD) as { tbl: string; row_id: string }[]
    ).map((r) => ({
      tbl: r.tbl,
      rowId: r.row_id,
    }));
  }

  /** This laptop's tree: per field the greatest clock of the change log's entries the service did not refuse. */
  localTree(skip: readonly RecordRef[] = this.pendingRecords()): DigestIndex {
    const tree = new DigestTree(new Set(skip.map((r) => recordKey(r.tbl, r.rowId))));
    const heads = this.sqlite.prepare('SELECT tbl, row_id, field, max(hlc) AS hlc FROM change_log WHERE rejected_reason IS NULL GROUP BY tbl, row_id, field');
    for (const h of heads.iterate() as IterableIterator<{ tbl: string; row_id: string; field: string; hlc: string }>) tree.add(h.tbl, h.row_id, h.field, h.hlc);
    return tree.build(this.hash);
  }

  /**
   * Compares with the service and repairs what differs. Ops marked unsent go with the next push (a sync
   * round: attachment bytes first, so a signature is not sent before its photos). Throws what the transport
   * throws (nothing is changed by a request that failed).
   */
  async run(transport: SyncTransport): Promise<DivergenceSummary> {
    const summary = emptySummary();
    if (!transport.digest || !transport.records) return { ...summary, notRun: 'unsupported' };
    // Called as methods of the transport (an implementation may use `this`).
    const t = transport as DivergenceTransport;
    const seen = new Set<string>();
    const unresolved = new Map<string, RecordRef>();
    for (let round = 0; round < MAX_ROUNDS; round++) {
      const pending = this.pendingRecords();
      if (pending.length > MAX_DIGEST_SKIP) {
        summary.notRun = 'busy';
        break;
      }
      const local = this.localTree(pending);
      let answer;
      try {
        answer = await t.digest({ buckets: local.buckets, skip: pending });
      } catch (err) {
        // A service that predates divergence checks: nothing to compare with.
        if (err instanceof TransportError && err.status === 404) return { ...summary, notRun: 'unsupported' };
        throw err;
      }
      summary.bucketsCompared = answer.compared;
      summary.skipped = pending.length;
      if (round === 0) summary.bucketsDiffering = answer.differing.length;
      const pendingKeys = new Set(pending.map((r) => recordKey(r.tbl, r.rowId)));
      const diffs = answer.differing.flatMap((b) => differingRecords(local.recordsIn(b.bucket), b.records)).filter((d) => !pendingKeys.has(recordKey(d.tbl, d.rowId)));
      for (const d of diffs) seen.add(recordKey(d.tbl, d.rowId));
      const before = summary.recordsRepulled + summary.opsResent;
      for (let i = 0; i < diffs.length; i += MAX_RECORDS_REQUEST) await this.repair(t, diffs.slice(i, i + MAX_RECORDS_REQUEST), summary, unresolved);
      // Ask again only while the service held back buckets and this round mended something.
      if (!answer.more || summary.recordsRepulled + summary.opsResent === before) break;
    }
    summary.recordsDiffering = seen.size;
    summary.unresolvedCount = unresolved.size;
    summary.unresolved = [...unresolved.values()].slice(0, MAX_REPORTED);
    if (summary.recordsDiffering > 0 || summary.notRun) this.logger.warn({ ...summary, unresolved: summary.unresolved.slice(0, 10) }, 'sync divergence check: this laptop and the server differed');
    else this.logger.info({ buckets: summary.bucketsCompared, skipped: summary.skipped }, 'sync divergence check: this laptop and the server agree');
    return summary;
  }

  /** Repairs one batch of differing records (at most MAX_RECORDS_REQUEST). */
  private async repair(transport: DivergenceTransport, diffs: readonly RecordDifference[], summary: DivergenceSummary, unresolved: Map<string, RecordRef>): Promise<void> {
    const refs = diffs.map((d) => ({ tbl: d.tbl, rowId: d.rowId }));
    const answer = await transport.records(refs);

    // The service's heads, merged in as any pulled op is (the cursor stays where it is: these heads come
    // again through pull, if they lie ahead of it, and are then recognised by op id).
    const known = this.sqlite.prepare('SELECT 1 FROM change_log WHERE op_id = ?');
    const repulled = new Set(answer.ops.filter((o) => known.get(o.opId) === undefined).map((o) => recordKey(o.tbl, o.rowId)));
    if (answer.ops.length > 0 || answer.conflicts.length > 0) this.sync.applyPage(answer.ops, answer.conflicts, this.sync.status().cursor);
    summary.recordsRepulled += repulled.size;

    // Per field, what the service holds now; a field it has no head for (or a record it does not report) holds nothing.
    const serverHead = new Map<string, string>();
    for (const o of answer.ops) serverHead.set(`${recordKey(o.tbl, o.rowId)}\u0000${o.field}`, o.hlc);
    const logged = this.sqlite.prepare('SELECT op_id, field, hlc, device_id FROM change_log WHERE tbl = ? AND row_id = ? AND server_seq IS NOT NULL AND rejected_reason IS NULL');
    const unsend = this.sqlite.prepare('UPDATE change_log SET server_seq = NULL WHERE op_id = ? AND server_seq IS NOT NULL');
    const blobOf = (tbl: string, rowId: string): string | undefined => {
      const ref = HASH_REFERENCES.find((r) => r.tbl === tbl);
      return ref ? (this.sqlite.prepare(`SELECT "${ref.column}" AS sha FROM "${ref.tbl}" WHERE id = ?`).get(rowId) as { sha: string } | undefined)?.sha : undefined;
    };
    this.sqlite.transaction(() => {
      for (const ref of refs) {
        const k = recordKey(ref.tbl, ref.rowId);
        let resent = 0;
        let foreign = false;
        for (const op of logged.all(ref.tbl, ref.rowId) as { op_id: string; field: string; hlc: string; device_id: string }[]) {
          const head = serverHead.get(`${k}\u0000${op.field}`);
          if (head !== undefined && op.hlc <= head) continue;
          // The service has not got this op (it would hold it or a later one as the head).
          if (op.device_id === this.deviceId) resent += unsend.run(op.op_id).changes;
          else foreign = true;
        }
        if (resent > 0) {
          summary.opsResent += resent;
          // The service may have lost the record's bytes too: check them again with the next upload.
          const sha = blobOf(ref.tbl, ref.rowId);
          if (sha) this.sqlite.prepare('DELETE FROM blob_uploads WHERE sha256 = ?').run(sha);
        }
        if (foreign) unresolved.set(k, ref);
      }
    })();
  }
}
