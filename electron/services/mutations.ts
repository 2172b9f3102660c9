/**
 * The one write path for synced tables. In the same SQLite transaction it writes the row and appends one
 * change-log entry per changed field (op id, table, row, field, value, HLC, device, user and `base`, the
 * field's clock before the change), and advances the per-field clock. Sync ships the log; the per-field
 * clocks decide merges. Locked (signed / finalised) rows refuse every change.
 */
import crypto from 'node:crypto';
import type Database from 'better-sqlite3';
import { getTableColumns, getTableName } from 'drizzle-orm';
import type { SQLiteTable } from 'drizzle-orm/sqlite-core';
import { uuidv7 } from 'uuidv7';
import { AppError, notFound } from '#shared/contract/errors';
import { clampRemote, hlcReceive, hlcSuccessor, hlcTick, hlcToString, parseHlc, type HlcState } from '#shared/sync/hlc';

export type SqlValue = string | number | null;
export type Values = Record<string, SqlValue>;

/** Bookkeeping columns the layer owns; callers never set them. */
const OWNED = new Set(['id', 'createdAt', 'updatedAt', 'deletedAt', 'originDevice']);

export interface TableSpec {
  table: SQLiteTable;
  /** Property (camelCase) name of a column that, once set, makes the row immutable. */
  lockColumn?: string;
  /** Rows that belong to a lockable parent (answers of an assessment) are immutable once it is locked. */
  parent?: { column: string; table: SQLiteTable };
  /**
   * Properties that identify the row (answer of one item in one assessment). The row id is derived from them,
   * so two laptops that create "the same" row offline create one row, whose fields then merge; with random
   * ids they would make two rows that collide on the unique index when they meet.
   */
  naturalKey?: string[];
}

interface ResolvedSpec {
  name: string;
  /** property name → SQL column name, data columns only */
  columns: Map<string, string>;
  lockColumn?: string;
  parent?: { column: string; table: SQLiteTable };
  naturalKey?: string[];
}

