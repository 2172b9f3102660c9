/**
 * The server side of sync (issue 6; protocol in shared/sync/protocol.ts). Push stores each op once, checks it
 * per record and per field (./authorize.ts, ./locks.ts), merges it into the field's head with the shared
 * merge (shared/sync/merge.ts) and stamps it with the server sequence; pull pages through that sequence and
 * returns only what the caller may read.
 *
 * Pushes are serialised by a transaction-scoped advisory lock (on embedded PGlite by its one connection, which
 * runs one transaction at a time): sequence numbers are then handed out in commit order, so a reader that has
 * seen seq n has seen everything up to n (with concurrent writers a later seq can commit first and a cursor
 * would skip the earlier one for ever), and merges of one field never race.
 */
import { and, asc, desc, eq, gt, inArray, isNull, lte, ne, or, sql, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { uuidv7 } from 'uuidv7';
import { deleteRace, mergeField, TOMBSTONE_FIELD, unseen, type FieldHead } from '#shared/sync/merge';
import { parseHlc } from '#shared/sync/hlc';
import type { ChangeOp, ConflictRecord, PushChain, PushResponse, ServerOp } from '#shared/sync/protocol';
import { ATTACHMENT_REFERENCES, HASH_REFERENCES, scopeField } from '#shared/sync/scope';
import type { Principal } from '../auth/service.ts';
import { provenHolder } from '../blobs.ts';
import type { Db } from '../db/index.ts';
import { apiError } from '../errors.ts';
import { blobs, devices, syncConflicts, syncFields, syncOps, syncRecords, users } from '../db/schema.ts';
import { canAccessOrg, canRead, canWrite, canWriteField, isWriter, parseJsonString, parseKind, policyOf, type Actor, type OrgFacts, type RecordFacts } from './authorize.ts';
import { isLockValue, LOCK_FIELD_NAMES, LOCK_FIELDS, LOCKED_WITH_PARENT } from './locks.ts';
import { checkSignature, isSignedLock } from './signing.ts';
import { anyOf, rowTuples, textValues } from './sql.ts';

type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];
type Q = Db | Tx;

/** The rows of a raw statement (both drivers answer with `rows`). */
async function rawRows<T>(q: Q, query: SQL): Promise<T[]> {
  const result: unknown = await q.execute(query);
  return (result as { rows: T[] }).rows;
}
/**
 * Row sets from one statement, each as objects fetched as one JSON text: decoding every column of thousands of
 * rows in the driver cost more than the queries themselves on embedded PGlite. Column aliases name the keys.
 * Lookups that do not depend on each other go together (each round trip waits for the service's thread). Each
 * set is a `with` query of its own, so one may change rows (`update … returning`); a set left undefined is empty.
 */
async function jsonSets<T extends Record<string, unknown>>(q: Q, sets: { [K in keyof T]: SQL | undefined }): Promise<{ [K in keyof T]: T[K][] }> {
  const names = (Object.keys(sets) as (keyof T & string)[]).filter((n) => sets[n] !== undefined);
  const [r] = await rawRows<Record<string, string | null>>(
    q,
    sql`with ${sql.join(
      names.map((n) => sql`${sql.identifier(n)} as (${sets[n]})`),
      sql`, `,
    )} select ${sql.join(
      names.map((n) => sql`(select json_agg(${sql.identifier(n)})::text from ${sql.identifier(n)}) as ${sql.identifier(n)}`),
      sql`, `,
    )}`,
  );
  return Object.fromEntries(Object.keys(sets).map((n) => [n, r?.[n] ? JSON.parse(r[n]) : []])) as { [K in keyof T]: T[K][] };
}
/** The rows of `query` as objects (jsonSets of one set). */
async function jsonRows<T>(q: Q, query: SQL): Promise<T[]> {
  return (await jsonSets<{ rows: T }>(q, { rows: query })).rows;
}
type PushResult = PushResponse['results'][number];
type RejectReason = Extract<PushResult, { status: 'rejected' }>['reason'];

/**
 * Key of pg_advisory_xact_lock that serialises pushes ("DXM sync"). Every writer of the log holds it (push, purge;
 * a push on PGlite needs not: SyncServiceOptions.serialised): a push draws its batch's sequence numbers as one block.
 */
export const PUSH_LOCK = 0x44584d53;
/** Clock skew beyond which a pushed op's clock is logged (never refused). */
export const DRIFT_LOG_MS = 5 * 60_000;
/** Fields whose values name a blob or an attachment (indexed: sync_fields_blob_refs), and their longest JSON text. */
const BLOB_REF_FIELDS: ReadonlySet<string> = new Set([...ATTACHMENT_REFERENCES, ...HASH_REFERENCES].map((r) => r.column));
const MAX_REF_LENGTH = 130;
type FieldRef = { tbl: string; column: string };
const fieldSet = (refs: readonly FieldRef[]): ReadonlySet<string> => new Set(refs.map((r) => `${r.tbl}\u0000${r.column}`));
/** The fields that show a file (ATTACHMENT_REFERENCES) and those that name bytes, as `tbl\u0000column`. */
const SHOWS_FILE = fieldSet(ATTACHMENT_REFERENCES);
const NAMES_BLOB = fieldSet(HASH_REFERENCES);
/** A record read through the records that refer to it (attachment metadata). */
const isReferenced = (tbl: string): boolean => policyOf(tbl)?.scope.kind === 'referenced';
/**
 * A code constant (a field name) as an SQL literal, not a parameter: the planner then proves the partial
 * index sync_fields_blob_refs applies. Never for input.
 */
export const literal = (name: string): SQL => sql.raw(`'${name.replace(/'/g, "''")}'`);
/** The string values (ids, hashes) these ops (or heads) set in one of `fields`, each once. */
function valuesIn(ops: readonly { tbl: string; field: string; value: string | null }[], fields: ReadonlySet<string>): string[] {
  const values = new Set<string>();
  for (const o of ops) {
    const v = fields.has(`${o.tbl}\u0000${o.field}`) ? parseJsonString(o.value) : null;
    if (v) values.add(v);
  }
  return [...values];
}
/** The attachment ids these ops (or heads) set in a field that shows a file. */
export const filesShown = (ops: readonly { tbl: string; field: string; value: string | null }[]): string[] => valuesIn(ops, SHOWS_FILE);
/**
 * `select tbl, row_id, value` of the field heads of `fields` whose value is among `values` (JSON texts: a
 * subquery, or one parameter in parentheses): one index lookup per field (sync_fields_blob_refs).
 */
export const fieldsHolding = (fields: readonly FieldRef[], values: SQL): SQL =>
  sql.join(
    fields.map((r) => sql`select f.tbl, f.row_id, f.value from ${syncFields} f where f.field = ${literal(r.column)} and f.tbl = ${r.tbl} and f.value in ${values}`),
    sql` union all `,
  );
/** A non-administrator's pull looks this many pages of the log ahead for ops it may read. */
export const PULL_WINDOW_PAGES = 20;

export interface DriftLogger {
  warn(obj: Record<string, unknown>, msg: string): void;
}

/** The sequence behind `sync_ops.seq` (a bigserial: PostgreSQL names it after the table and column). */
const SYNC_OPS_SEQUENCE = 'sync_ops_seq_seq';

const key = (tbl: string, rowId: string) => `${tbl}\u0000${rowId}`;
/** A field's key from its record's key (`key`). */
const fieldOf = (recordKey: string, field: string) => `${recordKey}\u0000${field}`;
const fieldKey = (tbl: string, rowId: string, field: string) => fieldOf(key(tbl, rowId), field);

