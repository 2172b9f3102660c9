/**
 * The sync client (issue 6). Push: this device's change-log entries not yet committed by the server, in
 * batches under the protocol's size limit; each op is marked sent only when the server answers that it
 * committed it, or marked refused with the server's reason (kept, shown, never dropped). Pull: pages of
 * server ops after the cursor, each page and the new cursor applied in one local transaction through the
 * shared merge; ops for rows that cannot exist yet (their parent has not arrived) or for tables and fields
 * this version does not know wait in the log and are applied later.
 */
import type Database from 'better-sqlite3';
import { uuidv7 } from 'uuidv7';
import { AppError, notFound } from '#shared/contract/errors';
import { mergeField, type FieldHead } from '#shared/sync/merge';
import { ATTACHMENT_REFERENCES, HASH_REFERENCES, SYNC_POLICY, scopeField } from '#shared/sync/scope';
import { SIGNED_RECORDS } from '#shared/sync/signing';
import { CLOCK_TOLERANCE_MS } from '#shared/sync/hlc';
import { MAX_PULL_OPS, MAX_PUSH_BYTES, MAX_PUSH_OPS, PURGE_FIELD, type ChangeOp, type ConflictRecord, type PullResponse, type PushChain, type PushResponse, type ServerOp } from '#shared/sync/protocol';
import type { Logger } from './logger.ts';
import type { MutationLayer, SqlValue, Tx } from './mutations.ts';
import { ATTACHMENT_IN_USE, type AttachmentStore } from './attachments.ts';
import { holderProof, TransportError, type BlobTransport, type SyncTransport } from './sync-transport.ts';

const CURSOR_KEY = 'sync_cursor';
const LAST_SYNC_KEY = 'sync_last_success';

export interface SyncStatus {
  /** Ops of this device the server has not committed yet. */
  pending: number;
  /** When the oldest of them was made (ISO), or null. */
  oldestPendingAt: string | null;
  rejected: number;
  openConflicts: number;
  cursor: number;
  lastSuccessAt: string | null;
  /** Attachments records refer to whose bytes are not on this laptop yet (they arrive with the next rounds). */
  missingFiles: number;
  /** Attachments of this laptop the server does not hold yet. */
  filesToSend: number;
  /** How far this laptop's clock was off the service's at the last sync (ms, positive: ahead); 0 within tolerance. */
  clockSkewMs: number;
}

export interface SyncResult {
  pushed: number;
  rejected: number;
  pulled: number;
}

export interface ConflictView {
  id: string;
  tbl: string;
  rowId: string;
  field: string;
  kept: ConflictRecord['kept'];
  other: ConflictRecord['other'];
  /** Decided here or on the server. */
  resolved: boolean;
  /** The server has confirmed the decision. */
  settled: boolean;
}

/** What a synced record is, for people: its company (a link to it) and, for an assessment answer, the item. */
export interface RecordLabel {
  companyName: string | null;
  link: string | null;
  itemId: string | null;
}

/** A change-log row as SQLite returns it. */
export interface LogRow {
  seq: number;
  op_id: string;
  tbl: string;
  row_id: string;
  field: string;
  value: string | null;
  hlc: string;
  device_id: string;
  user_id: string;
  base: string | null;
  seen_seq?: number | null;
}

/**
 * A request now on its way while the laptop works meanwhile: it is awaited later, so a failure of that work
 * must not leave it unobserved, and it gets a turn to leave before synchronous work holds the thread.
 */
async function onItsWay(request: Promise<unknown>): Promise<void> {
  request.catch(() => undefined);
  await new Promise((resolve) => setImmediate(resolve));
}

/** A push batch on its way (SyncService.push). */
interface Sending {
  batch: LogRow[];
  chain: PushChain;
  answer: Promise<PushResponse>;
}

/** The ISO time at the start of an HLC string. */
const hlcTime = (hlc: string) => hlc.slice(0, 24);

export class SyncService {
  /** Bytes the service confirmed it holds in the current round (uploadBlobs): not asked about again until the next. */
  private readonly confirmedThisRound = new Set<string>();
  constructor(
    private readonly sqlite: Database.Database,
    private readonly mutations: MutationLayer,
    private readonly deviceId: string,
    private readonly logger: Logger,
    private readonly now: () => number = Date.now,
    private readonly files: AttachmentStore | null = null,
  ) {}

  status(): SyncStatus {
    const pending = this.sqlite
      .prepare('SELECT count(*) AS n, min(hlc) AS oldest FROM change_log WHERE server_seq IS NULL AND rejected_reason IS NULL AND device_id = ?')
      .get(this.deviceId) as { n: number; oldest: string | null };
    const n = (sql: string, ...p: unknown[]) => (this.sqlite.prepare(sql).get(...p) as { n: number }).n;
    return {
      pending: pending.n,
      oldestPendingAt: pending.oldest ? hlcTime(pending.oldest) : null,
      rejected: n('SELECT count(*) AS n FROM change_log WHERE rejected_reason IS NOT NULL AND device_id = ?', this.deviceId),
      openConflicts: n('SELECT count(*) AS n FROM sync_conflicts WHERE resolved_seq IS NULL AND resolved_op_id IS NULL'),
      cursor: this.cursor(),
      lastSuccessAt: this.meta(LAST_SYNC_KEY) ?? null,
      missingFiles: this.files ? this.referencedBlobs().filter((b) => !this.files?.has(b.sha256)).length : 0,
      filesToSend: this.files ? this.blobsToSend().length : 0,
      clockSkewMs: this.mutations.clockSkew(),
    };
  }

  /** Content hashes the records on this laptop refer to (attachments, signed certificate PDFs) with their size when known. */
  private referencedBlobs(): { sha256: string }[] {
    return this.sqlite
      .prepare(`SELECT sha256 FROM attachments WHERE deleted_at IS NULL AND ${ATTACHMENT_IN_USE} UNION SELECT pdf_sha256 FROM certificates WHERE deleted_at IS NULL`)
      .all() as { sha256: string }[];
  }

