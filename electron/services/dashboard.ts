import type Database from 'better-sqlite3';
import { REGIONS } from '#shared/domain/regions';
import type { OpOutput } from '#shared/contract/index';

/** Portfolio counts for the dashboard, all from the database. */
export function dashboardSummary(sqlite: Database.Database): OpOutput<'dashboard.summary'> {
  const n = (sql: string) => (sqlite.prepare(sql).get() as { n: number }).n;
  const byRegion = sqlite
    .prepare(
      `SELECT region, sum(kind = 'company') AS companies, sum(kind = 'supplier') AS suppliers
       FROM organizations WHERE deleted_at IS NULL GROUP BY region`,
    )
    .all() as { region: string; companies: number; suppliers: number }[];
  const counts = new Map(byRegion.map((r) => [r.region, r]));
  const weekAgo = new Date(Date.now() - 7 * 86_400_000).toISOString();
  const types = sqlite
    .prepare(
      `SELECT coalesce(a.type_override, json_extract(a.result, '$.type')) AS type, count(*) AS n
       FROM assessments a JOIN organizations o ON o.id = a.org_id AND o.deleted_at IS NULL
       WHERE a.deleted_at IS NULL AND a.finalized_at IS NOT NULL
         AND a.finalized_at = (SELECT max(b.finalized_at) FROM assessments b WHERE b.org_id = a.org_id AND b.deleted_at IS NULL)
       GROUP BY 1`,
    )
    .all() as { type: 'excellent' | 'average' | 'weak'; n: number }[];
  const byType = { excellent: 0, average: 0, weak: 0 };
  for (const t of types) if (t.type in byType) byType[t.type] = t.n;
  const monthStart = `${new Date().toISOString().slice(0, 7)}-01`;
  return {
    byType,
    assessmentsInProgress: n('SELECT count(*) AS n FROM assessments WHERE deleted_at IS NULL AND finalized_at IS NULL'),
    visitsThisMonth: (sqlite.prepare('SELECT count(*) AS n FROM visits WHERE deleted_at IS NULL AND visited_on >= ?').get(monthStart) as { n: number }).n,
    actionsDue: (
      sqlite
        .prepare(
          `SELECT count(*) AS n FROM action_items a JOIN organizations o ON o.id = a.org_id AND o.deleted_at IS NULL
           WHERE a.deleted_at IS NULL AND a.status = 'open' AND a.due_on IS NOT NULL AND a.due_on <= ?`,
        )
        .get(new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10)) as { n: number }
    ).n,
    companies: n(`SELECT count(*) AS n FROM organizations WHERE kind = 'company' AND deleted_at IS NULL`),
    suppliers: n(`SELECT count(*) AS n FROM organizations WHERE kind = 'supplier' AND deleted_at IS NULL`),
    mentors: n('SELECT count(*) AS n FROM mentors WHERE deleted_at IS NULL'),
    pairs: n('SELECT count(*) AS n FROM mentor_pairs WHERE deleted_at IS NULL'),
    unassignedCompanies: n(
      `SELECT count(*) AS n FROM organizations o WHERE o.kind = 'company' AND o.deleted_at IS NULL
       AND NOT EXISTS (SELECT 1 FROM pair_assignments a WHERE a.org_id = o.id AND a.deleted_at IS NULL)`,
    ),
    byRegion: REGIONS.map((r) => ({
      region: r.code,
      companies: counts.get(r.code)?.companies ?? 0,
      suppliers: counts.get(r.code)?.suppliers ?? 0,
    })),
    recentChanges: (
      sqlite.prepare(`SELECT count(*) AS n FROM organizations WHERE kind = 'company' AND deleted_at IS NULL AND updated_at >= ?`).get(weekAgo) as { n: number }
    ).n,
  };
}