/**
 * The records a push's decisions read: those its ops change, the parent or organisation a new record would
 * belong to, and the files its ops would show (who described them decides whether the caller may show them).
 * Taken from every op of the batch, before it is known which are stored already: a few more at most.
 */
function recordsToRead(ops: readonly ChangeOp[]): { tbl: string; rowId: string }[] {
  const wanted = new Map<string, { tbl: string; rowId: string }>();
  const want = (tbl: string, rowId: string) => {
    const k = key(tbl, rowId);
    if (!wanted.has(k)) wanted.set(k, { tbl, rowId });
  };
  for (const op of ops) {
    const scope = policyOf(op.tbl)?.scope;
    if (!scope) continue;
    want(op.tbl, op.rowId);
    const target = op.field === scopeField(op.tbl) ? parseJsonString(op.value) : null;
    if (target && scope.kind === 'parent') want(scope.parent, target);
    if (target && scope.kind === 'org') want('organizations', target);
  }
  for (const id of filesShown(ops)) want('attachments', id);
  return [...wanted.values()];
}

/**
 * The store statement's columns for `batch`: one JSON array of text per column, in batch order (textValues).
 * The ops of a batch come from one device: its id and user go once (`device`, `user`), and the per-op columns
 * name another only where an op's differs (null elsewhere).
 */
function storeColumns(batch: readonly ChangeOp[]): { device: string; user: string; values: SQL[] } {
  const device = batch[0]?.deviceId ?? '';
  const user = batch[0]?.userId ?? '';
  const of = (get: (op: ChangeOp) => string | null) => textValues(batch.map(get));
  return {
    device,
    user,
    values: [
      of((o) => o.opId),
      of((o) => o.tbl),
      of((o) => o.rowId),
      of((o) => o.field),
      of((o) => o.value),
      of((o) => o.hlc),
      of((o) => o.base),
      of((o) => (o.deviceId === device ? null : o.deviceId)),
      of((o) => (o.userId === user ? null : o.userId)),
    ],
  };
}

/**
 * A push's ops with what follows from them alone, worked out before the push has its turn at the database: each
 * op's record key, the lookups of the statement that reads what the decisions need, the store statement's
 * columns for the usual case of every op accepted, and how far the ops' clocks are from the service's. The
 * route makes it (SyncService.prepare) while the caller's token waits behind the push before, when this thread
 * has time; made inside the transaction, all of it was time the database waited for this thread.
 */
export class PushBatch {
  /** Each op's record key (`key`): built anew for every lookup, keys were much of the time a batch took to decide. */
  readonly recordKeys: string[];
  /** The ops already stored (`op_id = any(…)`) and the records the decisions read (recordsToRead), as conditions. */
  readonly storedLookup: SQL;
  readonly knownLookup: SQL;
  /** storeColumns of the whole batch. */
  readonly columns: ReturnType<typeof storeColumns>;
  /** Ops whose clock is more than DRIFT_LOG_MS from the service's, the farthest of them, and ops not after their base. */
  readonly drift: { count: number; worstMs: number; behindBase: number };

  constructor(
    readonly ops: ChangeOp[],
    now: number,
  ) {
    this.recordKeys = ops.map((op) => key(op.tbl, op.rowId));
    this.storedLookup = anyOf(syncOps.opId, [...new Set(ops.map((o) => o.opId))]);
    this.knownLookup = rowTuples(syncRecords.tbl, syncRecords.rowId, recordsToRead(ops));
    this.columns = storeColumns(ops);
    let count = 0;
    let worstMs = 0;
    let behindBase = 0;
    for (const op of ops) {
      const skew = parseHlc(op.hlc).millis - now;
      if (Math.abs(skew) > DRIFT_LOG_MS) {
        count++;
        if (Math.abs(skew) > Math.abs(worstMs)) worstMs = skew;
      }
      if (op.base !== null && op.hlc <= op.base) behindBase++;
    }
    this.drift = { count, worstMs, behindBase };
  }
}
interface RecordRow {
  tbl: string;
  rowId: string;
  orgId: string | null;
  parentRowId: string | null;
  ownerAccount: string;
  /** Set once the record was deleted and purged (only on records read from the database). */
  purgedSeq?: number | null;
}

type Refusal = { ok: false; reason: RejectReason; messageKey: string };
type RowDecision = { ok: true; record: RecordRow; isNew: boolean } | Refusal;

const reject = (reason: RejectReason, messageKey: string): Refusal => ({ ok: false, reason, messageKey });
const isPurged = (r: RecordRow | undefined): boolean => r?.purgedSeq !== null && r?.purgedSeq !== undefined;
const FILE_FORBIDDEN = reject('forbidden', 'errors.sync.fileForbidden');
const MESSAGE: Record<RejectReason, string> = {
  forbidden: 'errors.sync.forbidden',
  forbiddenField: 'errors.sync.forbiddenField',
  locked: 'errors.sync.locked',
  invalid: 'errors.sync.invalid',
  unknownTable: 'errors.sync.unknownTable',
  signMismatch: 'errors.sync.signMismatch',
  purged: 'errors.sync.purged',
};

export interface SyncServiceOptions {
  /**
   * The database runs one transaction at a time (embedded PGlite: one connection, each transaction waiting for
   * the one before it). Pushes are then serialised already, and the push lock would only cost a round trip.
   */
  serialised?: boolean;
}

export class SyncService {
  constructor(
    private readonly db: Db,
    private readonly now: () => Date,
    private readonly options: SyncServiceOptions = {},
  ) {}

  /** The caller as authorisation sees it: role, region and the companies assigned to their pairs. */
  async loadActor(q: Q, principal: Principal): Promise<Actor> {
    const assignedOrgs = new Set<string>();
    // Only a mentor's scope depends on more than the token: the pairs of the desktop mentor the account is.
    const [user] = principal.role === 'mentor' ? await q.select({ mentorId: users.mentorId }).from(users).where(eq(users.id, principal.userId)) : [];
    if (user?.mentorId) {
      // Two steps, the mentor's pairs then their assignments: as one join the planner matched every
      // assignment against every pair (a cost that grows with both, paid on every push and pull).
      const pair = alias(syncFields, 'pair');
      const pairDeleted = alias(syncFields, 'pair_deleted');
      const pairs = await q
        .select({ rowId: pair.rowId })
        .from(pair)
        .leftJoin(pairDeleted, and(eq(pairDeleted.tbl, 'mentor_pairs'), eq(pairDeleted.rowId, pair.rowId), eq(pairDeleted.field, 'deleted_at')))
        .where(
          and(
            // Field names as literals: the planner then uses the index on these fields' values (sync_fields_pair_refs).
            sql`${pair.field} in (${literal('process_mentor_id')}, ${literal('ai_mentor_id')})`,
            eq(pair.value, JSON.stringify(user.mentorId)),
            eq(pair.tbl, 'mentor_pairs'),
            or(isNull(pairDeleted.value), eq(pairDeleted.value, 'null')),
          ),
        );
      if (pairs.length > 0) {
        const asg = alias(syncFields, 'asg');
        const asgDeleted = alias(syncFields, 'asg_deleted');
        const rows = await q
          .select({ orgId: syncRecords.orgId })
          .from(asg)
          .leftJoin(asgDeleted, and(eq(asgDeleted.tbl, 'pair_assignments'), eq(asgDeleted.rowId, asg.rowId), eq(asgDeleted.field, 'deleted_at')))
          .innerJoin(syncRecords, and(eq(syncRecords.tbl, 'pair_assignments'), eq(syncRecords.rowId, asg.rowId)))
          .where(
            and(
              eq(asg.tbl, 'pair_assignments'),
              sql`${asg.field} = ${literal('pair_id')}`,
              // The values as one array parameter: the planner sees them and uses the index (from a subquery it
              // read every assignment's pair).
              sql`${asg.value} = any(${sql.param([...new Set(pairs.map((p) => JSON.stringify(p.rowId)))])}::text[])`,
              or(isNull(asgDeleted.value), eq(asgDeleted.value, 'null')),
            ),
          );
        for (const r of rows) if (r.orgId) assignedOrgs.add(r.orgId);
      }
    }
    return { accountId: principal.userId, role: principal.role, region: principal.region, assignedOrgs };
  }

