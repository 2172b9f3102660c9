/** SQL fragments the sync service builds its lookups from (both drivers, PGlite and PostgreSQL). */
import { and, eq, or, sql, type SQL } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';

/**
 * `column = any(<values>)`, the values as one JSON parameter made into an array once: one index probe per value.
 * A parameter per value cost more to build and plan than the lookup (twice the time of this for a push's
 * records on embedded PGlite); `in (select …)` of the same parameter was planned as a scan of the whole table.
 */
export const anyOf = (column: AnyPgColumn | SQL, values: readonly string[]): SQL => sql`${column} = any(array(select ${textValues(values)}))`;

/**
 * `values` as a set of text (null stays null), in their order, from one JSON parameter: a list to look up
 * (`in (select …)`), or a column of a batch. A batch's columns go side by side in
 * `rows from (textValues(a), textValues(b), …) with ordinality`, which pairs the i-th value of each. A JSON array
 * of strings is parsed several times faster than the same values as objects (json_to_recordset matches every
 * key of every object), and both drivers pass a JSON parameter whole.
 */
export const textValues = (values: readonly (string | null)[]): SQL => sql`json_array_elements_text(${JSON.stringify(values)}::json)`;
/**
 * `(tbl, row_id) in <keys>` as one `row_id = any(…)` per table. A literal list of row values becomes an OR tree
 * the size of the batch: slow to plan, not an index lookup, and embedded PGlite fails on one of a few hundred
 * rows (a push of 500 ops for as many records answered 500 for ever). A few tables per batch keep this short.
 */
export const rowTuples = (tblCol: AnyPgColumn, rowCol: AnyPgColumn, keys: { tbl: string; rowId: string }[]): SQL => {
  const byTbl = new Map<string, Set<string>>();
  for (const k of keys) {
    let ids = byTbl.get(k.tbl);
    if (!ids) byTbl.set(k.tbl, (ids = new Set()));
    ids.add(k.rowId);
  }
  if (byTbl.size === 0) return sql`false`;
  return or(...[...byTbl].map(([tbl, ids]) => and(eq(tblCol, tbl), anyOf(rowCol, [...ids])))) as SQL;
};

