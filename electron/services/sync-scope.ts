/**
 * Scope checks on the laptop: a company taken away from this laptop's mentor pair leaves the laptop.
 *
 * The service stops sending an organisation's records once the caller may no longer read them (its
 * assignment was ended or moved to another pair), but pull never tells a laptop to let go of what it already
 * holds. After a successful round the runner asks the service which organisations this laptop may still hold
 * (GET /api/sync/scope) and this removes every other one it holds, with all its org-scoped records (the
 * tables SYNC_POLICY ties to an organisation, directly or through a parent), their change-log entries, field
 * clocks and open conflicts, its search document, and the attachment files nothing left on the laptop refers
 * to. Shared registry data (mentors, pairs) stays: every laptop reads it. A file's description (an
 * attachment row) is readable only through a record that shows it: once no record here shows it, it goes too.
 *
 * It is careful about what only this laptop has:
 * - an organisation with changes of this laptop not yet sent is kept, whole, until they are sent (the next
 *   round tries again); the service decides about them, not this check;
 * - changes the service refused stay in the log (the user's record of what was refused), only the rows go;
 * - an organisation the service never confirmed (none of its organisation record's entries was committed
 *   there) is kept: the service cannot answer for what it does not know, and the data exists only here;
 * - an organisation still referred to by a record that stays (a supplier named by another company's
 *   project) is kept, so no record is left pointing at nothing;
 * - nothing changes when the service cannot be asked, or says there is no restriction (an administrator).
 *
 * Each organisation is removed in one SQLite transaction, children before parents (foreign keys are on).
 * Files are deleted after the commit: a crash in between leaves an unused file, never a record without one.
 *
 * The other direction: an organisation in scope that this laptop has never received anything of (a pair
 * whose membership changed, an ended assignment restored) is fetched from the service's current state, as
 * a newly assigned company is during pull (SyncService.fetchOrganisation).
 */
import type Database from 'better-sqlite3';
import type { ScopeResponse } from '#shared/sync/protocol';
import { ATTACHMENT_REFERENCES, FILE_HASH_REFERENCES, SYNC_POLICY } from '#shared/sync/scope';
import { ATTACHMENT_IN_USE, type AttachmentStore } from './attachments.ts';
import type { Logger } from './logger.ts';
import type { SearchIndex } from './search.ts';
import type { SyncService } from './sync.ts';
import { TransportError, type SyncTransport } from './sync-transport.ts';

/** Organisations fetched per check at most (each is a few snapshot requests); the rest come with later checks. */
export const MAX_FETCH_PER_CHECK = 20;

/** Why an organisation outside the scope is still on this laptop. */
export type KeptReason =
  /** This laptop has changes of it not yet sent. */
  | 'pending'
  /** A record that stays refers to one of its records. */
  | 'referenced'
  /** The service never confirmed it: it exists only on this laptop. */
  | 'unconfirmed';

/** One organisation removed from this laptop. */
export interface RemovedOrganisation {
  orgId: string;
  kind: 'company' | 'supplier' | null;
  name: string | null;
  /** Rows removed, the organisation's own included. */
  records: number;
  /** Change-log entries removed (refused ones stay). */
  logEntries: number;
  /** Attachment files deleted (no record left on this laptop refers to them). */
  files: number;
}

/** What one scope check found and did. */
export interface ScopeSummary {
  /** The check did not run: the service does not offer it. */
  notRun: 'unsupported' | null;
  /** The service set no restriction (an administrator): nothing was removed. */
  unrestricted: boolean;
  removed: RemovedOrganisation[];
  /** Outside the scope but kept, and why (tried again with the next check). */
  kept: { orgId: string; reason: KeptReason }[];
  /** Organisations in scope this laptop lacked, fetched from the service. */
  fetched: string[];
  /** Descriptions of files no record on this laptop shows any more, removed (with the files). */
  unshownFiles: number;
}

/** The outcome of removing one organisation. */
export type RemovalResult = ({ removed: true } & RemovedOrganisation) | { removed: false; orgId: string; reason: KeptReason | 'absent' };

interface ForeignKey {
  /** The referring table and column. */
  tbl: string;
  column: string;
  /** The table referred to (by its id). */
  parent: string;
}

type Plan = { tbl: string; collect: { sql: string; args: 'org' | 'none' } }[];

export class ScopeCheck {
  private plan: Plan | null = null;
  private foreignKeys: ForeignKey[] | null = null;
  private deleteOrder: string[] | null = null;
  private readonly removedListeners: ((tables: ReadonlySet<string>) => void)[] = [];