  /** Kind, region, creator and assignment of organisations (one query). */
  async loadOrgFacts(q: Q, orgIds: Iterable<string>): Promise<Map<string, OrgFacts>> {
    const ids = [...new Set(orgIds)];
    const facts = new Map<string, OrgFacts>();
    if (ids.length === 0) return facts;
    // Three index lookups rather than one join (without statistics, as on PGlite which has no autovacuum, the
    // planner joined every organisation's kind and region against each requested one), in one statement.
    const { records, fields, assigned } = await jsonSets<{ records: { id: string; createdBy: string }; fields: { id: string; field: string; value: string | null }; assigned: { orgId: string } }>(q, {
      records: sql`select row_id as id, created_by_account as "createdBy" from ${syncRecords} where tbl = ${'organizations'} and ${anyOf(syncRecords.rowId, ids)}`,
      fields: sql`select row_id as id, field, value from ${syncFields} where tbl = ${'organizations'} and ${anyOf(syncFields.rowId, ids)} and field in (${'kind'}, ${'region'})`,
      assigned: sql`select distinct r.org_id as "orgId" from ${syncRecords} r
                    left join ${syncFields} d on d.tbl = r.tbl and d.row_id = r.row_id and d.field = ${'deleted_at'}
                    where r.tbl = ${'pair_assignments'} and ${anyOf(sql`r.org_id`, ids)} and (d.value is null or d.value = ${'null'})`,
    });
    const assignedSet = new Set(assigned.map((a) => a.orgId));
    const value = new Map(fields.map((f) => [`${f.id}\u0000${f.field}`, f.value]));
    for (const r of records) {
      facts.set(r.id, { kind: parseKind(value.get(`${r.id}\u0000kind`)), region: parseJsonString(value.get(`${r.id}\u0000region`)), createdBy: r.createdBy, assigned: assignedSet.has(r.id) });
    }
    return facts;
  }

  /** The batch `ops` with what follows from them alone (PushBatch), for push. */
  prepare(ops: ChangeOp[]): PushBatch {
    return new PushBatch(ops, this.now().getTime());
  }

  /**
   * Stores, authorises and merges one batch in one transaction; the answer (per op, in order) is returned
   * only after the commit, so an op reported accepted is durable.
   */
  async push(principal: Principal, batch: PushBatch, log?: DriftLogger, chain?: PushChain): Promise<PushResponse> {
    this.logDrift(principal, batch, log);
    const results = await this.db.transaction(async (tx) => {
      if (!this.options.serialised) await tx.execute(sql`select pg_advisory_xact_lock(${PUSH_LOCK})`);
      return this.pushInTransaction(tx, principal, batch, chain);
    });
    return { results };
  }

  private logDrift(principal: Principal, batch: PushBatch, log?: DriftLogger): void {
    if (!log) return;
    const { count, worstMs, behindBase } = batch.drift;
    // Logged, never refused: a laptop whose clock is off must still sync (the HLC keeps its own order).
    if (count > 0) log.warn({ skewMs: worstMs, ops: count, deviceId: principal.deviceId, userId: principal.userId }, 'sync: op clocks far from server time');
    // A client whose clock did not move past what it had seen: its edit sorts before the value it replaced and
    // loses to it without a conflict (the merge sees a sequential edit). A client bug, made visible here.
    if (behindBase > 0) log.warn({ ops: behindBase, deviceId: principal.deviceId, userId: principal.userId }, 'sync: op clocks not after their base');
  }