  /**
   * The bytes to send, or to ask about again: those the service has not confirmed, and those a record not sent
   * yet names (unless asked about in this round already). The service deletes bytes no record names a week
   * after they were last asked about, so bytes sent before an absence may be gone when their record goes.
   */
  private blobsToSend(): string[] {
    const sent = new Set((this.sqlite.prepare('SELECT sha256 FROM blob_uploads').all() as { sha256: string }[]).map((r) => r.sha256));
    const unsentNames = new Set(
      (
        this.sqlite
          .prepare(
            HASH_REFERENCES.map((r) => `SELECT "${r.column}" AS sha256 FROM "${r.tbl}" WHERE id IN (SELECT row_id FROM change_log WHERE tbl = '${r.tbl}' AND server_seq IS NULL AND rejected_reason IS NULL)`)
              .join(' UNION '),
          )
          .all() as { sha256: string }[]
      ).map((r) => r.sha256),
    );
    return this.referencedBlobs()
      .map((b) => b.sha256)
      .filter((sha) => (!sent.has(sha) || (unsentNames.has(sha) && !this.confirmedThisRound.has(sha))) && this.files?.has(sha));
  }

  /**
   * Sends the bytes of attachments the server does not hold: only the chunks it lacks (an interrupted
   * upload resumes), then asks it to check the hash. A blob the server holds complete is never sent again;
   * if another account sent it, this laptop proves it holds the bytes instead.
   */
  async uploadBlobs(t: BlobTransport): Promise<number> {
    if (!this.files) return 0;
    let sent = 0;
    this.confirmedThisRound.clear();
    const mark = this.sqlite.prepare('INSERT OR IGNORE INTO blob_uploads (sha256, uploaded_at) VALUES (?, ?)');
    for (const sha of this.blobsToSend()) {
      const bytes = this.files.read(sha);
      for (let attempt = 0; ; attempt++) {
        let s = (await t.status(sha)) ?? (await t.begin(sha, bytes.length));
        if (!s.complete) {
          const have = new Set(s.received);
          for (let i = 0; i < s.chunks; i++) if (!have.has(i)) await t.putChunk(sha, i, bytes.subarray(i * s.chunkSize, (i + 1) * s.chunkSize));
          try {
            s = await t.complete(sha);
          } catch (err) {
            // The server found the chunks did not hash to the name (damaged on the way) and dropped them: once more.
            if (err instanceof TransportError && err.status === 422 && attempt === 0) continue;
            throw err;
          }
          sent++;
        }
        // The same bytes came from another account first (the same file added on a laptop of another pair):
        // naming them in a record needs proof that this laptop holds them, not only their hash.
        if (s.held === false) await t.prove(sha, holderProof(bytes));
        break;
      }
      mark.run(sha, new Date(this.now()).toISOString());
      this.confirmedThisRound.add(sha);
    }
    return sent;
  }

  /** Fetches attachments that records refer to but this laptop lacks; each is kept only if it hashes to its name. */
  async downloadBlobs(t: BlobTransport): Promise<number> {
    if (!this.files) return 0;
    let got = 0;
    const held = this.sqlite.prepare('INSERT OR IGNORE INTO blob_uploads (sha256, uploaded_at) VALUES (?, ?)');
    for (const { sha256 } of this.referencedBlobs()) {
      if (this.files.has(sha256)) continue;
      const s = await t.status(sha256);
      if (!s?.complete) continue; // not uploaded yet by the laptop that made it: a later round
      const parts: Buffer[] = [];
      try {
        for (let i = 0; i < s.chunks; i++) parts.push(await t.getChunk(sha256, i));
      } catch (err) {
        // The service no longer lets this laptop see the record that shows it (its company moved to another
        // pair): the scope check takes the record away; the other files still come.
        if (err instanceof TransportError && err.status === 403) {
          this.logger.warn({ sha256 }, 'the service refused an attachment this laptop may no longer see');
          continue;
        }
        throw err;
      }
      if (this.files.putVerified(sha256, Buffer.concat(parts))) {
        // It came from the service, which holds it whole: nothing to send.
        held.run(sha256, new Date(this.now()).toISOString());
        got++;
      } else this.logger.warn({ sha256 }, 'downloaded attachment did not match its hash; will try again');
    }
    return got;
  }

  /** One full round: push everything pending, then pull until the server has nothing more. */
  async syncOnce(transport: SyncTransport): Promise<SyncResult> {
    // Bytes first: a signature is accepted only when every photo it covers is on the service, and a record may
    // name bytes another account sent only once this laptop has proved it holds them. If bytes cannot go now,
    // the other records still do; signatures and the records of the files not sent wait for the next round.
    const blobError: Error | null = transport.blobs
      ? await this.uploadBlobs(transport.blobs).then(
          () => null,
          (err: unknown) => (err instanceof Error ? err : new Error(String(err))),
        )
      : null;
    const pushed = await this.push(transport, blobError !== null);
    const pulled = await this.pull(transport);
    if (transport.blobs) await this.downloadBlobs(transport.blobs);
    if (blobError) throw blobError;
    this.measureClock(transport);
    this.setMeta(LAST_SYNC_KEY, new Date(this.now()).toISOString());
    return { pushed: pushed.accepted, rejected: pushed.rejected, pulled };
  }

  /**
   * Compares this laptop's clock with the service's (its answers' Date header). Beyond the tolerance, clocks
   * and timestamps of new edits follow the service's time and the sync screen says the clock is wrong; sync
   * itself never stops over it.
   */
  private measureClock(transport: SyncTransport): void {
    const serverDate = transport.serverDate?.() ?? null;
    if (serverDate === null) return;
    const skew = this.now() - serverDate;
    const corrected = Math.abs(skew) > CLOCK_TOLERANCE_MS ? skew : 0;
    if (corrected !== this.mutations.clockSkew()) {
      if (corrected !== 0) this.logger.warn({ skewMs: skew }, 'this laptop’s clock is off the service’s; new edits use the service’s time');
      this.mutations.setClockSkew(corrected);
    }
  }