  constructor(
    private readonly sqlite: Database.Database,
    private readonly sync: SyncService,
    private readonly tables: () => readonly string[],
    private readonly logger: Logger,
    private readonly search: SearchIndex | null = null,
    private readonly files: AttachmentStore | null = null,
  ) {}

  /** Called after an organisation was removed, with the tables it had rows in (the app refreshes what it shows). */
  onRemoved(listener: (tables: ReadonlySet<string>) => void): void {
    this.removedListeners.push(listener);
  }

  /**
   * Asks the service for this laptop's scope, removes what is outside it and fetches what is missing. Throws
   * what the transport throws before anything changed (a failed request removes nothing).
   */
  async run(transport: SyncTransport): Promise<ScopeSummary> {
    const summary: ScopeSummary = { notRun: null, unrestricted: false, removed: [], kept: [], fetched: [], unshownFiles: 0 };
    if (!transport.scope) return { ...summary, notRun: 'unsupported' };
    let answer: ScopeResponse;
    try {
      answer = await transport.scope();
    } catch (err) {
      // A service that predates scope checks: nothing to compare with.
      if (err instanceof TransportError && err.status === 404) return { ...summary, notRun: 'unsupported' };
      throw err;
    }
    if (answer.orgIds === null) return { ...summary, unrestricted: true };
    const scope = new Set(answer.orgIds);
    const held = (this.sqlite.prepare('SELECT id FROM organizations ORDER BY id').all() as { id: string }[]).map((r) => r.id);
    // Passes until nothing more goes: a supplier named by the project of a company that leaves too can go once
    // the company has.
    const kept = new Map<string, KeptReason>();
    let left = held.filter((id) => !scope.has(id));
    while (left.length > 0) {
      const retry: string[] = [];
      let removedNow = 0;
      for (const orgId of left) {
        const r = this.removeOrganisation(orgId);
        if (r.removed) {
          summary.removed.push({ orgId: r.orgId, kind: r.kind, name: r.name, records: r.records, logEntries: r.logEntries, files: r.files });
          kept.delete(orgId);
          removedNow++;
        } else if (r.reason !== 'absent') {
          kept.set(orgId, r.reason);
          if (r.reason === 'referenced') retry.push(orgId);
        }
      }
      // Each pass that removes something leaves fewer to retry: this ends.
      if (removedNow === 0) break;
      left = retry;
    }
    summary.kept = [...kept].map(([orgId, reason]) => ({ orgId, reason }));
    summary.unshownFiles = this.removeUnshownFiles();
    if (summary.kept.length > 0) this.logger.info({ kept: summary.kept.slice(0, 20), count: summary.kept.length }, 'sync scope: organisations outside this laptop’s scope kept for now');

    // In scope, nothing of it here: its history lies before this laptop's cursor (see the header).
    const known = this.sqlite.prepare("SELECT 1 FROM change_log WHERE tbl = 'organizations' AND row_id = ? LIMIT 1");
    const heldSet = new Set(held);
    const missing = answer.orgIds.filter((id) => !heldSet.has(id) && known.get(id) === undefined);
    if (transport.snapshot) {
      for (const orgId of missing.slice(0, MAX_FETCH_PER_CHECK)) {
        await this.sync.fetchOrganisation(transport, orgId);
        summary.fetched.push(orgId);
      }
    }
    return summary;
  }

  /**
   * Removes one organisation and every record tied to it, in one transaction, unless one of the rules in
   * the header keeps it. Exposed for tests and the bench; `run` decides which organisations to remove.
   */
  removeOrganisation(orgId: string): RemovalResult {
    const started = performance.now();
    let outcome: { kept: KeptReason | 'absent' } | { org: RemovedOrganisation; hashes: string[]; tables: Set<string> };
    try {
      outcome = this.withDropList(() => this.removeInTransaction(orgId));
    } catch (err) {
      // The reference check found nothing, yet a row still pointed at one being removed: all of it was rolled
      // back; keep the organisation rather than fail the other removals.
      if (!(err instanceof Error && /FOREIGN KEY constraint failed/.test(err.message))) throw err;
      this.logger.warn({ orgId, err: err.message }, 'sync scope: removing an organisation failed on a reference; kept');
      return { removed: false, orgId, reason: 'referenced' };
    }
    if ('kept' in outcome) return { removed: false, orgId, reason: outcome.kept };
    // After the commit: the file system is not part of the transaction.
    const org = { ...outcome.org, files: this.removeUnusedFiles(outcome.hashes) };
    this.logger.info(
      { orgId, kind: org.kind, records: org.records, logEntries: org.logEntries, files: org.files, ms: Math.round(performance.now() - started) },
      'sync scope: removed an organisation no longer in this laptop’s scope',
    );
    for (const l of this.removedListeners) l(outcome.tables);
    return { removed: true, ...org };
  }