  private async pushInTransaction(tx: Tx, principal: Principal, batch: PushBatch, chain?: PushChain): Promise<PushResult[]> {
    const { ops, recordKeys } = batch;
    // One statement (each round trip waits for the service's thread): the batch takes its place in its device's
    // chain, and the ops already stored and the records the decisions below read are fetched.
    const chained = chain && principal.deviceId !== null ? chain : null;
    const found = await jsonSets<{ moved: { id: string }; stored: { opId: string; seq: number }; known: RecordRow }>(tx, {
      // A batch sent before the answer to the one it follows: stored only after that one (protocol: pushChain).
      moved: chained
        ? sql`update ${devices} set last_push_batch = ${chained.batch} where id = ${principal.deviceId}${chained.after === null ? sql`` : sql` and last_push_batch = ${chained.after}`} returning id`
        : undefined,
      stored: sql`select op_id as "opId", seq from ${syncOps} where ${batch.storedLookup}`,
      known: sql`select tbl, row_id as "rowId", org_id as "orgId", parent_row_id as "parentRowId", owner_account as "ownerAccount", purged_seq as "purgedSeq"
                 from ${syncRecords} where ${batch.knownLookup}`,
    });
    if (chained && found.moved.length === 0) throw apiError(409, 'out_of_order', 'errors.sync.outOfOrder');
    const results: (PushResult | undefined)[] = ops.map(() => undefined);
    const stored = new Map(found.stored.map((r) => [r.opId, Number(r.seq)]));
    const known = new Map(found.known.map((r) => [key(r.tbl, r.rowId), r]));

    // Ops to decide, grouped per record in order of first appearance; an op id repeated in the batch is
    // answered like its first occurrence.
    const firstIndex = new Map<string, number>();
    const rows = new Map<string, { tbl: string; rowId: string; ops: number[] }>();
    ops.forEach((op, i) => {
      const s = stored.get(op.opId);
      if (s !== undefined) {
        results[i] = { opId: op.opId, status: 'accepted', seq: s, duplicate: true };
        return;
      }
      if (firstIndex.has(op.opId)) return;
      firstIndex.set(op.opId, i);
      const k = recordKeys[i] as string;
      let row = rows.get(k);
      if (!row) rows.set(k, (row = { tbl: op.tbl, rowId: op.rowId, ops: [] }));
      row.ops.push(i);
    });

    const actor = await this.loadActor(tx, principal);

    // The scope value each new record would get: the first op of its scope field in the batch.
    const scopeValue = (row: { tbl: string; rowId: string; ops: number[] }): string | null => {
      const policy = policyOf(row.tbl);
      if (!policy) return null;
      const field = policy.scope.kind === 'self' ? 'kind' : scopeField(row.tbl);
      if (!field) return null;
      const i = row.ops.find((j) => ops[j]?.field === field);
      return i === undefined ? null : (ops[i]?.value ?? null);
    };

    // Lock state before this batch: the lock field of each known row and of the parents of lockable children
    // (a record new in this batch has no state yet).
    const lockKeys = new Map<string, { tbl: string; rowId: string }>();
    for (const row of rows.values()) {
      const k = key(row.tbl, row.rowId);
      if (LOCK_FIELDS[row.tbl] && known.has(k)) lockKeys.set(k, row);
      const parentTbl = LOCKED_WITH_PARENT[row.tbl];
      if (parentTbl) {
        const parentId = known.get(k)?.parentRowId ?? parseJsonString(scopeValue(row));
        // A parent new in this batch has no lock state yet either.
        if (parentId && (known.has(key(parentTbl, parentId)) || !rows.has(key(parentTbl, parentId)))) lockKeys.set(key(parentTbl, parentId), { tbl: parentTbl, rowId: parentId });
      }
    }
    const locked = new Set<string>();
    if (lockKeys.size > 0) {
      const heads = await tx
        .select({ tbl: syncFields.tbl, rowId: syncFields.rowId, field: syncFields.field, value: syncFields.value })
        .from(syncFields)
        .where(and(inArray(syncFields.field, LOCK_FIELD_NAMES), rowTuples(syncFields.tbl, syncFields.rowId, [...lockKeys.values()])));
      for (const h of heads) if (LOCK_FIELDS[h.tbl] === h.field && isLockValue(h.value)) locked.add(key(h.tbl, h.rowId));
    }

    // An administrator writes everything: the facts decide nothing then (new organisations are added below).
    const orgFacts =
      actor.role === 'admin'
        ? new Map<string, OrgFacts>()
        : await this.loadOrgFacts(
            tx,
            [...known.values()].flatMap((r) => (r.orgId ? [r.orgId] : [])),
          );

    // Files already described that the caller writes or shows, and which of them it may read through a record
    // showing them (a record may show a file described in this batch, by the caller, or already readable).
    const filesToCheck = [...known.values()].filter((r) => isReferenced(r.tbl) && r.ownerAccount !== actor.accountId).map((r) => r.rowId);
    // The content hashes the batch names, and which of them the caller may name.
    const named = new Set(valuesIn([...rows.values()].flatMap((row) => row.ops.map((i) => ops[i] as ChangeOp)), NAMES_BLOB));
    const nameable = await this.nameableHashes(tx, actor, named);
    /**
     * Why this op may not stand: it shows a file or names bytes the caller may not read (that would make them
     * readable here), or it shows a file the service purged (no record showed it any more; its bytes may be gone).
     */
    const fileRefusal = (op: ChangeOp): Refusal | null => {
      const column = `${op.tbl}\u0000${op.field}`;
      const value = SHOWS_FILE.has(column) || NAMES_BLOB.has(column) ? parseJsonString(op.value) : null;
      if (value === null) return null;
      if (SHOWS_FILE.has(column)) {
        if (isPurged(known.get(key('attachments', value)))) return reject('purged', 'errors.sync.filePurged');
        return mayShow(value) ? null : FILE_FORBIDDEN;
      }
      return nameable.has(value) ? null : FILE_FORBIDDEN;
    };
    const readableFiles = await this.referencedReadable(tx, actor, filesToCheck);
    /** New descriptions of this batch refused below (their hash may not be named by the caller). */
    const refusedFiles = new Set<string>();
    const mayShow = (fileId: string): boolean => {
      if (refusedFiles.has(fileId)) return false;
      const file = known.get(key('attachments', fileId));
      return !file || file.ownerAccount === actor.accountId || readableFiles.has(fileId);
    };

    // Decide each record (a new child's parent first when the parent is new in this batch too).
    const decisions = new Map<string, RowDecision>();
    const deciding = new Set<string>();
    // A new record that would show a file or name bytes its author may not read is refused whole (a photo
    // without its file would be half a record); its children in the batch then have no parent.
    // Descriptions first: a record showing a refused one is refused too.
    const newRows = [...rows].filter(([k, row]) => !known.has(k) && policyOf(row.tbl)).sort(([, a], [, b]) => Number(b.tbl === 'attachments') - Number(a.tbl === 'attachments'));
    for (const [k, row] of newRows) {
      const refusal = row.ops.map((i) => fileRefusal(ops[i] as ChangeOp)).find((r) => r !== null);
      if (!refusal) continue;
      decisions.set(k, refusal);
      if (row.tbl === 'attachments') refusedFiles.add(row.rowId);
    }

    const decide = (k: string): RowDecision | undefined => {
      const done = decisions.get(k);
      if (done) return done;
      const row = rows.get(k);
      if (!row || deciding.has(k)) return undefined;
      deciding.add(k);
      const d = decideRow(row);
      decisions.set(k, d);
      return d;
    };
    const decideRow = (row: { tbl: string; rowId: string; ops: number[] }): RowDecision => {
      const policy = policyOf(row.tbl);
      if (!policy) return reject('unknownTable', MESSAGE.unknownTable);
      if (!isWriter(actor, row.tbl)) return reject('forbidden', MESSAGE.forbidden);
      const k = key(row.tbl, row.rowId);
      const existing = known.get(k);
      let record: RecordRow;
      if (existing) {
        // A deleted record every device had passed: an op for it would bring it back half-made.
        if (isPurged(existing)) return reject('purged', MESSAGE.purged);
        record = existing;
      } else {
        const target = scopeValue(row);
        if (policy.scope.kind === 'global' || policy.scope.kind === 'referenced') {
          record = { tbl: row.tbl, rowId: row.rowId, orgId: null, parentRowId: null, ownerAccount: actor.accountId };
        } else if (policy.scope.kind === 'self') {
          const kind = parseKind(target);
          if (!kind) return reject('invalid', 'errors.sync.missingKind');
          const regionOp = row.ops.filter((j) => ops[j]?.field === 'region').at(-1);
          orgFacts.set(row.rowId, { kind, region: parseJsonString(regionOp === undefined ? null : ops[regionOp]?.value), createdBy: actor.accountId, assigned: false });
          record = { tbl: row.tbl, rowId: row.rowId, orgId: row.rowId, parentRowId: null, ownerAccount: actor.accountId };
        } else {
          const targetId = parseJsonString(target);
          const parentTbl = policy.scope.kind === 'org' ? 'organizations' : policy.scope.parent;
          if (!targetId) return reject('invalid', 'errors.sync.unknownParent');
          const pk = key(parentTbl, targetId);
          let parent = known.get(pk);
          if (!parent) {
            const pd = decide(pk);
            if (pd?.ok) parent = pd.record;
          }
          if (!parent) return reject('invalid', 'errors.sync.unknownParent');
          if (isPurged(parent)) return reject('purged', MESSAGE.purged);
          record =
            policy.scope.kind === 'org'
              ? { tbl: row.tbl, rowId: row.rowId, orgId: targetId, parentRowId: null, ownerAccount: actor.accountId }
              : { tbl: row.tbl, rowId: row.rowId, orgId: parent.orgId, parentRowId: targetId, ownerAccount: parent.ownerAccount };
        }
      }
      const facts: RecordFacts = { tbl: record.tbl, rowId: record.rowId, orgId: record.orgId, ownerAccount: record.ownerAccount };
      // A file's description is created by whoever adds the file (the record showing it comes with it or
      // after it); once there, it is changed only by those who may read a record showing it.
      // Its author may change it too (the bytes it names are checked per op below).
      const describingOwnFile = policy.scope.kind === 'referenced' && (!existing || existing.ownerAccount === actor.accountId);
      if (!describingOwnFile && !canWrite(actor, facts, record.orgId ? orgFacts.get(record.orgId) : undefined, readableFiles.has(row.rowId))) return reject('forbidden', MESSAGE.forbidden);
      const parentTbl = LOCKED_WITH_PARENT[row.tbl];
      if (locked.has(k) || (parentTbl && record.parentRowId && locked.has(key(parentTbl, record.parentRowId)))) return reject('locked', MESSAGE.locked);
      return { ok: true, record, isNew: !existing };
    };

    // Per op: the record's decision, then the field's.
    const accepted: number[] = [];
    for (const [k, row] of rows) {
      const d = decide(k) ?? reject('invalid', 'errors.sync.unknownParent');
      const policy = policyOf(row.tbl);
      const fixedField = policy?.scope.kind === 'self' ? null : scopeField(row.tbl);
      const creatingScope = d.ok && d.isNew ? scopeValue(row) : null;
      for (const i of row.ops) {
        const op = ops[i] as ChangeOp;
        if (!d.ok) {
          results[i] = { opId: op.opId, status: 'rejected', reason: d.reason, messageKey: d.messageKey };
          continue;
        }
        if (fixedField && op.field === fixedField) {
          // The record's organisation (or parent) is fixed when it is created.
          const current = d.isNew ? creatingScope : JSON.stringify(d.record.parentRowId ?? d.record.orgId);
          if (parseJsonString(op.value) !== parseJsonString(current)) {
            results[i] = { opId: op.opId, status: 'rejected', reason: 'invalid', messageKey: 'errors.sync.scopeChange' };
            continue;
          }
        }
        if (policy?.scope.kind === 'self' && op.field === 'kind' && d.isNew && parseKind(op.value) !== parseKind(creatingScope) && actor.role !== 'admin') {
          results[i] = { opId: op.opId, status: 'rejected', reason: 'forbiddenField', messageKey: MESSAGE.forbiddenField };
          continue;
        }
        if (BLOB_REF_FIELDS.has(op.field) && op.value !== null && op.value.length > MAX_REF_LENGTH) {
          // Content hashes and attachment ids are indexed (who may download a blob): a long value is no hash.
          results[i] = { opId: op.opId, status: 'rejected', reason: 'invalid', messageKey: MESSAGE.invalid };
          continue;
        }
        const refusal = fileRefusal(op);
        if (refusal) {
          results[i] = { opId: op.opId, status: 'rejected', reason: refusal.reason, messageKey: refusal.messageKey };
          continue;
        }
        if (!canWriteField(actor, row.tbl, op.field, d.isNew)) {
          results[i] = { opId: op.opId, status: 'rejected', reason: 'forbiddenField', messageKey: MESSAGE.forbiddenField };
          continue;
        }
        accepted.push(i);
      }
    }
    // Signatures: accepted only if the content they claim is what this batch leaves here (and the photos are here).
    for (const i of [...accepted]) {
      const op = ops[i] as ChangeOp;
      if (!isSignedLock(op.tbl, op.field, op.value)) continue;
      const pending = accepted.filter((j) => j !== i && !isSignedLock((ops[j] as ChangeOp).tbl, (ops[j] as ChangeOp).field, (ops[j] as ChangeOp).value)).map((j) => ops[j] as ChangeOp);
      const check = await checkSignature(tx, op.tbl, op.rowId, pending);
      if (!check.ok) {
        results[i] = { opId: op.opId, status: 'rejected', reason: 'signMismatch', messageKey: check.messageKey };
        accepted.splice(accepted.indexOf(i), 1);
      }
    }
    // Repeated op ids inside the batch mirror their first occurrence (filled in at the end).
    if (accepted.length === 0) return this.finish(ops, results, firstIndex);
    accepted.sort((a, b) => a - b);
    const receivedAt = this.now();

    // Merge into the field heads, in batch order, with the shared merge. Nothing here needs the sequence
    // numbers yet: conflicts and resolutions name the op that raised them (`at`), stamped after the insert.
    // Records new in this batch have no heads nor conflicts to read.
    const touched: { tbl: string; rowId: string }[] = [];
    const touchedKeys = new Set<string>();
    for (const i of accepted) {
      const k = recordKeys[i] as string;
      if (touchedKeys.has(k)) continue;
      touchedKeys.add(k);
      if (known.has(k)) touched.push(ops[i] as ChangeOp);
    }
    const current =
      touched.length === 0
        ? { heads: [], conflicts: [] }
        : await jsonSets<{ heads: FieldHead & { tbl: string; rowId: string; field: string; seq: number }; conflicts: { tbl: string; rowId: string; field: string } }>(tx, {
            heads: sql`select tbl, row_id as "rowId", field, value, hlc, op_id as "opId", device_id as "deviceId", user_id as "userId", seq
                       from ${syncFields} where ${rowTuples(syncFields.tbl, syncFields.rowId, touched)}`,
            conflicts: sql`select distinct tbl, row_id as "rowId", field from ${syncConflicts}
                           where resolved_seq is null and (${rowTuples(syncConflicts.tbl, syncConflicts.rowId, touched)})`,
          });
    const heads = new Map<string, FieldHead & { seq: number }>();
    for (const h of current.heads) {
      heads.set(fieldKey(h.tbl, h.rowId, h.field), { value: h.value, hlc: h.hlc, opId: h.opId, deviceId: h.deviceId, userId: h.userId, seq: Number(h.seq) });
    }
    const storedHeads = new Set(heads.keys());
    const openConflicts = new Set(current.conflicts.map((c) => fieldKey(c.tbl, c.rowId, c.field)));
    // Deletes in this batch: the latest edit of the same record that their author had not seen (a batch
    // comes from one device, so its own ops are never among them).
    const unseenEdits = new Map<string, FieldHead>();
    for (const i of accepted) {
      const op = ops[i] as ChangeOp;
      if (op.field !== TOMBSTONE_FIELD || op.value === null || op.seenSeq === null || op.seenSeq === undefined) continue;
      const [edit] = await tx
        .select()
        .from(syncOps)
        .where(and(eq(syncOps.tbl, op.tbl), eq(syncOps.rowId, op.rowId), ne(syncOps.field, TOMBSTONE_FIELD), gt(syncOps.seq, op.seenSeq), ne(syncOps.deviceId, op.deviceId)))
        .orderBy(desc(syncOps.seq))
        .limit(1);
      if (edit) unseenEdits.set(op.opId, { value: edit.value, hlc: edit.hlc, opId: edit.opId, deviceId: edit.deviceId, userId: edit.userId });
    }
    /** Each field's new head: the index of the op that now holds it. */
    const newHeads = new Map<string, number>();
    const conflicts: { at: number; tbl: string; rowId: string; field: string; c: { kept: FieldHead; other: FieldHead } }[] = [];
    const resolutions: { at: number; tbl: string; rowId: string; field: string }[] = [];
    for (const i of accepted) {
      const op = ops[i] as ChangeOp;
      const fk = fieldOf(recordKeys[i] as string, op.field);
      const head = heads.get(fk);
      if (head && op.base === head.hlc && openConflicts.has(fk)) {
        // An edit made with the current value in view: it settles the field's open conflicts.
        resolutions.push({ at: i, tbl: op.tbl, rowId: op.rowId, field: op.field });
        openConflicts.delete(fk);
      }
      // A delete racing an edit of the same record (either may arrive first): one open conflict on the tombstone.
      const tk = fieldOf(recordKeys[i] as string, TOMBSTONE_FIELD);
      const tombstone = heads.get(tk);
      const edit = unseenEdits.get(op.opId);
      const race =
        op.field === TOMBSTONE_FIELD
          ? op.value !== null && edit
            ? deleteRace(op, edit)
            : null
          : tombstone && tombstone.value !== null && unseen(tombstone, op)
            ? deleteRace(tombstone, op)
            : null;
      if (race && !openConflicts.has(tk)) {
        conflicts.push({ at: i, tbl: op.tbl, rowId: op.rowId, field: TOMBSTONE_FIELD, c: race });
        openConflicts.add(tk);
      }
      const decision = mergeField(head, op);
      if (decision.conflict) {
        conflicts.push({ at: i, tbl: op.tbl, rowId: op.rowId, field: op.field, c: decision.conflict });
        openConflicts.add(fk);
      }
      if (decision.apply) {
        // Its sequence number is not drawn yet; it will be above any its author's colleagues have seen.
        heads.set(fk, { value: op.value, hlc: op.hlc, opId: op.opId, deviceId: op.deviceId, userId: op.userId, seq: Number.POSITIVE_INFINITY });
        newHeads.set(fk, i);
      }
    }
    // The first op of each new record creates it.
    const creates = new Map<number, RecordRow>();
    const seenRecords = new Set<string>();
    for (const i of accepted) {
      const k = recordKeys[i] as string;
      const d = decisions.get(k);
      if (d?.ok && d.isNew && !seenRecords.has(k)) creates.set(i, d.record);
      seenRecords.add(k);
    }
    // A field's head row is inserted the first time and updated afterwards: which one is known here (pushes are
    // serialised), and a plain insert costs less than an upsert's speculative one.
    const headWrite = new Map([...newHeads].map(([fk, i]) => [i, storedHeads.has(fk) ? 'update' : 'insert']));

    // One statement stores the accepted ops, creates the new records and moves the field heads. The batch goes as
    // one JSON array per column, side by side (storeColumns: a few parameters, each parsed once: thousands of
    // parameters cost more to build and bind than the insert, and the same rows as JSON objects took three times
    // as long to read as these arrays on PostgreSQL). When every op is accepted, the columns were made before the
    // transaction (PushBatch).
    // The batch's sequence numbers are one block, drawn at once (`block`, in the same statement): every writer of
    // the log holds the push lock, so no other number is drawn in between, and commit order stays sequence order.
    // An op's number is the block's first plus its place in the batch (`n`, numbered from 1 by `with
    // ordinality`); the records and heads take it from the same row.
    const count = accepted.length;
    const columns = count === ops.length ? batch.columns : storeColumns(accepted.map((i) => ops[i] as ChangeOp));
    const created = accepted.flatMap((i, n) => {
      const record = creates.get(i);
      return record ? [{ n: n + 1, ...record }] : [];
    });
    const [stamped] = await rawRows<{ first: string | number }>(
      tx,
      sql`with block as (select setval(${SYNC_OPS_SEQUENCE}::regclass, nextval(${SYNC_OPS_SEQUENCE}::regclass) + ${count - 1}) - ${count - 1} as first),
          x as materialized (
            select x.*, (select first from block) + x.n - 1 as seq
            from rows from (${sql.join(columns.values, sql`, `)}, ${textValues(accepted.map((i) => headWrite.get(i) ?? null))})
                 with ordinality as x(op_id, tbl, row_id, field, value, hlc, base, other_device, other_user, head, n)),
          ins as (
            insert into ${syncOps} (seq, op_id, tbl, row_id, field, value, hlc, device_id, user_id, account_id, base, received_at)
            select x.seq, x.op_id, x.tbl, x.row_id, x.field, x.value, x.hlc, coalesce(x.other_device, ${columns.device}), coalesce(x.other_user, ${columns.user}),
                   ${actor.accountId}, x.base, ${receivedAt.toISOString()}::timestamptz
            from x),
          records as (
            insert into ${syncRecords} (tbl, row_id, org_id, parent_row_id, created_by_account, owner_account, created_seq)
            select x.tbl, x.row_id, c.org_id, c.parent_row_id, ${actor.accountId}, c.owner_account, x.seq
            from rows from (${textValues(created.map((c) => String(c.n)))}, ${textValues(created.map((c) => c.orgId))}, ${textValues(created.map((c) => c.parentRowId))},
                            ${textValues(created.map((c) => c.ownerAccount))}) as c(n, org_id, parent_row_id, owner_account)
            join x on x.n = c.n::bigint),
          new_heads as (
            insert into ${syncFields} (tbl, row_id, field, value, hlc, op_id, device_id, user_id, seq)
            select x.tbl, x.row_id, x.field, x.value, x.hlc, x.op_id, coalesce(x.other_device, ${columns.device}), coalesce(x.other_user, ${columns.user}), x.seq
            from x where x.head = 'insert'),
          moved_heads as (
            update ${syncFields} f
            set value = x.value, hlc = x.hlc, op_id = x.op_id, device_id = coalesce(x.other_device, ${columns.device}), user_id = coalesce(x.other_user, ${columns.user}), seq = x.seq
            from x where x.head = 'update' and f.tbl = x.tbl and f.row_id = x.row_id and f.field = x.field)
          select first from block`,
    );
    const firstSeq = Number(stamped?.first);
    const seqOf = new Map(accepted.map((i, n) => [i, firstSeq + n]));
    const seqAt = (i: number) => seqOf.get(i) as number;
    for (const i of accepted) results[i] = { opId: (ops[i] as ChangeOp).opId, status: 'accepted', seq: seqAt(i), duplicate: false };

    for (const r of resolutions) {
      await tx
        .update(syncConflicts)
        .set({ resolvedSeq: seqAt(r.at) })
        .where(and(eq(syncConflicts.tbl, r.tbl), eq(syncConflicts.rowId, r.rowId), eq(syncConflicts.field, r.field), isNull(syncConflicts.resolvedSeq), sql`${syncConflicts.seq} < ${seqAt(r.at)}`));
    }
    if (conflicts.length > 0) await tx.insert(syncConflicts).values(conflicts.map((c) => conflictRow(c.tbl, c.rowId, c.field, c.c, seqAt(c.at), receivedAt)));
    return this.finish(ops, results, firstIndex);
  }

