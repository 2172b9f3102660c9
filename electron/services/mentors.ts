/**
 * DX mentors and their pairs (one process expert + one AI expert), and the matching of a company with
 * a pair for the whole cycle (역량평가·컨설팅 → 구축지원 → 사후관리).
 */
import type Database from 'better-sqlite3';
import type { z } from 'zod';
import { AppError, fieldConflict, notFound } from '#shared/contract/errors';
import type { MentorData, MentorRow, PairRow, mentorListInput } from '#shared/schemas/mentors';
import { mentorPairs, mentors, organizations, pairAssignments } from '#db/schema';
import type { MutationLayer, Tx } from './mutations.ts';
import type { SearchIndex } from './search.ts';

type ListInput = z.output<typeof mentorListInput>;

interface MentorSqlRow {
  id: string;
  name: string;
  affiliation_type: MentorRow['affiliationType'];
  affiliation_name: string;
  expertise: MentorRow['expertise'];
  region: string;
  phone: string;
  email: string;
  updated_at: string;
  deleted_at: string | null;
  pair_id: string | null;
  partner_name: string | null;
}

const MENTOR_SELECT = `
  SELECT m.*, p.id AS pair_id,
         (SELECT name FROM mentors x WHERE x.id = CASE WHEN p.process_mentor_id = m.id THEN p.ai_mentor_id ELSE p.process_mentor_id END) AS partner_name
  FROM mentors m
  LEFT JOIN mentor_pairs p ON p.deleted_at IS NULL AND (p.process_mentor_id = m.id OR p.ai_mentor_id = m.id)`;

const SORT_SQL: Record<ListInput['sort']['field'], string> = {
  name: 'm.name',
  region: 'm.region',
  expertise: 'm.expertise',
  updatedAt: 'm.updated_at',
};

function toRow(r: MentorSqlRow): MentorRow {
  return {
    id: r.id,
    name: r.name,
    affiliationType: r.affiliation_type,
    affiliationName: r.affiliation_name,
    expertise: r.expertise,
    region: r.region,
    phone: r.phone,
    email: r.email,
    pairId: r.pair_id,
    partnerName: r.partner_name,
    updatedAt: r.updated_at,
    deletedAt: r.deleted_at,
  };
}

export class MentorService {
  constructor(
    private readonly sqlite: Database.Database,
    private readonly mutations: MutationLayer,
    private readonly search: SearchIndex,
  ) {
    mutations.onWrite(mentors, (tx, _t, id) => {
      const row = tx.get(mentors, id) as { name: string; affiliation_name: string; deleted_at: string | null };
      search.index('mentor', id, [row.name, row.affiliation_name], { active: row.deleted_at === null, sortKey: row.name });
    });
    mutations.onRemove(mentors, (_t, id) => search.remove(id));
  }

  list(input: ListInput): { rows: MentorRow[]; total: number } {
    const where: string[] = ['1 = 1'];
    const params: (string | number)[] = [];
    if (input.archived === 'active') where.push('m.deleted_at IS NULL');
    if (input.archived === 'archived') where.push('m.deleted_at IS NOT NULL');
    const inList = (col: string, values: readonly string[]) => {
      if (!values.length) return;
      where.push(`${col} IN (${values.map(() => '?').join(',')})`);
      params.push(...values);
    };
    inList('m.region', input.regions);
    inList('m.expertise', input.expertise);
    inList('m.affiliation_type', input.affiliationTypes);
    const match = this.search.matchClause('mentor', input.query);
    if (match) {
      where.push(`m.id IN (${match.sql})`);
      params.push(...match.params);
    }
    // (500 mentors: a scan is cheap, unlike the company registry.)
    const w = where.join(' AND ');
    const total = (this.sqlite.prepare(`SELECT count(*) AS n FROM mentors m WHERE ${w}`).get(...params) as { n: number }).n;
    const dir = input.sort.dir === 'desc' ? 'DESC' : 'ASC';
    const rows = this.sqlite
      .prepare(`${MENTOR_SELECT} WHERE ${w} ORDER BY ${SORT_SQL[input.sort.field]} ${dir}, m.name, m.id LIMIT ? OFFSET ?`)
      .all(...params, input.pageSize, (input.page - 1) * input.pageSize) as MentorSqlRow[];
    return { total, rows: rows.map(toRow) };
  }

  get(id: string): MentorRow {
    const r = this.sqlite.prepare(`${MENTOR_SELECT} WHERE m.id = ?`).get(id) as MentorSqlRow | undefined;
    if (!r) throw notFound('mentor');
    return toRow(r);
  }

  create(data: MentorData): string {
    return this.mutations.transaction((tx) => tx.insert(mentors, { ...data }));
  }

  update(id: string, data: MentorData): string {
    return this.mutations.transaction((tx) => {
      const current = tx.get(mentors, id);
      if (!current) throw notFound('mentor');
      const pair = this.activePairOf(tx, id);
      if (pair && current.expertise !== data.expertise) {
        // A pair is one process and one AI expert; changing expertise would break it.
        throw fieldConflict('expertise', 'validation.mentor.expertiseInPair');
      }
      tx.update(mentors, id, { ...data });
      return id;
    });
  }

