/**
 * Korean-aware search over the registries. Each searchable row is one document in two contentless FTS5
 * indexes: trigrams (queries of 3+ characters) and every 1- and 2-character gram (shorter queries, which
 * trigrams cannot answer). Both carry the words and their 초성, so "대한", "정밀", "ㄷㅎㅈㅁ" and "대한정밀공업"
 * all find 대한정밀공업. The index is derived data, maintained in the writing transaction.
 */
import type Database from 'better-sqlite3';
import { choseongWords, queryTerms, searchWords, shortGrams } from '#shared/domain/search-text';

export type SearchEntity = 'company' | 'supplier' | 'mentor';

export class SearchIndex {
  private readonly upsertDoc: Database.Statement;
  private readonly findDoc: Database.Statement;
  private readonly delTri: Database.Statement;
  private readonly delGram: Database.Statement;
  private readonly insTri: Database.Statement;
  private readonly insGram: Database.Statement;

  constructor(private readonly sqlite: Database.Database) {
    this.findDoc = sqlite.prepare('SELECT rowid, signature FROM search_docs WHERE entity_id = ?');
    this.upsertDoc = sqlite.prepare(
      `INSERT INTO search_docs (entity, entity_id, active, sort_key, signature) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT(entity_id) DO UPDATE SET entity = excluded.entity, active = excluded.active, sort_key = excluded.sort_key,
         signature = excluded.signature
       RETURNING rowid`,
    );
    this.delTri = sqlite.prepare('DELETE FROM search_tri WHERE rowid = ?');
    this.delGram = sqlite.prepare('DELETE FROM search_gram WHERE rowid = ?');
    this.insTri = sqlite.prepare('INSERT INTO search_tri (rowid, body) VALUES (?, ?)');
    this.insGram = sqlite.prepare('INSERT INTO search_gram (rowid, body) VALUES (?, ?)');
  }

  /** (Re)indexes one entity from its searchable texts (name, representative, number…). */
  index(entity: SearchEntity, entityId: string, texts: string[], doc: { active: boolean; sortKey: string }): void {
    const signature = JSON.stringify([entity, doc.active, doc.sortKey, texts]);
    const found = this.findDoc.get(entityId) as { rowid: number; signature: string } | undefined;
    if (found?.signature === signature) return;
    const words = texts.flatMap(searchWords);
    const all = [...words, ...texts.flatMap(choseongWords)];
    const rowid = (this.upsertDoc.get(entity, entityId, doc.active ? 1 : 0, doc.sortKey, signature) as { rowid: number }).rowid;
    if (found) {
      this.delTri.run(rowid);
      this.delGram.run(rowid);
    }
    this.insTri.run(rowid, all.join(' '));
    this.insGram.run(rowid, [...new Set(all.flatMap(shortGrams))].join(' '));
  }

  /** Drops one entity's document (an organisation removed from this laptop, sync-scope.ts). */
  remove(entityId: string): void {
    const found = this.findDoc.get(entityId) as { rowid: number; signature: string } | undefined;
    if (!found) return;
    this.delTri.run(found.rowid);
    this.delGram.run(found.rowid);
    this.sqlite.prepare('DELETE FROM search_docs WHERE rowid = ?').run(found.rowid);
  }

  /**
   * SQL (and parameters) selecting the ids of `entity` rows that match every term of `query`, to use as
   * `id IN (…)`; null when the query has no terms.
   */
  matchClause(entity: SearchEntity, query: string): { sql: string; params: string[] } | null {
    const m = this.matchRowids(query);
    if (!m) return null;
    return { sql: `SELECT entity_id FROM search_docs WHERE +entity = ? AND rowid IN (${m.sql})`, params: [entity, ...m.params] };
  }

  /**
   * A page of matches sorted by name, answered from the index alone (no entity rows read) — the common case
   * of a search with no other filter. `prefixFirst` puts names starting with it first.
   */
  namePage(
    entity: SearchEntity,
    query: string,
    opts: { archived: 'active' | 'archived' | 'all'; dir: 'asc' | 'desc'; limit: number; offset: number },
  ): { total: number; ids: string[] } | null {
    const m = this.matchRowids(query);
    if (!m) return null;
    // Unary + keeps SQLite from scanning the (entity, active) index: the matches drive the loop.
    const active = opts.archived === 'all' ? '' : `AND +active = ${opts.archived === 'active' ? 1 : 0}`;
    const where = `+entity = ? ${active} AND rowid IN (${m.sql})`;
    const total = (this.sqlite.prepare(`SELECT count(*) AS n FROM search_docs WHERE ${where}`).get(entity, ...m.params) as { n: number }).n;
    const prefix = `${query.trim().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    const dir = opts.dir === 'desc' ? 'DESC' : 'ASC';
    const ids = (
      this.sqlite
        .prepare(
          `SELECT entity_id FROM search_docs WHERE ${where}
           ORDER BY CASE WHEN sort_key LIKE ? ESCAPE '\\' THEN 0 ELSE 1 END, sort_key ${dir}, entity_id LIMIT ? OFFSET ?`,
        )
        .all(entity, ...m.params, prefix, opts.limit, opts.offset) as { entity_id: string }[]
    ).map((r) => r.entity_id);
    return { total, ids };
  }

  private matchRowids(query: string): { sql: string; params: string[] } | null {
    const terms = queryTerms(query);
    if (terms.length === 0) return null;
    const quote = (t: string) => `"${t.replace(/"/g, '""')}"`;
    const short = terms.filter((t) => [...t].length < 3).map(quote);
    const long = terms.filter((t) => [...t].length >= 3).map(quote);
    const parts: string[] = [];
    const params: string[] = [];
    if (short.length) {
      parts.push('SELECT rowid FROM search_gram WHERE search_gram MATCH ?');
      params.push(short.join(' AND '));
    }
    if (long.length) {
      parts.push('SELECT rowid FROM search_tri WHERE search_tri MATCH ?');
      params.push(long.join(' AND '));
    }
    return { sql: parts.join(' INTERSECT '), params };
  }
}