  private finish(ops: ChangeOp[], results: (PushResult | undefined)[], firstIndex: Map<string, number>): PushResult[] {
    return ops.map((op, i) => {
      const r = results[i];
      if (r) return r;
      const first = results[firstIndex.get(op.opId) as number] as PushResult;
      return first.status === 'accepted' ? { ...first, duplicate: true } : first;
    });
  }

  /**
   * One page of the log after `after`: at most `limit` ops the caller may read. The cursor is the last
   * sequence the page covers, so a stretch of nothing readable is passed over, not sent.
   *
   * An administrator reads everything: the page is the next `limit` ops. Anyone else reads a few
   * organisations among many, so the service looks at a window of up to PULL_WINDOW_PAGES × `limit` ops,
   * decides which of the organisations found there the caller may read (the same rule as always, from the
   * facts of those organisations only), and fetches only their ops and the global records': a mentor's laptop
   * no longer receives, page by page, the whole programme's log to keep a few companies.
   */
  async pull(principal: Principal, after: number, limit: number): Promise<{ ops: ServerOp[]; conflicts: ConflictRecord[]; cursor: number; more: boolean; head?: number }> {
    const actor = await this.loadActor(this.db, principal);
    // Asking for what comes after `after` says everything up to it is applied there: tombstones every live
    // device has passed can be purged (./purge.ts).
    if (principal.deviceId !== null && after > 0) {
      await this.db
        .update(devices)
        .set({ appliedSeq: sql`greatest(coalesce(${devices.appliedSeq}, 0), ${after})` })
        .where(eq(devices.id, principal.deviceId));
    }
    // The window: its last sequence, and whether the log goes on after it.
    const windowSize = actor.role === 'admin' ? limit : limit * PULL_WINDOW_PAGES;
    const [bounds] = await rawRows<{ last: string | number | null; n: string | number }>(
      this.db,
      sql`select max(seq) filter (where n <= ${windowSize}) as last, count(*) as n
          from (select seq, row_number() over (order by seq) as n from ${syncOps} where seq > ${after} order by seq limit ${windowSize + 1}) w`,
    );
    const windowEnd = bounds?.last === null || bounds?.last === undefined ? null : Number(bounds.last);
    if (windowEnd === null) {
      // Nothing after the laptop's cursor: say where the log ends, so a laptop ahead of it (this service was
      // restored from an older backup) sends again what was lost.
      const [max] = await this.db.select({ seq: sql<string | number | null>`max(${syncOps.seq})` }).from(syncOps);
      return { head: Number(max?.seq ?? 0), ops: [], conflicts: [], cursor: after, more: false };
    }
    const windowFull = Number(bounds?.n ?? 0) > windowSize;
    // Which organisations of the window the caller may read (global records and files, org_id null, are
    // decided per record below). Their facts also decide the exact rule per record: the page's records and
    // conflicts all lie in the window.
    let facts = new Map<string, OrgFacts>();
    let orgFilter = sql``;
    if (actor.role !== 'admin') {
      const inWindow = (
        await jsonRows<{ orgId: string }>(
          this.db,
          sql`select distinct r.org_id as "orgId" from ${syncOps} o join ${syncRecords} r on r.tbl = o.tbl and r.row_id = o.row_id
              where o.seq > ${after} and o.seq <= ${windowEnd} and r.org_id is not null`,
        )
      ).map((r) => r.orgId);
      facts = await this.loadOrgFacts(this.db, inWindow);
      const readableOrgs = inWindow.filter((id) => canAccessOrg(actor, id, facts.get(id)));
      orgFilter = sql`and (r.org_id is null or r.org_id in (select ${textValues(readableOrgs)}))`;
    }
    // The page comes back as one JSON text, not 5,000 rows of twelve columns: decoding each column of each
    // row in the driver cost more than the query (a third of a pull on embedded PGlite).
    const page = await jsonRows<ServerOp & { orgId: string | null; ownerAccount: string }>(
      this.db,
      sql`select o.seq, o.op_id as "opId", o.tbl, o.row_id as "rowId", o.field, o.value, o.hlc, o.device_id as "deviceId", o.user_id as "userId", o.base,
                 r.org_id as "orgId", r.owner_account as "ownerAccount"
          from ${syncOps} o join ${syncRecords} r on r.tbl = o.tbl and r.row_id = o.row_id
          where o.seq > ${after} and o.seq <= ${windowEnd} ${orgFilter} order by o.seq limit ${limit + 1}`,
    );
    // More than a page of readable ops: this page ends at the last one sent; otherwise it covers the window.
    const full = page.length > limit;
    const examined = page.slice(0, limit);
    const cursor = full ? Number(examined.at(-1)?.seq ?? after) : windowEnd;
    const more = full || windowFull;
    const conflictRows =
      cursor > after
        ? await this.db
            .select({ c: syncConflicts, orgId: syncRecords.orgId, ownerAccount: syncRecords.ownerAccount })
            .from(syncConflicts)
            .innerJoin(syncRecords, and(eq(syncRecords.tbl, syncConflicts.tbl), eq(syncRecords.rowId, syncConflicts.rowId)))
            .where(or(and(gt(syncConflicts.seq, after), lte(syncConflicts.seq, cursor)), and(gt(syncConflicts.resolvedSeq, after), lte(syncConflicts.resolvedSeq, cursor))))
            .orderBy(asc(syncConflicts.seq))
        : [];
    let readable: (r: RecordFacts) => boolean = () => true;
    if (actor.role !== 'admin') {
      const files = await this.referencedReadable(this.db, actor, [...examined, ...conflictRows.map((r) => r.c)].filter((r) => isReferenced(r.tbl)).map((r) => r.rowId));
      readable = (r) => canRead(actor, r, r.orgId ? facts.get(r.orgId) : undefined, files.has(r.rowId));
    }
    const ops: ServerOp[] = examined
      .filter(readable)
      .map((o) => ({ opId: o.opId, tbl: o.tbl, rowId: o.rowId, field: o.field, value: o.value, hlc: o.hlc, deviceId: o.deviceId, userId: o.userId, base: o.base, seq: Number(o.seq) }));
    const conflicts = conflictRows.filter((r) => readable({ tbl: r.c.tbl, rowId: r.c.rowId, orgId: r.orgId, ownerAccount: r.ownerAccount })).map((r) => conflictView(r.c));
    // The descriptions of the files these records show come with them (from the current state): a file is
    // readable only through such a record, so its own ops may have been passed over before the record came.
    // An administrator reads every op anyway. Ops already on the laptop are recognised there by id.
    const shown = actor.role === 'admin' ? [] : filesShown(ops);
    if (shown.length > 0) {
      const files = await this.currentState(shown.map((rowId) => ({ tbl: 'attachments', rowId })));
      const inPage = new Set(ops.map((o) => o.opId));
      const conflictIds = new Set(conflicts.map((c) => c.id));
      ops.unshift(...files.ops.filter((o) => !inPage.has(o.opId)));
      conflicts.push(...files.conflicts.filter((c) => !conflictIds.has(c.id)));
    }
    return { ops, conflicts, cursor, more };
  }