  /** Runs `work` in one immediate transaction with temp.scope_drop, the list of records to remove, empty around it. */
  private withDropList<T>(work: () => T): T {
    this.sqlite.prepare('CREATE TEMP TABLE IF NOT EXISTS scope_drop (tbl TEXT NOT NULL, id TEXT NOT NULL, PRIMARY KEY (tbl, id)) WITHOUT ROWID').run();
    return this.sqlite
      .transaction(() => {
        try {
          return work();
        } finally {
          this.sqlite.prepare('DELETE FROM temp.scope_drop').run();
        }
      })
      .immediate();
  }

  private removeInTransaction(orgId: string): { kept: KeptReason | 'absent' } | { org: RemovedOrganisation; hashes: string[]; tables: Set<string> } {
    const org = this.sqlite.prepare('SELECT kind, name FROM organizations WHERE id = ?').get(orgId) as { kind: string; name: string } | undefined;
    if (!org) return { kept: 'absent' };
    const confirmed = this.sqlite.prepare("SELECT 1 FROM change_log WHERE tbl = 'organizations' AND row_id = ? AND server_seq IS NOT NULL LIMIT 1").get(orgId);
    if (!confirmed) return { kept: 'unconfirmed' };

    const records = this.collect(orgId);
    // Driven by the outbox index: the unsent entries are few, the organisation's records may be many.
    const pending = this.sqlite
      .prepare('SELECT 1 FROM change_log l WHERE l.server_seq IS NULL AND l.rejected_reason IS NULL AND EXISTS (SELECT 1 FROM temp.scope_drop d WHERE d.tbl = l.tbl AND d.id = l.row_id) LIMIT 1')
      .get();
    if (pending) return { kept: 'pending' };
    const referrer = this.referrer();
    if (referrer) {
      this.logger.info({ orgId, referrer }, 'sync scope: an organisation outside the scope is still referred to by a record that stays');
      return { kept: 'referenced' };
    }
    const hashes = this.fileHashes();
    const tables = new Set((this.sqlite.prepare('SELECT DISTINCT tbl FROM temp.scope_drop').all() as { tbl: string }[]).map((r) => r.tbl));

    const logEntries = this.dropListed();
    this.search?.remove(orgId);
    const kind = org.kind === 'company' || org.kind === 'supplier' ? org.kind : null;
    return { org: { orgId, kind, name: org.name, records, logEntries, files: 0 }, hashes, tables };
  }

  /**
   * Removes the descriptions of files no record on this laptop shows any more (their records left with an
   * organisation, were purged, or — before the service scoped them — never were here): the service lets a
   * laptop read a file's description only through a record that shows it, and would not send it again. Kept:
   * those with changes of this laptop not yet sent, and those a record waiting in the log (its ops arrived,
   * it could not be written yet) will show. The bytes go after the commit, unless a certificate uses them.
   */
  removeUnshownFiles(): number {
    // (NOT IN over a list holding a NULL is never true: a waiting op that clears the field must not stop this.)
    const waiting = ATTACHMENT_REFERENCES.map((r) => `SELECT json_extract(value, '$') AS id FROM change_log WHERE applied = 0 AND tbl = '${r.tbl}' AND field = '${r.column}' AND json_extract(value, '$') IS NOT NULL`);
    const unshown = this.sqlite
      .prepare(
        `SELECT id, sha256 FROM attachments a WHERE NOT (${ATTACHMENT_IN_USE}) AND id NOT IN (${waiting.join(' UNION ')})
         AND NOT EXISTS (SELECT 1 FROM change_log l WHERE l.tbl = 'attachments' AND l.row_id = a.id AND l.server_seq IS NULL AND l.rejected_reason IS NULL)`,
      )
      .all() as { id: string; sha256: string }[];
    if (unshown.length === 0) return 0;
    this.withDropList(() => {
      const list = this.sqlite.prepare("INSERT INTO temp.scope_drop (tbl, id) VALUES ('attachments', ?)");
      for (const a of unshown) list.run(a.id);
      this.dropListed();
    });
    // Bytes another description here still names stay (it may be shown once a waiting record is written).
    const described = this.sqlite.prepare('SELECT 1 FROM attachments WHERE sha256 = ? LIMIT 1');
    const files = this.removeUnusedFiles([...new Set(unshown.map((a) => a.sha256))].filter((sha) => described.get(sha) === undefined));
    this.logger.info({ descriptions: unshown.length, files }, 'sync scope: removed descriptions of files no record here shows');
    for (const l of this.removedListeners) l(new Set(['attachments']));
    return unshown.length;
  }

