/**
 * Follow-up actions (후속 조치). Finalising an assessment turns its weakest answers into actions for the
 * company — what, owner on the company side, due date, severity — which the mentors then edit and close.
 */
import type Database from 'better-sqlite3';
import { notFound } from '#shared/contract/errors';
import type { Instrument } from '#shared/instruments/types';
import type { AssessmentResult } from '#shared/scoring/assessment';
import { actionItems } from '#db/schema';
import type { MutationLayer, Tx } from './mutations.ts';

export type Severity = 'high' | 'medium' | 'low';

export interface ActionItemRow {
  id: string;
  orgId: string;
  assessmentId: string | null;
  itemId: string | null;
  title: string;
  owner: string;
  dueOn: string | null;
  severity: Severity;
  status: 'open' | 'done';
  createdAt: string;
}

/** Answers scoring at most this share of their maximum become actions; the lowest are the most severe. */
const LOW = 0.5;
const VERY_LOW = 0.25;
const DUE_DAYS = { high: 60, medium: 120, low: 180 } as const;

export function actionsFromResult(instrument: Instrument, result: AssessmentResult, lang: 'ko' | 'en', today: Date): { itemId: string; title: string; severity: Severity; dueOn: string }[] {
  const items = new Map(instrument.sections.flatMap((s) => s.items.map((i) => [i.id, i] as const)));
  return result.items
    .filter((r) => r.status === 'answered' && r.score !== null && r.score <= LOW && r.axisShare > 0)
    .sort((a, b) => (a.score ?? 0) - (b.score ?? 0) || b.axisShare - a.axisShare)
    .slice(0, 8)
    .map((r) => {
      const severity: Severity = (r.score ?? 0) <= VERY_LOW ? 'high' : 'medium';
      const due = new Date(today.getTime() + DUE_DAYS[severity] * 86_400_000).toISOString().slice(0, 10);
      const item = items.get(r.id);
      return { itemId: r.id, title: item ? item.text[lang] : r.id, severity, dueOn: due };
    });
}

export class ActionItemService {
  constructor(
    private readonly sqlite: Database.Database,
    private readonly mutations: MutationLayer,
  ) {}

  /** Called inside the finalising transaction. */
  createFromAssessment(tx: Tx, orgId: string, assessmentId: string, actions: ReturnType<typeof actionsFromResult>): void {
    for (const a of actions) tx.insert(actionItems, { orgId, assessmentId, itemId: a.itemId, title: a.title, severity: a.severity, dueOn: a.dueOn, owner: '', status: 'open' });
  }

  list(orgId: string): ActionItemRow[] {
    const rows = this.sqlite
      .prepare(
        `SELECT * FROM action_items WHERE org_id = ? AND deleted_at IS NULL
         ORDER BY status = 'done', due_on IS NULL, due_on, CASE severity WHEN 'high' THEN 0 WHEN 'medium' THEN 1 ELSE 2 END, created_at`,
      )
      .all(orgId) as { id: string; org_id: string; assessment_id: string | null; item_id: string | null; title: string; owner: string; due_on: string | null; severity: Severity; status: 'open' | 'done'; created_at: string }[];
    return rows.map((r) => ({ id: r.id, orgId: r.org_id, assessmentId: r.assessment_id, itemId: r.item_id, title: r.title, owner: r.owner, dueOn: r.due_on, severity: r.severity, status: r.status, createdAt: r.created_at }));
  }

  create(orgId: string, data: { title: string; owner: string; dueOn: string | null; severity: Severity }): string {
    return this.mutations.transaction((tx) => {
      const [org] = tx.all("SELECT id FROM organizations WHERE id = ? AND kind = 'company' AND deleted_at IS NULL", [orgId]);
      if (!org) throw notFound('company');
      return tx.insert(actionItems, { orgId, title: data.title, owner: data.owner, dueOn: data.dueOn, severity: data.severity, status: 'open' });
    });
  }

  update(id: string, data: { title: string; owner: string; dueOn: string | null; severity: Severity; status: 'open' | 'done' }): string {
    return this.mutations.transaction((tx) => {
      const row = tx.get(actionItems, id);
      if (!row || row.deleted_at !== null) throw notFound('action');
      tx.update(actionItems, id, data);
      return id;
    });
  }
}