  /**
   * Whether the caller may download a blob: an administrator, its uploader, or a reader of a record that needs
   * the bytes (a visit photo, evidence or project photo pointing at an attachment with this hash, or a
   * certificate whose signed PDF it is). Knowing the hash is not enough (it may have been learnt elsewhere).
   */
  async canReadBlob(principal: Principal, sha256: string, uploadedBy: string | null): Promise<boolean> {
    if (principal.role === 'admin' || uploadedBy === principal.userId) return true;
    return this.readsHash(this.db, await this.loadActor(this.db, principal), sha256);
  }

  /** Whether the actor may read a record that names this content hash: a file's description shown to them, or a certificate. */
  private async readsHash(q: Q, actor: Actor, sha256: string): Promise<boolean> {
    // Descriptions are read through the records showing them, certificates as themselves: readableFilter does both.
    const holders = await jsonRows<RecordFacts>(
      q,
      sql`select r.tbl, r.row_id as "rowId", r.org_id as "orgId", r.owner_account as "ownerAccount"
          from (${fieldsHolding(HASH_REFERENCES, sql`(${JSON.stringify(sha256)})`)}) refs join ${syncRecords} r on r.tbl = refs.tbl and r.row_id = refs.row_id`,
    );
    if (holders.length === 0) return false;
    return holders.some(await this.readableFilter(actor, holders, q));
  }