  /**
   * Sends pending ops batch by batch, in log order. Up to the transport's push window are on their way at once
   * (over HTTP: the next batch travels and is read by the service while it stores the previous one); each names
   * the batch it follows, and the service stores a device's batches only in that order (PushChain). Answers are
   * recorded in order while later batches travel, and the next one is read meanwhile: the laptop's work overlaps
   * the round trips. A batch that arrived before the one it follows is refused whole (and so are those behind it)
   * and sent again, with a new chain, once that one is answered. Any other failure throws and leaves every op of
   * that batch (and of those after it) pending; an op counts as sent only once its answer is recorded.
   */
  async push(transport: SyncTransport, bytesMissing = false): Promise<{ accepted: number; rejected: number }> {
    const totals = { accepted: 0, rejected: 0 };
    const held = bytesMissing ? this.recordsAwaitingBytes() : null;
    const window = Math.max(1, transport.pushWindow ?? 1);
    const flight: Sending[] = [];
    let previous: string | null = null;
    let next = this.nextBatch(0, held);
    for (;;) {
      while (flight.length < window && next.length > 0) {
        const ops = next.map((r) => this.toOp(r));
        const chain: PushChain = { batch: uuidv7(), after: previous };
        const answer = transport.push(ops, chain);
        answer.catch(() => undefined); // awaited in turn below
        flight.push({ batch: next, chain, answer });
        previous = chain.batch;
        await onItsWay(answer);
        next = this.nextBatch((next[next.length - 1] as LogRow).seq, held);
      }
      const first = flight.shift();
      if (!first) break;
      let response: PushResponse;
      try {
        response = await first.answer;
      } catch (err) {
        if (!(err instanceof TransportError && err.code === 'out_of_order') || first.chain.after === null) throw err;
        // It overtook the batch it follows, which has been answered since (it came first). The batches behind it
        // follow it, so they are refused too: let them be answered, then go on from this one with a new chain.
        await Promise.allSettled(flight.map((f) => f.answer));
        flight.length = 0;
        next = first.batch;
        previous = null;
        continue;
      }
      this.recordAnswers(first.batch, response, totals);
    }
    if (totals.rejected > 0) this.removeRefusedRecords();
    return totals;
  }

  /** Marks a batch's ops sent (with their server sequence) or refused (with the reason, kept and shown). */
  private recordAnswers(batch: LogRow[], response: PushResponse, totals: { accepted: number; rejected: number }): void {
    const byOp = new Map(batch.map((r) => [r.op_id, r]));
    // By the log's own row number (the batch has it), not through the op id's index.
    const ack = this.sqlite.prepare('UPDATE change_log SET server_seq = ? WHERE seq = ? AND server_seq IS NULL');
    const refuse = this.sqlite.prepare('UPDATE change_log SET rejected_reason = ?, rejected_key = ?, rejected_label = ? WHERE seq = ? AND server_seq IS NULL');
    const refused: LogRow[] = [];
    this.mutations.transaction((tx) => {
      for (const r of response.results) {
        const op = byOp.get(r.opId);
        // Ops the server did not answer for stay pending and go again with the next round.
        if (!op) continue;
        if (r.status === 'accepted') {
          ack.run(r.seq, op.seq);
          totals.accepted++;
        } else {
          if (refuse.run(r.reason, r.messageKey, this.describe(op.tbl, op.row_id).companyName, op.seq).changes > 0) refused.push(op);
          totals.rejected++;
        }
      }
      this.undoRefused(tx, refused);
    });
  }

  /**
   * A refused change no longer stands on this laptop; it stays in the log with its reason, shown to the user.
   * Where it is the field's current value, the field goes back to the latest change the service did not refuse
   * (what the service and colleagues hold); a record that exists only through refused changes goes once the
   * whole push is answered (removeRefusedRecords). An edit made offline while a colleague signed is undone
   * here, as it is nowhere else; a refused signature opens the record again, as it is on the service, to be
   * reviewed and signed again.
   */
  private undoRefused(tx: Tx, refused: readonly LogRow[]): void {
    const clockOf = this.sqlite.prepare('SELECT hlc FROM field_clocks WHERE tbl = ? AND row_id = ? AND field = ?');
    const standing = this.sqlite.prepare('SELECT value, hlc FROM change_log WHERE tbl = ? AND row_id = ? AND field = ? AND rejected_reason IS NULL AND applied = 1 ORDER BY hlc DESC LIMIT 1');
    const rowStands = this.sqlite.prepare('SELECT 1 FROM change_log WHERE tbl = ? AND row_id = ? AND rejected_reason IS NULL LIMIT 1');
    const setClock = this.sqlite.prepare('INSERT INTO field_clocks (tbl, row_id, field, hlc) VALUES (?, ?, ?, ?) ON CONFLICT(tbl, row_id, field) DO UPDATE SET hlc = excluded.hlc');
    const dropClock = this.sqlite.prepare('DELETE FROM field_clocks WHERE tbl = ? AND row_id = ? AND field = ?');
    // Latest first: a refused child goes before the refused parent it points at.
    for (const op of [...refused].sort((a, b) => b.seq - a.seq)) {
      const columns = this.mutations.columnsOf(op.tbl);
      if (!columns || (!columns.has(op.field) && op.field !== 'deleted_at')) continue;
      if ((clockOf.get(op.tbl, op.row_id, op.field) as { hlc: string } | undefined)?.hlc !== op.hlc) continue; // a later change holds the field
      if (!rowStands.get(op.tbl, op.row_id)) continue; // goes whole, after the push
      const prev = standing.get(op.tbl, op.row_id, op.field) as { value: string | null; hlc: string } | undefined;
      try {
        tx.writeRemote(op.tbl, op.row_id, [[op.field, prev?.value ? (JSON.parse(prev.value) as SqlValue) : null]], { createdAt: hlcTime(op.hlc), originDevice: op.device_id });
      } catch (err) {
        // A required field with no value the service took, or one naming a row no longer here: the refused
        // value stays visible (and listed) until another arrives.
        if (err instanceof Error && /NOT NULL constraint failed|FOREIGN KEY constraint failed/.test(err.message)) continue;
        throw err;
      }
      if (prev) setClock.run(op.tbl, op.row_id, op.field, prev.hlc);
      else dropClock.run(op.tbl, op.row_id, op.field);
    }
    if (refused.some((op) => SIGNED_RECORDS[op.tbl]?.lockField === op.field)) this.logger.warn({ refused: refused.length }, 'a signature was refused by the service; the record is open again');
  }