  /**
   * Deletes the records listed in temp.scope_drop: their open conflicts, clocks and log entries (refused ones
   * stay: they are what the user is shown of the changes the service would not take), then the rows, referring
   * rows before the rows they refer to. Returns the log entries removed.
   */
  private dropListed(): number {
    this.sqlite.prepare('DELETE FROM sync_conflicts WHERE (tbl, row_id) IN (SELECT tbl, id FROM temp.scope_drop)').run();
    // Per record, through the (tbl, row_id) indexes: the log and the clocks hold every laptop's records.
    const clocks = this.sqlite.prepare('DELETE FROM field_clocks WHERE tbl = ? AND row_id = ?');
    const log = this.sqlite.prepare('DELETE FROM change_log WHERE tbl = ? AND row_id = ? AND rejected_reason IS NULL');
    let logEntries = 0;
    for (const r of this.sqlite.prepare('SELECT tbl, id FROM temp.scope_drop').all() as { tbl: string; id: string }[]) {
      clocks.run(r.tbl, r.id);
      logEntries += log.run(r.tbl, r.id).changes;
    }
    // Tables outside the organisation plan (files' descriptions) last: only the plan's rows refer to them.
    const listed = (this.sqlite.prepare('SELECT DISTINCT tbl FROM temp.scope_drop').all() as { tbl: string }[]).map((r) => r.tbl);
    const order = this.order();
    for (const tbl of [...order, ...listed.filter((t) => !order.includes(t))]) this.sqlite.prepare(`DELETE FROM "${tbl}" WHERE id IN (SELECT id FROM temp.scope_drop WHERE tbl = ?)`).run(tbl);
    return logEntries;
  }

  /** Fills temp.scope_drop with the organisation and every record tied to it; returns how many. */
  private collect(orgId: string): number {
    // Emptied first, not only after: a rolled-back removal takes its clean-up with it.
    this.sqlite.prepare('DELETE FROM temp.scope_drop').run();
    let n = 0;
    for (const step of this.collectPlan()) n += this.sqlite.prepare(step.collect.sql).run(...(step.collect.args === 'org' ? [orgId] : [])).changes;
    return n;
  }

  /**
   * How to find an organisation's records, table by table, a parent table before the tables scoped through it
   * (SYNC_POLICY), for the tables this version has.
   */
  private collectPlan(): Plan {
    if (this.plan) return this.plan;
    const local = new Set(this.tables());
    const depth = (tbl: string, seen: Set<string> = new Set()): number => {
      const s = SYNC_POLICY[tbl]?.scope;
      if (!s || s.kind === 'global' || s.kind === 'referenced' || seen.has(tbl)) return -1;
      if (s.kind === 'self') return 0;
      if (s.kind === 'org') return 1;
      const d = depth(s.parent, new Set([...seen, tbl]));
      return d < 0 ? -1 : d + 1;
    };
    const scoped = Object.keys(SYNC_POLICY)
      .filter((tbl) => local.has(tbl) && depth(tbl) >= 0)
      .sort((a, b) => depth(a) - depth(b));
    this.plan = scoped.map((tbl) => {
      const s = SYNC_POLICY[tbl]?.scope;
      if (s?.kind === 'org') return { tbl, collect: { sql: `INSERT OR IGNORE INTO temp.scope_drop SELECT '${tbl}', id FROM "${tbl}" WHERE "${s.field}" = ?`, args: 'org' } };
      if (s?.kind === 'parent') {
        return { tbl, collect: { sql: `INSERT OR IGNORE INTO temp.scope_drop SELECT '${tbl}', id FROM "${tbl}" WHERE "${s.field}" IN (SELECT id FROM temp.scope_drop WHERE tbl = '${s.parent}')`, args: 'none' } };
      }
      return { tbl, collect: { sql: `INSERT OR IGNORE INTO temp.scope_drop SELECT '${tbl}', id FROM "${tbl}" WHERE id = ?`, args: 'org' } };
    });
    return this.plan;
  }

