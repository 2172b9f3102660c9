/**
 * Who may read and write which synced record and field: pure functions over facts the sync service loads
 * (the caller, the record's organisation and owner, the organisation's kind, region and assignment). The
 * per-table data (scope, writers, restricted fields) is shared/sync/scope.ts.
 *
 * The rules:
 * - An administrator reads and writes everything.
 * - Global records (mentors, mentor pairs) are readable by everyone; written by the table's writers
 *   (SYNC_POLICY).
 * - Attachment metadata (file name, type, size, hash) is read through the records that show the file (a
 *   visit photo, an evidence photo, a project photo): readable, and once created writable, by those who may
 *   read one of them. Anyone among the writers may create one (the record showing it comes with it or later).
 * - A mentor's organisations are the companies assigned to a pair they are in (an active, not deleted
 *   pair_assignments record of a not deleted pair naming their mentor id), the suppliers of their region
 *   (organizations.region = the account's region) and the organisations their account created. A company
 *   created by a mentor stays theirs only until it has an active assignment: from then on the assignment
 *   decides, so a company handed to another pair leaves its creator. A supplier they created stays theirs.
 * - A supplier consultant's organisations are the suppliers of their region and the suppliers they created;
 *   never a company.
 * - Records scoped to an organisation are readable by those whose organisations include it, and writable by
 *   them when their role is among the table's writers.
 * - Diagnoses and their children are per consultant: only the account that created the diagnosis (or an
 *   administrator) reads or writes it and its children, within that consultant's organisations. Mentors do
 *   not see diagnoses.
 * - A restricted field (SYNC_POLICY restrictedFields) may be changed only by its roles; the value it gets
 *   when the record is created (in the batch that creates it) is part of creating the record and allowed.
 */
import { SYNC_POLICY, type SyncRole, type TablePolicy } from '#shared/sync/scope';

export interface Actor {
  accountId: string;
  role: SyncRole;
  region: string | null;
  /** Companies assigned (actively) to the mentor pairs the account's mentor is in. */
  assignedOrgs: ReadonlySet<string>;
}

export interface OrgFacts {
  kind: 'company' | 'supplier' | null;
  region: string | null;
  createdBy: string | null;
  /** An active (not deleted) pair assignment names this organisation. */
  assigned: boolean;
}

export interface RecordFacts {
  tbl: string;
  rowId: string;
  /** The record's organisation; null for global records. */
  orgId: string | null;
  /** The creator, or for a child record its parent's owner. */
  ownerAccount: string;
}

/** Tables whose records belong to the consultant who created the diagnosis. */
export const OWNED_TABLES: ReadonlySet<string> = new Set(['diagnoses', 'diagnosis_answers', 'diagnosis_plan_items', 'diagnosis_signatures']);

export const policyOf = (tbl: string): TablePolicy | undefined => (Object.hasOwn(SYNC_POLICY, tbl) ? SYNC_POLICY[tbl] : undefined);

/** Whether the organisation is among the actor's organisations. */
export function canAccessOrg(actor: Actor, orgId: string, org: OrgFacts | undefined): boolean {
  if (actor.role === 'admin') return true;
  if (!org) return false;
  const mine = org.createdBy === actor.accountId;
  if (org.kind === 'supplier') return mine || (actor.region !== null && org.region === actor.region);
  if (org.kind === 'company') return actor.role === 'mentor' && (actor.assignedOrgs.has(orgId) || (mine && !org.assigned));
  return false;
}

/**
 * `readableReferrer`: for a record read through its referrers (attachment metadata), whether the actor may
 * read one of the records that refer to it (SyncService.referencedReadable finds out).
 */
export function canRead(actor: Actor, record: RecordFacts, org: OrgFacts | undefined, readableReferrer = false): boolean {
  const policy = policyOf(record.tbl);
  if (!policy) return false;
  if (actor.role === 'admin') return true;
  if (policy.scope.kind === 'global') return true;
  if (policy.scope.kind === 'referenced') return readableReferrer;
  if (record.orgId === null || !canAccessOrg(actor, record.orgId, org)) return false;
  if (OWNED_TABLES.has(record.tbl)) return actor.role === 'supplier_consultant' && record.ownerAccount === actor.accountId;
  return true;
}

/** The role may write records of this table at all. */
export const isWriter = (actor: Actor, tbl: string): boolean => actor.role === 'admin' || (policyOf(tbl)?.writers.includes(actor.role) ?? false);

export function canWrite(actor: Actor, record: RecordFacts, org: OrgFacts | undefined, readableReferrer = false): boolean {
  return isWriter(actor, record.tbl) && canRead(actor, record, org, readableReferrer);
}

/** A field change: restricted fields only by their roles, except the value given when the record is created. */
export function canWriteField(actor: Actor, tbl: string, field: string, creating: boolean): boolean {
  if (actor.role === 'admin' || creating) return true;
  const roles = policyOf(tbl)?.restrictedFields?.[field];
  return !roles || roles.includes(actor.role);
}

/** The organisation kind from its `kind` field's JSON text. */
export function parseKind(value: string | null | undefined): OrgFacts['kind'] {
  const v = parseJsonString(value);
  return v === 'company' || v === 'supplier' ? v : null;
}

/** A JSON string value (ids, codes) or null when the text is not one. */
export function parseJsonString(value: string | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  try {
    const v: unknown = JSON.parse(value);
    return typeof v === 'string' ? v : null;
  } catch {
    return null;
  }
}

/** A tombstone or lock value: set unless absent or JSON null. */
export const isSet = (value: string | null | undefined): boolean => value !== null && value !== undefined && value !== 'null';