  /**
   * Removes the records this laptop made that exist only through changes the service refused (a photo added
   * to an assessment a colleague had signed), with their clocks; the refused changes stay listed. Latest first,
   * so a child goes before its parent, and again while that frees more: a push's answers come batch by batch,
   * and a parent's may have come before its child's.
   */
  private removeRefusedRecords(): void {
    const made = this.sqlite
      .prepare(
        `SELECT tbl, row_id, max(seq) AS last FROM change_log r WHERE device_id = ? AND rejected_reason IS NOT NULL
         AND NOT EXISTS (SELECT 1 FROM change_log s WHERE s.tbl = r.tbl AND s.row_id = r.row_id AND s.rejected_reason IS NULL)
         GROUP BY tbl, row_id ORDER BY last DESC`,
      )
      .all(this.deviceId) as { tbl: string; row_id: string }[];
    let left = made.filter((r) => this.mutations.columnsOf(r.tbl) && this.sqlite.prepare(`SELECT 1 FROM "${r.tbl}" WHERE id = ?`).get(r.row_id));
    if (left.length === 0) return;
    this.mutations.transaction((tx) => {
      for (let round = 0; left.length > 0 && round < 10; round++) {
        const kept = left.filter((r) => !tx.removeRemote(r.tbl, r.row_id));
        if (kept.length === left.length) break;
        left = kept;
      }
    });
    if (left.length > 0) this.logger.warn({ records: left.slice(0, 10) }, 'records made only of refused changes are still referred to; kept');
  }

  /**
   * Pulls and applies pages until the server says there is no more; returns the number of ops applied. The
   * next page is asked for (from this page's cursor) while this one is applied: the laptop's work overlaps the
   * round trip. Each page still goes in with its cursor in one transaction, in order; a page that fails to
   * apply leaves the cursor where it was, and the one asked for ahead is dropped.
   */
  async pull(transport: SyncTransport, pageSize = MAX_PULL_OPS): Promise<number> {
    let total = 0;
    let ahead: Promise<PullResponse> | null = null;
    for (;;) {
      const before = this.cursor();
      const page = await (ahead ?? transport.pull(before, pageSize));
      ahead = null;
      if (page.head !== undefined && page.head < this.cursor()) {
        // The server lost what came after `head` (restored from an older backup): send ours again and read on from there.
        this.serverLostAfter(page.head);
        await this.push(transport);
        continue;
      }
      // A page may hold nothing this user may read and still move the cursor: go on while more waits.
      const more = page.more && page.cursor > before;
      if (more) {
        ahead = transport.pull(page.cursor, pageSize);
        await onItsWay(ahead);
      }
      this.applyPage(page.ops, page.conflicts, page.cursor);
      total += page.ops.length;
      // A company newly assigned to this laptop's pair: its earlier history lies before our cursor.
      const assigned = page.ops.filter((o) => o.tbl === 'pair_assignments' && o.field === 'org_id' && o.value !== null).map((o) => JSON.parse(o.value as string) as string);
      if (transport.snapshot) for (const orgId of new Set(assigned)) total += await this.fetchOrganisation(transport, orgId);
      if (!more) break;
    }
    return total;
  }

  /**
   * The server's log ends at `head`: our ops it had numbered after that are no longer there, so they are
   * pending again; blobs may be gone too. Nothing local is thrown away.
   */
  serverLostAfter(head: number): void {
    this.sqlite.transaction(() => {
      const n = this.sqlite.prepare('UPDATE change_log SET server_seq = NULL WHERE device_id = ? AND server_seq > ?').run(this.deviceId, head).changes;
      this.sqlite.prepare('DELETE FROM blob_uploads').run();
      this.setMeta(CURSOR_KEY, String(head));
      this.logger.warn({ head, resend: n }, 'the server was restored from an older backup; sending our changes again');
    })();
  }

  /** Brings one organisation's records in from the server's current state (pages of heads), without moving the cursor. */
  async fetchOrganisation(transport: SyncTransport, orgId: string): Promise<number> {
    if (!transport.snapshot) return 0;
    let after: { tbl: string; rowId: string } | null = null;
    let cursor: number | null = null;
    let total = 0;
    for (;;) {
      const page = await transport.snapshot(orgId, after, cursor);
      cursor = page.cursor;
      this.applyPage(page.ops, page.conflicts, this.cursor());
      total += page.ops.length;
      if (!page.next) break;
      after = page.next;
    }
    this.logger.info({ orgId, ops: total }, 'fetched a newly assigned organisation');
    return total;
  }