  /**
   * Of these content hashes, the ones the actor may name in a record (a file's description, a certificate's
   * PDF): naming a hash makes its bytes downloadable through that record, so knowing it is not enough. Allowed:
   * a hash the service holds no bytes of yet (they come with the author's next upload), bytes the actor
   * uploaded or proved it holds (the same file added on a laptop of another pair), bytes no record names (a service restored from a backup lost the records, and a colleague's
   * laptop sent the bytes again first), and bytes a record the actor may already read names.
   */
  private async nameableHashes(q: Q, actor: Actor, hashes: ReadonlySet<string>): Promise<Set<string>> {
    if (actor.role === 'admin' || hashes.size === 0) return new Set(hashes);
    const held = await jsonRows<{ sha256: string; uploadedBy: string }>(
      q,
      sql`select sha256, uploaded_by as "uploadedBy" from ${blobs} where ${anyOf(blobs.sha256, [...hashes])}`,
    );
    const uploader = new Map(held.map((b) => [b.sha256, b.uploadedBy]));
    const proven = await provenHolder(q, actor.accountId, [...hashes]);
    const values = sql`(select to_json(h)::text from ${textValues([...hashes])} as x(h))`;
    const named = new Set((await jsonRows<{ value: string }>(q, fieldsHolding(HASH_REFERENCES, values))).map((r) => parseJsonString(r.value)));
    const ok = new Set<string>();
    for (const h of hashes) {
      if (!uploader.has(h) || uploader.get(h) === actor.accountId || proven.has(h) || !named.has(h) || (await this.readsHash(q, actor, h))) ok.add(h);
    }
    return ok;
  }

