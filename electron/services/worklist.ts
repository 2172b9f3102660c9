/**
 * "What is due" across the companies on this laptop: reads the dates from the database and applies the
 * pure rules in shared/domain/worklist.ts.
 */
import type Database from 'better-sqlite3';
import type { OpOutput } from '#shared/contract/index';
import { daysBetween, localToday } from '#shared/domain/dates';
import { actionDue, certificateDue, dueStatus, projectDue, sortDue, type DueItem } from '#shared/domain/worklist';
import type { Settings } from './settings.ts';

type Worklist = OpOutput<'worklist.list'>;
type Item = Worklist['items'][number];

export class WorklistService {
  constructor(
    private readonly sqlite: Database.Database,
    private readonly settings: Settings,
    private readonly today: () => string = () => localToday(),
  ) {}

  list(input: { pairId?: string | undefined; horizonDays: number }): Worklist {
    const today = this.today();
    const horizon = input.horizonDays;
    // Companies in scope: all live companies, or the ones assigned to the pair.
    const scope = input.pairId
      ? `JOIN pair_assignments pa ON pa.org_id = o.id AND pa.deleted_at IS NULL AND pa.pair_id = @pairId`
      : '';
    const params = input.pairId ? { pairId: input.pairId } : {};
    const items: Item[] = [];
    const add = (d: DueItem | null, orgId: string, orgName: string, subject: string, link: string) => {
      if (d) items.push({ ...d, status: dueStatus(d.dueOn, today), daysLeft: daysBetween(today, d.dueOn), link, orgId, orgName, subject });
    };

    const projects = this.sqlite
      .prepare(
        `SELECT p.id, p.title, p.starts_on, p.ends_on, o.id AS org_id, o.name AS org_name,
                (SELECT json_group_array(c.checked_on) FROM postbuild_checks c
                 WHERE c.project_id = p.id AND c.deleted_at IS NULL AND c.signed_at IS NOT NULL) AS signed
         FROM projects p JOIN organizations o ON o.id = p.org_id AND o.deleted_at IS NULL ${scope}
         WHERE p.deleted_at IS NULL`,
      )
      .all(params) as { id: string; title: string; starts_on: string; ends_on: string; org_id: string; org_name: string; signed: string }[];
    for (const p of projects) {
      const due = projectDue({ id: p.id, startsOn: p.starts_on, endsOn: p.ends_on, signedChecks: JSON.parse(p.signed) as string[] }, today, horizon);
      for (const d of due) add(d, p.org_id, p.org_name, p.title, `/projects/${p.id}${d.kind.includes('check') ? '?tab=check' : ''}`);
    }

    const certs = this.sqlite
      .prepare(
        `SELECT c.id, c.number, c.valid_until, c.confirmation_id, o.id AS org_id, o.name AS org_name,
                EXISTS (SELECT 1 FROM certificate_revocations r WHERE r.certificate_id = c.id AND r.deleted_at IS NULL) AS revoked
         FROM certificates c
         JOIN level_confirmations l ON l.id = c.confirmation_id
         JOIN organizations o ON o.id = l.org_id AND o.deleted_at IS NULL ${scope}
         WHERE c.deleted_at IS NULL`,
      )
      .all(params) as { id: string; number: string; valid_until: string; confirmation_id: string; org_id: string; org_name: string; revoked: number }[];
    for (const c of certs) add(certificateDue({ id: c.id, validUntil: c.valid_until, revoked: c.revoked === 1 }, today), c.org_id, c.org_name, c.number, `/levels/${c.confirmation_id}`);

    const actions = this.sqlite
      .prepare(
        `SELECT a.id, a.title, a.due_on, a.status, o.id AS org_id, o.name AS org_name
         FROM action_items a JOIN organizations o ON o.id = a.org_id AND o.deleted_at IS NULL ${scope}
         WHERE a.deleted_at IS NULL AND a.status = 'open' AND a.due_on IS NOT NULL`,
      )
      .all(params) as { id: string; title: string; due_on: string; status: string; org_id: string; org_name: string }[];
    for (const a of actions) add(actionDue({ id: a.id, dueOn: a.due_on, done: a.status !== 'open' }, today, horizon), a.org_id, a.org_name, a.title, `/companies/${a.org_id}`);

    const sorted = sortDue(items);
    const counts = { overdue: 0, soon: 0, upcoming: 0 };
    for (const i of sorted) counts[i.status] += 1;
    return { today, items: sorted, counts };
  }

  /** Once a day, when something is overdue or due this week. */
  remind(): OpOutput<'worklist.remind'> {
    const { counts, today } = this.list({ horizonDays: 60 });
    const show = counts.overdue + counts.soon > 0 && this.settings.get('worklist_reminded_on') !== today;
    if (show) this.settings.set('worklist_reminded_on', today);
    return { show, overdue: counts.overdue, soon: counts.soon };
  }
}