  /** Applies one page and moves the cursor, in one transaction. */
  applyPage(ops: readonly ServerOp[], conflicts: readonly ConflictRecord[], cursor: number): void {
    const known = this.sqlite.prepare('SELECT server_seq FROM change_log WHERE op_id = ?');
    const ack = this.sqlite.prepare('UPDATE change_log SET server_seq = ? WHERE op_id = ?');
    const insert = this.sqlite.prepare(
      'INSERT INTO change_log (op_id, tbl, row_id, field, value, hlc, device_id, user_id, base, server_seq, applied) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    const upsertConflict = this.sqlite.prepare(
      `INSERT INTO sync_conflicts (id, tbl, row_id, field, kept, other, seq, resolved_seq) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT(id) DO UPDATE SET resolved_seq = excluded.resolved_seq`,
    );
    const farAhead = new Set<string>();
    const freed = new Set<string>();
    this.mutations.transaction((tx) => {
      const fresh: (LogRow & { server_seq: number })[] = [];
      const inPage = new Set<string>();
      for (const op of ops) {
        if (inPage.has(op.opId)) continue;
        inPage.add(op.opId);
        const mine = known.get(op.opId) as { server_seq: number | null } | undefined;
        if (mine) {
          // Our own op coming back (its push answer may have been lost): it is committed.
          if (mine.server_seq === null) ack.run(op.seq, op.opId);
          continue;
        }
        fresh.push({ seq: 0, op_id: op.opId, tbl: op.tbl, row_id: op.rowId, field: op.field, value: op.value, hlc: op.hlc, device_id: op.deviceId, user_id: op.userId, base: op.base, server_seq: op.seq });
        if (this.mutations.observe(op.hlc)) farAhead.add(op.deviceId);
      }
      for (const c of conflicts) {
        upsertConflict.run(c.id, c.tbl, c.rowId, c.field, JSON.stringify(c.kept), JSON.stringify(c.other), c.seq, c.resolvedSeq);
      }
      // The page's ops go into the log already marked as applied where they were: marking them afterwards
      // rewrote every row of the log a second time (a fifth of a fresh laptop's first pull).
      const applied = this.materialize(tx, fresh);
      for (const r of fresh) insert.run(r.op_id, r.tbl, r.row_id, r.field, r.value, r.hlc, r.device_id, r.user_id, r.base, r.server_seq, applied.has(r) ? 1 : 0);
      for (const sha of this.removePurged()) freed.add(sha);
      this.setMeta(CURSOR_KEY, String(cursor));
    });
    this.removeUnnamedFiles(freed);
    // Logged, not refused: their ops keep their clocks; this laptop's clock did not follow them.
    if (farAhead.size > 0) this.logger.warn({ devices: [...farAhead] }, 'ops from laptops whose clocks are far ahead; this laptop’s clock did not follow');
  }

  /**
   * Brings rows up to date with `fresh` (a page's new ops, not yet in the log) and the pulled ops waiting in
   * the log (applied = 0): for each field, the shared merge decides against the field's current clock. Rows
   * that cannot be written yet stay waiting; waiting rows are retried until nothing more moves (a child
   * arrives before its parent within one page). Returns the fresh ops applied (the others are logged waiting).
   */
  private materialize(tx: Parameters<Parameters<MutationLayer['transaction']>[0]>[0], fresh: readonly LogRow[]): Set<LogRow> {
    const applied = new Set<LogRow>();
    const isFresh = new Set(fresh);
    // Each row's pending ops, read once: the page's and those already waiting (few, unless an upgrade is due).
    const pendingOf = new Map<string, LogRow[]>();
    const logged = new Set<string>();
    const add = (r: LogRow) => {
      const k = `${r.tbl}\u0000${r.row_id}`;
      const list = pendingOf.get(k);
      if (list) list.push(r);
      else pendingOf.set(k, [r]);
      return k;
    };
    for (const r of fresh) add(r);
    for (const r of this.sqlite.prepare('SELECT * FROM change_log WHERE applied = 0').all() as LogRow[]) logged.add(add(r));
    if (pendingOf.size === 0) return applied;
    for (const list of pendingOf.values()) list.sort((a, b) => (a.hlc < b.hlc ? -1 : a.hlc > b.hlc ? 1 : 0));
    // A few statements per row, not per field: a fresh laptop applies tens of thousands of rows.
    const clocksOf = this.sqlite.prepare(
      'SELECT c.field, c.hlc, l.value, l.op_id, l.device_id, l.user_id FROM field_clocks c LEFT JOIN change_log l ON l.hlc = c.hlc AND l.tbl = c.tbl AND l.row_id = c.row_id AND l.field = c.field WHERE c.tbl = ? AND c.row_id = ?',
    );
    const setClock = this.sqlite.prepare('INSERT INTO field_clocks (tbl, row_id, field, hlc) VALUES (?, ?, ?, ?) ON CONFLICT(tbl, row_id, field) DO UPDATE SET hlc = excluded.hlc');
    const done = this.sqlite.prepare('UPDATE change_log SET applied = 1 WHERE tbl = ? AND row_id = ? AND applied = 0 AND field = ?');
    const allDone = this.sqlite.prepare('UPDATE change_log SET applied = 1 WHERE tbl = ? AND row_id = ? AND applied = 0');
    const firstOf = this.sqlite.prepare('SELECT hlc, device_id FROM change_log WHERE tbl = ? AND row_id = ? ORDER BY hlc LIMIT 1');
    let queue = [...pendingOf.keys()];
    for (let round = 0; queue.length > 0 && round < 50; round++) {
      const retry: string[] = [];
      for (const key of queue) {
        const [tbl, rowId] = key.split('\u0000') as [string, string];
        const columns = this.mutations.columnsOf(tbl);
        if (!columns) continue; // a table this version does not know: the ops wait for an upgrade
        const pending = pendingOf.get(key) as LogRow[];
        // A purge marker is no field: removePurged() deals with it.
        const known = (field: string) => field !== PURGE_FIELD && (columns.has(field) || field === 'deleted_at');
        const heads = new Map<string, FieldHead>();
        for (const c of clocksOf.all(tbl, rowId) as { field: string; hlc: string; value: string | null; op_id: string | null; device_id: string | null; user_id: string | null }[]) {
          heads.set(c.field, { value: c.value, hlc: c.hlc, opId: c.op_id ?? '', deviceId: c.device_id ?? '', userId: c.user_id ?? '' });
        }
        const winners = new Map<string, LogRow>();
        let unknownField = false;
        for (const op of pending) {
          if (!known(op.field)) {
            unknownField = true; // a field this version does not know: waits for an upgrade
            continue;
          }
          const best = winners.get(op.field);
          const head = best ? { value: best.value, hlc: best.hlc, opId: best.op_id, deviceId: best.device_id, userId: best.user_id } : heads.get(op.field);
          // The fields the merge reads, named one by one: spreading the log row here (rows of two shapes, the
          // page's and the log's) took a quarter of a fresh laptop's first pull.
          if (mergeField(head, { opId: op.op_id, value: op.value, hlc: op.hlc, base: op.base, deviceId: op.device_id, userId: op.user_id }).apply) winners.set(op.field, op);
        }
        const fields = [...winners.values()].map((op) => [op.field, op.value === null ? null : (JSON.parse(op.value) as SqlValue)] as [string, SqlValue]);
        // The row's first op: in the log, or the earliest pending one (the page's are not logged yet).
        const logFirst = firstOf.get(tbl, rowId) as { hlc: string; device_id: string } | undefined;
        const first = logFirst && logFirst.hlc < (pending[0] as LogRow).hlc ? logFirst : (pending[0] as LogRow);
        const written = tx.writeRemote(tbl, rowId, fields, { createdAt: hlcTime(first.hlc), originDevice: first.device_id });
        if (!written) {
          retry.push(key);
          continue;
        }
        for (const op of winners.values()) setClock.run(tbl, rowId, op.field, op.hlc);
        for (const op of pending) if (isFresh.has(op) && known(op.field)) applied.add(op);
        if (!logged.has(key)) continue;
        if (!unknownField) allDone.run(tbl, rowId);
        else for (const field of new Set(pending.map((p) => p.field))) if (known(field)) done.run(tbl, rowId, field);
      }
      if (retry.length === queue.length) break; // nothing moved: the rest waits for more ops
      queue = retry;
    }
    return applied;
  }