  /**
   * Of these attachments, the ones the caller may read: for an administrator all, for anyone else those that
   * a record they may read shows (ATTACHMENT_REFERENCES; a deleted record still shows its file until it is
   * purged). One query for the records showing them, one for their organisations' facts.
   */
  async referencedReadable(q: Q, actor: Actor, attachmentIds: Iterable<string>): Promise<Set<string>> {
    const ids = [...new Set(attachmentIds)];
    if (ids.length === 0 || actor.role === 'admin') return new Set(ids);
    const values = sql`(select to_json(x.id)::text from ${textValues(ids)} as x(id))`;
    const referrers = await jsonRows<RecordFacts & { shows: string }>(
      q,
      sql`select r.tbl, r.row_id as "rowId", r.org_id as "orgId", r.owner_account as "ownerAccount", refs.value as shows
          from (${fieldsHolding(ATTACHMENT_REFERENCES, values)}) refs join ${syncRecords} r on r.tbl = refs.tbl and r.row_id = refs.row_id`,
    );
    const readable = new Set<string>();
    if (referrers.length === 0) return readable;
    const facts = await this.loadOrgFacts(
      q,
      referrers.flatMap((r) => (r.orgId ? [r.orgId] : [])),
    );
    for (const r of referrers) {
      const id = parseJsonString(r.shows);
      if (id && canRead(actor, r, r.orgId ? facts.get(r.orgId) : undefined)) readable.add(id);
    }
    return readable;
  }

  /** A predicate over records, with the facts it needs (organisations, files' referrers) loaded first. */
  async readableFilter(actor: Actor, records: RecordFacts[], q: Q = this.db): Promise<(r: RecordFacts) => boolean> {
    if (actor.role === 'admin') return () => true;
    const facts = await this.loadOrgFacts(
      q,
      records.flatMap((r) => (r.orgId ? [r.orgId] : [])),
    );
    const files = await this.referencedReadable(
      q,
      actor,
      records.filter((r) => isReferenced(r.tbl)).map((r) => r.rowId),
    );
    return (r) => canRead(actor, r, r.orgId ? facts.get(r.orgId) : undefined, files.has(r.rowId));
  }

  /**
   * The current state instead of the history: the heads of the fields of the records after
   * (`afterTbl`, `afterRow`), at most `limit` records examined, only the readable ones returned, with their
   * open conflicts. `cursor` is the log position to pull from afterwards: the first page fixes it (the
   * highest sequence then) and later pages must send it back, so nothing written during the snapshot is
   * missed (what a later page already shows comes again through pull and merges as a duplicate).
   * With `orgId`, only that organisation's records: what a laptop fetches when a company is newly assigned
   * to its pair (pull only brings ops after its cursor, so the company's history comes from here).
   */
  async snapshot(
    principal: Principal,
    input: { afterTbl: string; afterRow: string; limit: number; cursor?: number | undefined; orgId?: string | undefined },
  ): Promise<{ ops: ServerOp[]; conflicts: ConflictRecord[]; cursor: number; next: { tbl: string; rowId: string } | null }> {
    const actor = await this.loadActor(this.db, principal);
    let cursor = input.cursor;
    if (cursor === undefined) {
      const [max] = await this.db.select({ seq: sql<string | number | null>`max(${syncOps.seq})` }).from(syncOps);
      cursor = Number(max?.seq ?? 0);
    }
    const records = await this.db
      .select({ tbl: syncRecords.tbl, rowId: syncRecords.rowId, orgId: syncRecords.orgId, ownerAccount: syncRecords.ownerAccount })
      .from(syncRecords)
      .where(and(sql`(${syncRecords.tbl}, ${syncRecords.rowId}) > (${input.afterTbl}, ${input.afterRow})`, input.orgId === undefined ? undefined : eq(syncRecords.orgId, input.orgId)))
      .orderBy(asc(syncRecords.tbl), asc(syncRecords.rowId))
      .limit(input.limit + 1);
    const examined = records.slice(0, input.limit);
    const last = examined.at(-1);
    const next = records.length > input.limit && last ? { tbl: last.tbl, rowId: last.rowId } : null;
    const readable = await this.readableFilter(actor, examined);
    const visible = examined.filter(readable);
    if (visible.length === 0) return { ops: [], conflicts: [], cursor, next };
    return { ...(await this.currentState(visible)), cursor, next };
  }

  /**
   * The current state of these records: each field's head op (with the base it carried) and the open
   * conflicts; with them the descriptions of the files they show (readable through them), before them.
   */
  async currentState(records: { tbl: string; rowId: string }[]): Promise<{ ops: ServerOp[]; conflicts: ConflictRecord[] }> {
    const asked = new Set(records.map((r) => key(r.tbl, r.rowId)));
    const own = await this.heads(records);
    const files = filesShown(own.ops)
      .filter((id) => !asked.has(key('attachments', id)))
      .map((rowId) => ({ tbl: 'attachments', rowId }));
    if (files.length === 0) return own;
    const shown = await this.heads(files);
    return { ops: [...shown.ops, ...own.ops], conflicts: [...shown.conflicts, ...own.conflicts] };
  }

  private async heads(records: { tbl: string; rowId: string }[]): Promise<{ ops: ServerOp[]; conflicts: ConflictRecord[] }> {
    const heads = await this.db
      .select({ f: syncFields, base: syncOps.base })
      .from(syncFields)
      .innerJoin(syncOps, eq(syncOps.opId, syncFields.opId))
      .where(rowTuples(syncFields.tbl, syncFields.rowId, records))
      .orderBy(asc(syncFields.tbl), asc(syncFields.rowId), asc(syncFields.field));
    const conflicts = await this.db
      .select()
      .from(syncConflicts)
      .where(and(isNull(syncConflicts.resolvedSeq), rowTuples(syncConflicts.tbl, syncConflicts.rowId, records)))
      .orderBy(asc(syncConflicts.seq));
    return {
      ops: heads.map(({ f, base }) => ({ opId: f.opId, tbl: f.tbl, rowId: f.rowId, field: f.field, value: f.value, hlc: f.hlc, deviceId: f.deviceId, userId: f.userId, base, seq: f.seq })),
      conflicts: conflicts.map(conflictView),
    };
  }
}

/** A conflict as stored: both sides in full, open until an op that has seen the kept value settles it. */
function conflictRow(tbl: string, rowId: string, field: string, c: { kept: FieldHead; other: FieldHead }, seq: number, createdAt: Date): typeof syncConflicts.$inferInsert {
  const { kept, other } = c;
  return {
    id: uuidv7(),
    tbl,
    rowId,
    field,
    keptOpId: kept.opId,
    keptValue: kept.value,
    keptHlc: kept.hlc,
    keptDeviceId: kept.deviceId,
    keptUserId: kept.userId,
    otherOpId: other.opId,
    otherValue: other.value,
    otherHlc: other.hlc,
    otherDeviceId: other.deviceId,
    otherUserId: other.userId,
    seq,
    createdAt,
    resolvedSeq: null,
  };
}

export function conflictView(c: typeof syncConflicts.$inferSelect): ConflictRecord {
  return {
    id: c.id,
    tbl: c.tbl,
    rowId: c.rowId,
    field: c.field,
    kept: { opId: c.keptOpId, value: c.keptValue, hlc: c.keptHlc, deviceId: c.keptDeviceId, userId: c.keptUserId },
    other: { opId: c.otherOpId, value: c.otherValue, hlc: c.otherHlc, deviceId: c.otherDeviceId, userId: c.otherUserId },
    seq: c.seq,
    resolvedSeq: c.resolvedSeq,
  };
}