  /** The foreign keys between synced tables, as the database declares them. */
  private keys(): ForeignKey[] {
    if (this.foreignKeys) return this.foreignKeys;
    const out: ForeignKey[] = [];
    for (const tbl of this.tables()) {
      for (const fk of this.sqlite.prepare(`SELECT "table" AS parent, "from" AS col FROM pragma_foreign_key_list(?)`).all(tbl) as { parent: string; col: string }[]) {
        out.push({ tbl, column: fk.col, parent: fk.parent });
      }
    }
    this.foreignKeys = out;
    return out;
  }

  /**
   * The tables in an order that deletes every referring row before the row it refers to (foreign keys are
   * checked per statement). Rows of a table that refer to rows of the same table go in one statement.
   */
  private order(): string[] {
    if (this.deleteOrder) return this.deleteOrder;
    const tables = [...new Set(this.collectPlan().map((p) => p.tbl))];
    const inPlan = new Set(tables);
    const referrers = new Map<string, Set<string>>(tables.map((t) => [t, new Set()]));
    for (const k of this.keys()) if (inPlan.has(k.tbl) && inPlan.has(k.parent) && k.tbl !== k.parent) referrers.get(k.parent)?.add(k.tbl);
    const ordered: string[] = [];
    const placed = new Set<string>();
    const visiting = new Set<string>();
    const place = (t: string) => {
      if (placed.has(t)) return;
      // A cycle between tables would need deferred checks; none exists, and a failing statement rolls back.
      if (visiting.has(t)) return;
      visiting.add(t);
      for (const r of referrers.get(t) ?? []) place(r);
      visiting.delete(t);
      placed.add(t);
      ordered.push(t);
    };
    for (const t of tables) place(t);
    this.deleteOrder = ordered;
    return ordered;
  }

  /** A record that stays but refers to one being removed (table, id, column), if any. */
  private referrer(): { tbl: string; id: string; column: string } | null {
    const dropping = new Set((this.sqlite.prepare('SELECT DISTINCT tbl FROM temp.scope_drop').all() as { tbl: string }[]).map((r) => r.tbl));
    for (const k of this.keys()) {
      if (!dropping.has(k.parent)) continue;
      const row = this.sqlite
        .prepare(
          `SELECT r.id FROM "${k.tbl}" r WHERE r."${k.column}" IN (SELECT id FROM temp.scope_drop WHERE tbl = ?)
           AND NOT EXISTS (SELECT 1 FROM temp.scope_drop d WHERE d.tbl = ? AND d.id = r.id) LIMIT 1`,
        )
        .get(k.parent, k.tbl) as { id: string } | undefined;
      if (row) return { tbl: k.tbl, id: row.id, column: k.column };
    }
    return null;
  }

  /** The hashes of the files the records being removed refer to. */
  private fileHashes(): string[] {
    const hashes = new Set<string>();
    for (const r of ATTACHMENT_REFERENCES) {
      const rows = this.sqlite
        .prepare(`SELECT a.sha256 FROM "${r.tbl}" x JOIN attachments a ON a.id = x."${r.column}" WHERE x.id IN (SELECT id FROM temp.scope_drop WHERE tbl = ?)`)
        .all(r.tbl) as { sha256: string }[];
      for (const h of rows) hashes.add(h.sha256);
    }
    for (const r of FILE_HASH_REFERENCES) {
      const rows = this.sqlite.prepare(`SELECT "${r.column}" AS sha256 FROM "${r.tbl}" WHERE id IN (SELECT id FROM temp.scope_drop WHERE tbl = ?)`).all(r.tbl) as { sha256: string }[];
      for (const h of rows) hashes.add(h.sha256);
    }
    return [...hashes];
  }

  /** Deletes the files no record left on this laptop refers to; returns how many. */
  private removeUnusedFiles(hashes: readonly string[]): number {
    if (!this.files || hashes.length === 0) return 0;
    const uses = [
      ...ATTACHMENT_REFERENCES.map((r) => `SELECT 1 FROM "${r.tbl}" x JOIN attachments a ON a.id = x."${r.column}" WHERE a.sha256 = ?`),
      ...FILE_HASH_REFERENCES.map((r) => `SELECT 1 FROM "${r.tbl}" WHERE "${r.column}" = ?`),
    ];
    const used = this.sqlite.prepare(`SELECT EXISTS (${uses.join(' UNION ALL ')}) AS used`);
    // The service may delete bytes no record names: once gone from here, they are asked about again if they come back.
    const forget = this.sqlite.prepare('DELETE FROM blob_uploads WHERE sha256 = ?');
    let removed = 0;
    for (const sha of hashes) {
      if ((used.get(...uses.map(() => sha)) as { used: number }).used) continue;
      forget.run(sha);
      if (this.files.remove(sha)) removed++;
    }
    return removed;
  }
}