  /**
   * Removes the records the service purged (deleted, and passed by every device: the markers pulled with the
   * log): the row, its log entries and clocks. This device's unsent and refused entries stay (an unsent edit
   * of a purged record will be refused and shown). A row other rows still refer to waits, marker and all, and
   * is tried again with every page.
   */
  private removePurged(): Set<string> {
    const markers = this.sqlite.prepare('SELECT DISTINCT tbl, row_id FROM change_log WHERE field = ? AND applied = 0').all(PURGE_FIELD) as { tbl: string; row_id: string }[];
    /** The bytes of purged file descriptions (an administrator's laptop gets those markers too). */
    const hashes = new Set<string>();
    for (let round = 0, left = markers; left.length > 0 && round < 20; round++) {
      const waiting: typeof markers = [];
      for (const m of left) {
        const known = this.mutations.columnsOf(m.tbl) !== undefined;
        try {
          this.sqlite.transaction(() => {
            const file = m.tbl === 'attachments' ? (this.sqlite.prepare('SELECT sha256 FROM attachments WHERE id = ?').get(m.row_id) as { sha256: string } | undefined) : undefined;
            if (known) this.sqlite.prepare(`DELETE FROM "${m.tbl}" WHERE id = ?`).run(m.row_id);
            if (file) hashes.add(file.sha256);
            this.sqlite
              .prepare('DELETE FROM change_log WHERE tbl = ? AND row_id = ? AND rejected_reason IS NULL AND NOT (server_seq IS NULL AND device_id = ?)')
              .run(m.tbl, m.row_id, this.deviceId);
            this.sqlite.prepare('DELETE FROM field_clocks WHERE tbl = ? AND row_id = ?').run(m.tbl, m.row_id);
            this.sqlite.prepare('DELETE FROM sync_conflicts WHERE tbl = ? AND row_id = ?').run(m.tbl, m.row_id);
          })();
        } catch (err) {
          // Still referred to by a row here (a child arrived that the service purges later): wait.
          if (err instanceof Error && /FOREIGN KEY constraint failed/.test(err.message)) waiting.push(m);
          else throw err;
        }
      }
      if (waiting.length === left.length) break;
      left = waiting;
    }
    return hashes;
  }

  /** After the commit that removed their descriptions: deletes the files nothing here describes or names any more. */
  private removeUnnamedFiles(hashes: ReadonlySet<string>): void {
    if (hashes.size === 0) return;
    const named = this.sqlite.prepare(HASH_REFERENCES.map((r) => `SELECT 1 FROM "${r.tbl}" WHERE "${r.column}" = @sha`).join(' UNION ALL '));
    const forget = this.sqlite.prepare('DELETE FROM blob_uploads WHERE sha256 = ?');
    for (const sha of hashes) {
      if (named.get({ sha }) !== undefined) continue;
      forget.run(sha);
      this.files?.remove(sha);
    }
  }

  /** Conflicts for the people to resolve (open first); `resolved` once settled here or on the server. */
  conflicts(): ConflictView[] {
    return (
      this.sqlite.prepare('SELECT * FROM sync_conflicts ORDER BY (resolved_seq IS NOT NULL OR resolved_op_id IS NOT NULL), seq').all() as {
        id: string;
        tbl: string;
        row_id: string;
        field: string;
        kept: string;
        other: string;
        resolved_seq: number | null;
        resolved_op_id: string | null;
      }[]
    ).map((c) => ({
      id: c.id,
      tbl: c.tbl,
      rowId: c.row_id,
      field: c.field,
      kept: JSON.parse(c.kept) as ConflictRecord['kept'],
      other: JSON.parse(c.other) as ConflictRecord['other'],
      resolved: c.resolved_seq !== null || c.resolved_op_id !== null,
      settled: c.resolved_seq !== null,
    }));
  }