  /** Archives a mentor and dissolves their pair (the pair's companies become unassigned). */
  archive(id: string): string {
    return this.mutations.transaction((tx) => {
      if (!tx.get(mentors, id)) throw notFound('mentor');
      const pair = this.activePairOf(tx, id);
      if (pair) this.dissolveIn(tx, pair);
      tx.archive(mentors, id);
      return id;
    });
  }

  restore(id: string): string {
    return this.mutations.transaction((tx) => {
      if (!tx.get(mentors, id)) throw notFound('mentor');
      tx.restore(mentors, id);
      return id;
    });
  }

  pairs(query: string): PairRow[] {
    const match = this.search.matchClause('mentor', query);
    const filter = match ? `AND (p.process_mentor_id IN (${match.sql}) OR p.ai_mentor_id IN (${match.sql}))` : '';
    const params = match ? [...match.params, ...match.params] : [];
    const rows = this.sqlite
      .prepare(
        `SELECT p.id, p.process_mentor_id, pm.name AS process_mentor, p.ai_mentor_id, am.name AS ai_mentor,
                pm.region, p.created_at,
                (SELECT count(*) FROM pair_assignments a JOIN organizations o ON o.id = a.org_id WHERE a.pair_id = p.id AND a.deleted_at IS NULL AND o.deleted_at IS NULL) AS company_count
         FROM mentor_pairs p JOIN mentors pm ON pm.id = p.process_mentor_id JOIN mentors am ON am.id = p.ai_mentor_id
         WHERE p.deleted_at IS NULL ${filter}
         ORDER BY pm.region, pm.name`,
      )
      .all(...params) as {
      id: string;
      process_mentor_id: string;
      process_mentor: string;
      ai_mentor_id: string;
      ai_mentor: string;
      region: string;
      created_at: string;
      company_count: number;
    }[];
    return rows.map((r) => ({
      id: r.id,
      processMentorId: r.process_mentor_id,
      processMentor: r.process_mentor,
      aiMentorId: r.ai_mentor_id,
      aiMentor: r.ai_mentor,
      region: r.region,
      companyCount: r.company_count,
      createdAt: r.created_at,
    }));
  }

  createPair(processMentorId: string, aiMentorId: string): string {
    return this.mutations.transaction((tx) => {
      const checks: [string, string, 'process' | 'ai'][] = [
        ['processMentorId', processMentorId, 'process'],
        ['aiMentorId', aiMentorId, 'ai'],
      ];
      const fields: Record<string, { key: string }> = {};
      for (const [field, id, expertise] of checks) {
        const m = tx.get(mentors, id);
        if (!m || m.deleted_at !== null) fields[field] = { key: 'validation.pair.mentorMissing' };
        else if (m.expertise !== expertise) fields[field] = { key: `validation.pair.needs_${expertise}` };
        else if (this.activePairOf(tx, id)) fields[field] = { key: 'validation.pair.alreadyPaired' };
      }
      if (Object.keys(fields).length) {
        throw new AppError({ code: 'validation', messageKey: 'errors.validation', fields });
      }
      return tx.insert(mentorPairs, { processMentorId, aiMentorId });
    });
  }

  dissolvePair(id: string): string {
    return this.mutations.transaction((tx) => {
      const p = tx.get(mentorPairs, id);
      if (!p) throw notFound('pair');
      this.dissolveIn(tx, id);
      return id;
    });
  }

  /** Matches a company with a pair (ending any current match); `pairId` null only ends it. */
  assign(companyId: string, pairId: string | null, assignedOn: string): { companyId: string; pairId: string | null } {
    return this.mutations.transaction((tx) => {
      const org = tx.get(organizations, companyId);
      if (!org || org.kind !== 'company') throw notFound('company');
      if (org.deleted_at !== null) throw new AppError({ code: 'conflict', messageKey: 'errors.archived' });
      if (pairId) {
        const p = tx.get(mentorPairs, pairId);
        if (!p || p.deleted_at !== null) throw fieldConflict('pairId', 'validation.pair.missing');
      }
      const current = tx.all('SELECT id, pair_id FROM pair_assignments WHERE org_id = ? AND deleted_at IS NULL', [companyId]) as {
        id: string;
        pair_id: string;
      }[];
      if (current.length === 1 && current[0]?.pair_id === pairId) return { companyId, pairId };
      for (const a of current) tx.archive(pairAssignments, a.id);
      if (pairId) tx.insert(pairAssignments, { pairId, orgId: companyId, assignedOn });
      return { companyId, pairId };
    });
  }

  private activePairOf(tx: Tx, mentorId: string): string | undefined {
    const [row] = tx.all(
      'SELECT id FROM mentor_pairs WHERE deleted_at IS NULL AND (process_mentor_id = ? OR ai_mentor_id = ?)',
      [mentorId, mentorId],
    ) as { id: string }[];
    return row?.id;
  }

  private dissolveIn(tx: Tx, pairId: string): void {
    const assignments = tx.all('SELECT id FROM pair_assignments WHERE pair_id = ? AND deleted_at IS NULL', [pairId]) as { id: string }[];
    for (const a of assignments) tx.archive(pairAssignments, a.id);
    tx.archive(mentorPairs, pairId);
  }
}
