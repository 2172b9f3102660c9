import type { SQLiteTable } from 'drizzle-orm/sqlite-core';
import { getTableName } from 'drizzle-orm';
import type { SqlValue, Tx, Values } from './mutations.ts';

/**
 * Saves a child collection (contacts, financial years…) of a parent row from a submitted form:
 * rows matched by id (or by `key`, e.g. the fiscal year) are updated and restored if archived, new rows
 * are inserted, and active rows that are no longer submitted are archived. Every row keeps its own id,
 * so concurrent additions on two devices merge as add-wins.
 */
export function saveCollection<T extends object>(
  tx: Tx,
  table: SQLiteTable,
  parent: { column: string; prop: string; id: string },
  rows: T[],
  toValues: (row: T) => Values,
  key?: { column: string; of: (row: T) => SqlValue },
): void {
  const existing = tx
    .all(`SELECT * FROM "${getTableName(table)}" WHERE "${parent.column}" = ?`, [parent.id])
    .map((r) => r as Record<string, unknown> & { id: string; deleted_at: string | null });
  const kept = new Set<string>();
  for (const row of rows) {
    const match =
      (idOf(row) ? existing.find((e) => e.id === idOf(row)) : undefined) ??
      (key ? existing.find((e) => e[key.column] === key.of(row)) : undefined);
    if (match && !kept.has(match.id)) {
      kept.add(match.id);
      tx.update(table, match.id, toValues(row));
      if (match.deleted_at !== null) tx.restore(table, match.id);
    } else {
      kept.add(tx.insert(table, { [parent.prop]: parent.id, ...toValues(row) }));
    }
  }
  for (const e of existing) if (!kept.has(e.id) && e.deleted_at === null) tx.archive(table, e.id);
}

function idOf(row: object): string | undefined {
  return 'id' in row && typeof row.id === 'string' ? row.id : undefined;
}