  /**
   * Resolves a conflict with a new op that has seen the current value: keep the value the merge kept, take
   * the other one, or a merged text. The server settles the conflict when that op arrives.
   */
  resolve(conflictId: string, choice: 'kept' | 'other' | 'merged', merged?: string): void {
    const c = this.conflicts().find((x) => x.id === conflictId);
    if (!c) throw notFound('sync_conflicts');
    if (c.resolved) throw new AppError({ code: 'conflict', messageKey: 'errors.sync.alreadyResolved' });
    const json = choice === 'kept' ? c.kept.value : choice === 'other' ? c.other.value : JSON.stringify(merged ?? '');
    const value = json === null ? null : (JSON.parse(json) as SqlValue);
    this.mutations.transaction((tx) => {
      const opId = tx.setField(c.tbl, c.rowId, c.field, value);
      this.sqlite.prepare('UPDATE sync_conflicts SET resolved_op_id = ? WHERE id = ?').run(opId, conflictId);
    });
  }

  /**
   * Finds rows altered behind the app's back (an edited database file, a restored copy): every synced field
   * must hold the value of the change-log entry its clock points at, and every row must have a log. With
   * `repair`, fields are put back to their logged values (the log is what the server and colleagues have);
   * rows with no log at all are only reported.
   */
  checkIntegrity(repair = false): { altered: { tbl: string; rowId: string; field: string }[]; unlogged: { tbl: string; rowId: string }[]; repaired: number } {
    const altered: { tbl: string; rowId: string; field: string }[] = [];
    const unlogged: { tbl: string; rowId: string }[] = [];
    const fixes: { tbl: string; rowId: string; field: string; value: SqlValue }[] = [];
    for (const tbl of this.mutations.tableNames()) {
      const columns = this.mutations.columnsOf(tbl) as Set<string>;
      const heads = this.sqlite
        .prepare(
          `SELECT c.row_id, c.field, l.value FROM field_clocks c JOIN change_log l ON l.tbl = c.tbl AND l.row_id = c.row_id AND l.field = c.field AND l.hlc = c.hlc WHERE c.tbl = ?`,
        )
        .all(tbl) as { row_id: string; field: string; value: string | null }[];
      const byRow = new Map<string, Map<string, SqlValue>>();
      for (const h of heads) {
        if (!columns.has(h.field) && h.field !== 'deleted_at') continue;
        const m = byRow.get(h.row_id) ?? new Map<string, SqlValue>();
        m.set(h.field, h.value === null ? null : (JSON.parse(h.value) as SqlValue));
        byRow.set(h.row_id, m);
      }
      for (const row of this.sqlite.prepare(`SELECT * FROM "${tbl}"`).iterate() as IterableIterator<Record<string, unknown>>) {
        const id = row.id as string;
        const logged = byRow.get(id);
        if (!logged) {
          unlogged.push({ tbl, rowId: id });
          continue;
        }
        for (const [field, value] of logged) {
          const stored = row[field];
          const same = stored === value || ((typeof stored === 'string' || typeof stored === 'number') && value !== null && String(stored) === String(value));
          if (!same) {
            altered.push({ tbl, rowId: id, field });
            fixes.push({ tbl, rowId: id, field, value });
          }
        }
      }
    }
    if (repair && fixes.length) {
      this.sqlite.transaction(() => {
        for (const f of fixes) this.sqlite.prepare(`UPDATE "${f.tbl}" SET "${f.field}" = ? WHERE id = ?`).run(f.value, f.rowId);
      })();
    }
    if (altered.length || unlogged.length) this.logger.warn({ altered: altered.length, unlogged: unlogged.length, repaired: repair ? fixes.length : 0 }, 'local data differs from the change log');
    return { altered, unlogged, repaired: repair ? fixes.length : 0 };
  }

  /** Says what a record is for people: its company, a link to open it, and the assessment item for an answer. */
  describe(tbl: string, rowId: string): RecordLabel {
    if (tbl === 'assessment_answers') {
      const r = this.sqlite
        .prepare('SELECT o.name AS company, a.id AS assessment, x.item_id AS item FROM assessment_answers x JOIN assessments a ON a.id = x.assessment_id JOIN organizations o ON o.id = a.org_id WHERE x.id = ?')
        .get(rowId) as { company: string; assessment: string; item: string } | undefined;
      if (r) return { companyName: r.company, link: `/assessments/${r.assessment}`, itemId: r.item };
    }
    const org = this.organisationOf(tbl, rowId);
    if (!org) return { companyName: null, link: null, itemId: null };
    return { companyName: org.name, link: `/${org.kind === 'company' ? 'companies' : 'suppliers'}/${org.id}`, itemId: null };
  }

  /** The organisation a record belongs to on this laptop: itself, its org field, or its parent's (SYNC_POLICY). */
  private organisationOf(tbl: string, rowId: string, depth = 0): { id: string; name: string; kind: string } | null {
    if (tbl === 'organizations') return (this.sqlite.prepare('SELECT id, name, kind FROM organizations WHERE id = ?').get(rowId) as { id: string; name: string; kind: string } | undefined) ?? null;
    const scope = Object.hasOwn(SYNC_POLICY, tbl) ? SYNC_POLICY[tbl]?.scope : undefined;
    const field = scopeField(tbl);
    if (!scope || !field || depth > 5 || !this.mutations.columnsOf(tbl)?.has(field)) return null;
    const target = (this.sqlite.prepare(`SELECT "${field}" AS v FROM "${tbl}" WHERE id = ?`).get(rowId) as { v: string | null } | undefined)?.v;
    if (!target) return null;
    return scope.kind === 'parent' ? this.organisationOf(scope.parent, target, depth + 1) : this.organisationOf('organizations', target, depth + 1);
  }