/** A UUID (version 8, RFC 9562) derived from the table and the natural key's values. */
export function naturalId(table: string, values: SqlValue[]): string {
  const h = crypto.createHash('sha256').update(JSON.stringify([table, ...values])).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-8${h.slice(13, 16)}-${((parseInt(h.slice(16, 17), 16) & 0x3) | 0x8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export interface WriteContext {
  deviceId: string;
  userId: string;
  /** Wall clock in ms; injectable so tests can move it backwards. */
  now(): number;
}

export type AfterWrite = (tx: Tx, table: string, id: string) => void;
/** Called inside the transaction after a row was removed (a record that existed only through refused changes). */
export type AfterRemove = (table: string, id: string) => void;

export interface ChangeEntry {
  opId: string;
  tbl: string;
  rowId: string;
  field: string;
  value: string | null;
  hlc: string;
  deviceId: string;
  userId: string;
  base: string | null;
}

const HLC_KEY = 'hlc';
/** How far this laptop's clock was off the service's at the last sync (ms, positive: ahead); absent or 0: fine. */
const SKEW_KEY = 'clock_skew_ms';

export class MutationLayer {
  private readonly specs = new Map<SQLiteTable, ResolvedSpec>();
  private readonly stmts = new Map<string, Database.Statement>();
  private readonly afterWrite = new Map<string, AfterWrite[]>();
  private readonly afterRemove = new Map<string, AfterRemove[]>();
  private readonly commitListeners: ((tables: Set<string>) => void)[] = [];
  private clock: HlcState;
  private skewMs = 0;
  private depth = 0;

  constructor(
    private readonly sqlite: Database.Database,
    private readonly ctx: WriteContext,
    tables: TableSpec[],
  ) {
    for (const spec of tables) {
      const columns = new Map<string, string>();
      for (const [prop, col] of Object.entries(getTableColumns(spec.table))) {
        if (!OWNED.has(prop)) columns.set(prop, col.name);
      }
      this.specs.set(spec.table, { name: getTableName(spec.table), columns, lockColumn: spec.lockColumn, parent: spec.parent, naturalKey: spec.naturalKey });
    }
    const saved = this.stmt('SELECT value FROM meta WHERE key = ?').get(HLC_KEY) as { value: string } | undefined;
    this.clock = saved ? parseHlc(saved.value) : { millis: 0, counter: 0, node: ctx.deviceId };
    this.clock = { ...this.clock, node: ctx.deviceId };
    const skew = this.stmt('SELECT value FROM meta WHERE key = ?').get(SKEW_KEY) as { value: string } | undefined;
    this.skewMs = Number(skew?.value ?? 0) || 0;
  }

  /**
   * This laptop's time, corrected by the skew measured against the service when it was beyond tolerance:
   * clocks and record timestamps follow the service's time instead of a clock set days or a year off.
   */
  wallNow(): number {
    return this.ctx.now() - this.skewMs;
  }

  /** How far this laptop's clock is off the service's (0 within tolerance). */
  clockSkew(): number {
    return this.skewMs;
  }

  /** Sync: records the skew measured against the service's time (0 when within tolerance). */
  setClockSkew(ms: number): void {
    this.skewMs = ms;
    this.stmt('INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(SKEW_KEY, String(ms));
  }

  /** Runs `hook` inside the transaction after every insert/update/archive/restore of `table`. */
  onWrite(table: SQLiteTable, hook: AfterWrite): void {
    const name = getTableName(table);
    this.afterWrite.set(name, [...(this.afterWrite.get(name) ?? []), hook]);
  }

  /** Runs `hook` inside the transaction after a row of `table` was removed (Tx.removeRemote). */
  onRemove(table: SQLiteTable, hook: AfterRemove): void {
    const name = getTableName(table);
    this.afterRemove.set(name, [...(this.afterRemove.get(name) ?? []), hook]);
  }

  /** Called after a transaction that changed something commits, with the names of changed tables. */
  onCommit(listener: (tables: Set<string>) => void): void {
    this.commitListeners.push(listener);
  }

  /** The clock's current value (for tests and diagnostics). */
  currentClock(): string {
    return hlcToString(this.clock);
  }

  /**
   * Sync: merges a clock seen on an op from another device, so this device's next edit is ordered after it
   * (never before what the mentor has seen), however wrong either laptop's wall clock is.
   */
  observe(remote: string): boolean {
    const wall = this.wallNow();
    const { state, clamped } = clampRemote(parseHlc(remote), wall);
    this.clock = hlcReceive(this.clock, state, wall);
    return clamped;
  }

  /** Sync: the SQL column names of a registered table (by SQL name), or undefined for a table this version does not know. */
  columnsOf(tableName: string): Set<string> | undefined {
    for (const spec of this.specs.values()) if (spec.name === tableName) return new Set(spec.columns.values());
    return undefined;
  }

  /** @internal */
  specsByTable(): IterableIterator<ResolvedSpec> {
    return this.specs.values();
  }

  /** The SQL names of the registered (synced) tables. */
  tableNames(): string[] {
    return [...this.specs.values()].map((s) => s.name);
  }

  /** Runs `fn` in one transaction: all of its writes and log entries land together or not at all. */
  transaction<T>(fn: (tx: Tx) => T): T {
    const tx = new Tx(this);
    this.depth++;
    try {
      // IMMEDIATE takes the write lock up front. A deferred transaction that reads first (uniqueness checks) and
      // then writes fails at once with SQLITE_BUSY while another connection writes, without waiting its turn.
      const result = this.sqlite.transaction(() => {
        const value = fn(tx);
        if (tx.changed.size > 0) this.stmt('INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(HLC_KEY, hlcToString(this.clock));
        return value;
      }).immediate();
      if (tx.changed.size > 0 && this.depth === 1) for (const l of this.commitListeners) l(tx.changed);
      return result;
    } finally {
      // A rolled-back transaction leaves the in-memory clock ahead; harmless, it only has to grow.
      this.depth--;
    }
  }

  /** @internal */
  stmt(sql: string): Database.Statement {
    let s = this.stmts.get(sql);
    if (!s) {
      s = this.sqlite.prepare(sql);
      this.stmts.set(sql, s);
    }
    return s;
  }

  /** @internal */
  spec(table: SQLiteTable): ResolvedSpec {
    const s = this.specs.get(table);
    if (!s) throw new Error(`table ${getTableName(table)} is not registered with the mutation layer`);
    return s;
  }

  /** @internal */
  tick(): string {
    this.clock = hlcTick(this.clock, this.wallNow());
    return hlcToString(this.clock);
  }

  /** @internal */
  context(): WriteContext {
    return this.ctx;
  }

  /** @internal */
  hooks(table: string): AfterWrite[] {
    return this.afterWrite.get(table) ?? [];
  }

  /** @internal */
  removeHooks(table: string): AfterRemove[] {
    return this.afterRemove.get(table) ?? [];
  }
}

/** Stored and submitted values compare as text, so 45 and '45' are the same value. */
function same(stored: unknown, next: SqlValue): boolean {
  if (stored === next) return true;
  if (next === null || (typeof stored !== 'string' && typeof stored !== 'number')) return false;
  return String(stored) === String(next);
}

/** The write API inside a transaction. */
export class Tx {
  /** @internal tables changed in this transaction */
  readonly changed = new Set<string>();

  constructor(private readonly layer: MutationLayer) {}

  /** Reads a row by id (including archived rows) with SQL column names. */
  get(table: SQLiteTable, id: string): Record<string, unknown> | undefined {
    const spec = this.layer.spec(table);
    return this.layer.stmt(`SELECT * FROM "${spec.name}" WHERE id = ?`).get(id) as Record<string, unknown> | undefined;
  }

  /** Runs a read query inside the transaction. */
  all(sql: string, params: SqlValue[]): unknown[] {
    return this.layer.stmt(sql).all(...params);
  }

  insert(table: SQLiteTable, values: Values): string {
    const spec = this.layer.spec(table);
    const ctx = this.layer.context();
    const id = spec.naturalKey ? naturalId(spec.name, spec.naturalKey.map((k) => values[k] ?? null)) : uuidv7();
    const now = new Date(this.layer.wallNow()).toISOString();
    const props = Object.keys(values).filter((p) => values[p] !== undefined);
    for (const p of props) if (!spec.columns.has(p)) throw new Error(`unknown column ${spec.name}.${p}`);
    if (spec.parent) this.assertParentOpen(spec, values[spec.parent.column]);
    const cols = ['id', 'created_at', 'updated_at', 'origin_device', ...props.map((p) => spec.columns.get(p) as string)];
    const sql = `INSERT INTO "${spec.name}" (${cols.map((c) => `"${c}"`).join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`;
    this.layer.stmt(sql).run(id, now, now, ctx.deviceId, ...props.map((p) => values[p] as SqlValue));
    for (const p of props) this.log(spec.name, id, spec.columns.get(p) as string, values[p] as SqlValue, null);
    this.after(spec.name, id);
    return id;
  }

  /** Writes the fields of `patch` that differ from the stored row; returns the changed property names. */
  update(table: SQLiteTable, id: string, patch: Values): string[] {
    const spec = this.layer.spec(table);
    const row = this.requireRow(spec, table, id);
    const changed: string[] = [];
    for (const [p, v] of Object.entries(patch)) {
      if (v === undefined) continue;
      const col = spec.columns.get(p);
      if (!col) throw new Error(`unknown column ${spec.name}.${p}`);
      if (!same(row[col], v)) changed.push(p);
    }
    if (changed.length === 0) return [];
    this.write(spec, id, changed.map((p) => [spec.columns.get(p) as string, patch[p] as SqlValue]));
    return changed;
  }

  /** Tombstones a row (never a hard delete). Returns false when it was already archived. */
  archive(table: SQLiteTable, id: string): boolean {
    const spec = this.layer.spec(table);
    const row = this.requireRow(spec, table, id);
    if (row.deleted_at !== null) return false;
    this.write(spec, id, [['deleted_at', new Date(this.layer.wallNow()).toISOString()]]);
    return true;
  }

  restore(table: SQLiteTable, id: string): boolean {
    const spec = this.layer.spec(table);
    const row = this.requireRow(spec, table, id);
    if (row.deleted_at === null) return false;
    this.write(spec, id, [['deleted_at', null]]);
    return true;
  }

  /**
   * Sync: writes fields that came from the server (already merged by the shared rule), without logging them
   * again (the caller records the ops) and without the lock checks (the server checked them). Creates the row
   * when it does not exist yet; returns false when it cannot be created yet (a required field has not arrived).
   */
  writeRemote(tableName: string, id: string, fields: [string, SqlValue][], meta: { createdAt: string; originDevice: string }): boolean {
    const now = new Date(this.layer.wallNow()).toISOString();
    const exists = this.layer.stmt(`SELECT 1 FROM "${tableName}" WHERE id = ?`).get(id) !== undefined;
    if (exists) {
      if (fields.length === 0) return true;
      this.layer.stmt(`UPDATE "${tableName}" SET ${fields.map(([c]) => `"${c}" = ?`).join(', ')}, updated_at = ? WHERE id = ?`).run(...fields.map(([, v]) => v), now, id);
    } else {
      const cols = ['id', 'created_at', 'updated_at', 'origin_device', ...fields.map(([c]) => c)];
      try {
        this.layer
          .stmt(`INSERT INTO "${tableName}" (${cols.map((c) => `"${c}"`).join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`)
          .run(id, meta.createdAt, now, meta.originDevice, ...fields.map(([, v]) => v));
      } catch (err) {
        // Only "not yet complete" is expected here; the statement alone was rolled back.
        if (err instanceof Error && /NOT NULL constraint failed|FOREIGN KEY constraint failed/.test(err.message)) return false;
        throw err;
      }
    }
    this.after(tableName, id);
    return true;
  }

  /**
   * Sync: removes a row that exists only through changes the service refused, with its field clocks (the
   * log keeps the refused changes). False, and nothing removed, while another row still refers to it.
   */
  removeRemote(tableName: string, id: string): boolean {
    try {
      this.layer.stmt(`DELETE FROM "${tableName}" WHERE id = ?`).run(id);
    } catch (err) {
      if (err instanceof Error && /FOREIGN KEY constraint failed/.test(err.message)) return false;
      throw err;
    }
    this.layer.stmt('DELETE FROM field_clocks WHERE tbl = ? AND row_id = ?').run(tableName, id);
    this.changed.add(tableName);
    for (const hook of this.layer.removeHooks(tableName)) hook(tableName, id);
    return true;
  }

  /**
   * Sync: writes one field by table and column name, always logging a new op even when the value does not
   * change (resolving a conflict by keeping the current value is still a decision the server must see).
   * Returns the op id. Lock checks apply.
   */
  setField(tableName: string, id: string, column: string, value: SqlValue): string {
    const spec = [...this.layer.specsByTable()].find((s) => s.name === tableName);
    if (!spec || (![...spec.columns.values()].includes(column) && column !== 'deleted_at')) throw notFound(tableName);
    const row = this.layer.stmt(`SELECT * FROM "${spec.name}" WHERE id = ?`).get(id) as Record<string, unknown> | undefined;
    if (!row) throw notFound(spec.name);
    this.assertUnlocked(spec, row);
    if (spec.parent) this.assertParentOpen(spec, row[spec.columns.get(spec.parent.column) as string]);
    this.write(spec, id, [[column, value]]);
    return (this.layer.stmt('SELECT op_id FROM change_log WHERE tbl = ? AND row_id = ? AND field = ? ORDER BY seq DESC LIMIT 1').get(spec.name, id, column) as { op_id: string }).op_id;
  }

  private requireRow(spec: ResolvedSpec, table: SQLiteTable, id: string): Record<string, unknown> {
    const row = this.get(table, id);
    if (!row) throw notFound(spec.name);
    this.assertUnlocked(spec, row);
    if (spec.parent) this.assertParentOpen(spec, row[spec.columns.get(spec.parent.column) as string]);
    return row;
  }

  private assertUnlocked(spec: ResolvedSpec, row: Record<string, unknown>): void {
    const lockCol = spec.lockColumn ? spec.columns.get(spec.lockColumn) : undefined;
    if (lockCol && row[lockCol] !== null && row[lockCol] !== undefined) {
      throw new AppError({ code: 'locked', messageKey: 'errors.locked', params: { entity: spec.name } });
    }
  }

  private assertParentOpen(spec: ResolvedSpec, parentId: unknown): void {
    if (!spec.parent || typeof parentId !== 'string') return;
    const parentSpec = this.layer.spec(spec.parent.table);
    const parent = this.get(spec.parent.table, parentId);
    if (!parent) throw notFound(parentSpec.name);
    this.assertUnlocked(parentSpec, parent);
  }

  private write(spec: ResolvedSpec, id: string, fields: [string, SqlValue][]): void {
    const now = new Date(this.layer.wallNow()).toISOString();
    const sets = fields.map(([c]) => `"${c}" = ?`).join(', ');
    this.layer
      .stmt(`UPDATE "${spec.name}" SET ${sets}, updated_at = ? WHERE id = ?`)
      .run(...fields.map(([, v]) => v), now, id);
    for (const [col, v] of fields) {
      const base = this.layer.stmt('SELECT hlc FROM field_clocks WHERE tbl = ? AND row_id = ? AND field = ?').get(spec.name, id, col) as
        | { hlc: string }
        | undefined;
      this.log(spec.name, id, col, v, base?.hlc ?? null);
    }
    this.after(spec.name, id);
  }

  private log(tbl: string, rowId: string, field: string, value: SqlValue, base: string | null): void {
    const ctx = this.layer.context();
    let hlc = this.layer.tick();
    // After the value it replaces, always: a colleague's clock ahead of ours (clamped when we adopted it)
    // must not make this edit sort before what the mentor saw and lose to it silently.
    if (base !== null && hlc <= base) hlc = hlcToString(hlcSuccessor(parseHlc(base), ctx.deviceId));
    // What this laptop had pulled when the change was made: lets the service tell a delete racing an edit.
    const seen = this.layer.stmt("SELECT value FROM meta WHERE key = 'sync_cursor'").get() as { value: string } | undefined;
    this.layer
      .stmt('INSERT INTO change_log (op_id, tbl, row_id, field, value, hlc, device_id, user_id, base, seen_seq) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)')
      .run(uuidv7(), tbl, rowId, field, value === null ? null : JSON.stringify(value), hlc, ctx.deviceId, ctx.userId, base, seen ? Number(seen.value) : null);
    this.layer
      .stmt('INSERT INTO field_clocks (tbl, row_id, field, hlc) VALUES (?, ?, ?, ?) ON CONFLICT(tbl, row_id, field) DO UPDATE SET hlc = excluded.hlc')
      .run(tbl, rowId, field, hlc);
  }

  private after(tbl: string, id: string): void {
    this.changed.add(tbl);
    for (const hook of this.layer.hooks(tbl)) hook(this, tbl, id);
  }
}