  /** Ops the server refused, with the reason and the record's company, newest first. */
  rejected(): ({ opId: string; tbl: string; rowId: string; field: string; value: string | null; reason: string; messageKey: string; at: string } & RecordLabel)[] {
    return (
      this.sqlite
        .prepare('SELECT op_id, tbl, row_id, field, value, rejected_reason, rejected_key, rejected_label, hlc FROM change_log WHERE rejected_reason IS NOT NULL AND device_id = ? ORDER BY seq DESC')
        .all(this.deviceId) as { op_id: string; tbl: string; row_id: string; field: string; value: string | null; rejected_reason: string; rejected_key: string; rejected_label: string | null; hlc: string }[]
    ).map((r) => {
      const label = this.describe(r.tbl, r.row_id);
      return {
        opId: r.op_id,
        tbl: r.tbl,
        rowId: r.row_id,
        field: r.field,
        value: r.value,
        reason: r.rejected_reason,
        messageKey: r.rejected_key,
        at: hlcTime(r.hlc),
        ...label,
        // The company may have left this laptop since (a scope change): its name as it was when refused.
        companyName: label.companyName ?? r.rejected_label,
      };
    });
  }

  /**
   * The next batch in log order, under the protocol's limits. A record's ops at the end of a batch are not
   * split from the rest of that record's run (a new record's scope field must reach the service with it).
   * With `held` (some bytes could not go), signatures wait (their photos are not all on the service yet), and
   * so do the records awaiting those bytes (recordsAwaitingBytes).
   */
  private nextBatch(after: number, held: ReadonlyMap<string, ReadonlySet<string>> | null = null): LogRow[] {
    // Read as arrays and named here: better-sqlite3 builds a row object column by column, which took twice as
    // long as the query itself (half of what the laptop spends on a large push).
    const raw = this.sqlite
      .prepare('SELECT seq, op_id, tbl, row_id, field, value, hlc, device_id, user_id, base, seen_seq FROM change_log WHERE server_seq IS NULL AND rejected_reason IS NULL AND device_id = ? AND seq > ? ORDER BY seq LIMIT ?')
      .raw(true)
      .all(this.deviceId, after, MAX_PUSH_OPS + 1) as [number, string, string, string, string, string | null, string, string, string, string | null, number | null][];
    const rows = raw
      .map(([seq, op_id, tbl, row_id, field, value, hlc, device_id, user_id, base, seen_seq]): LogRow => ({ seq, op_id, tbl, row_id, field, value, hlc, device_id, user_id, base, seen_seq }))
      .filter((r) => !(held && ((SIGNED_RECORDS[r.tbl]?.lockField === r.field && r.value !== null) || held.get(r.tbl)?.has(r.row_id) === true)));
    // Keep the request under the size limit (a long text or a drawn signature can be large).
    let bytes = 0;
    let out: LogRow[] = [];
    for (const r of rows) {
      bytes += 200 + (r.value?.length ?? 0);
      if (out.length > 0 && (bytes > MAX_PUSH_BYTES || out.length >= MAX_PUSH_OPS)) break;
      out.push(r);
    }
    const next = rows[out.length];
    const last = out[out.length - 1];
    if (next && last && next.tbl === last.tbl && next.row_id === last.row_id) {
      // Cut before the trailing run of this record, unless it is all the batch holds.
      let start = out.length - 1;
      while (start > 0 && out[start - 1]?.tbl === last.tbl && out[start - 1]?.row_id === last.row_id) start--;
      if (start > 0) out = out.slice(0, start);
    }
    return out;
  }

  /**
   * Records whose bytes this laptop has not got onto the service (an upload failed this round): the files'
   * descriptions and the certificates naming them, the records showing those files, and the children of all
   * of these. They wait for their bytes: sent first, a record naming bytes another account sent would be
   * refused (this laptop's proof of holding them had not gone), and colleagues would get a photo without its
   * file. Ids per table.
   */
  private recordsAwaitingBytes(): Map<string, Set<string>> {
    const held = new Map<string, Set<string>>();
    const unsent = this.blobsToSend();
    if (unsent.length === 0) return held;
    const idsOf = (tbl: string) => [...(held.get(tbl) ?? [])];
    /** Holds the records of `tbl` whose `column` is one of `values`; how many were new. */
    const hold = (tbl: string, column: string, values: readonly string[]): number => {
      if (values.length === 0) return 0;
      const ids = held.get(tbl) ?? new Set<string>();
      const before = ids.size;
      const rows = this.sqlite.prepare(`SELECT id FROM "${tbl}" WHERE "${column}" IN (SELECT value FROM json_each(?))`).all(JSON.stringify(values)) as { id: string }[];
      for (const r of rows) ids.add(r.id);
      if (ids.size > 0) held.set(tbl, ids);
      return ids.size - before;
    };
    for (const ref of HASH_REFERENCES) hold(ref.tbl, ref.column, unsent);
    const files = idsOf('attachments');
    for (const ref of ATTACHMENT_REFERENCES) hold(ref.tbl, ref.column, files);
    // Their children, which the service would refuse without their parent: until no more are found.
    for (let grew = true; grew; ) {
      grew = false;
      for (const [tbl, { scope }] of Object.entries(SYNC_POLICY)) {
        if (scope.kind === 'parent' && hold(tbl, scope.field, idsOf(scope.parent)) > 0) grew = true;
      }
    }
    return held;
  }

  private toOp(r: LogRow): ChangeOp {
    return { opId: r.op_id, tbl: r.tbl, rowId: r.row_id, field: r.field, value: r.value, hlc: r.hlc, deviceId: r.device_id, userId: r.user_id, base: r.base, seenSeq: r.seen_seq ?? null };
  }

  private cursor(): number {
    return Number(this.meta(CURSOR_KEY) ?? 0);
  }

  private meta(key: string): string | undefined {
    return (this.sqlite.prepare('SELECT value FROM meta WHERE key = ?').get(key) as { value: string } | undefined)?.value;
  }

  private setMeta(key: string, value: string): void {
    this.sqlite.prepare('INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(key, value);
  }
}
