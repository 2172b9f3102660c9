import { describe, expect, it } from 'vitest';
import { SYNC_POLICY } from '#shared/sync/scope';
import { canAccessOrg, canRead, canWrite, canWriteField, parseJsonString, parseKind, type Actor, type OrgFacts } from '../../server/sync/authorize.ts';
import { isLockValue, LOCK_FIELDS, LOCKED_WITH_PARENT } from '../../server/sync/locks.ts';

const mentor: Actor = { accountId: 'm', role: 'mentor', region: '41', assignedOrgs: new Set(['c1']) };
const consultant: Actor = { accountId: 'k', role: 'supplier_consultant', region: '41', assignedOrgs: new Set() };
const admin: Actor = { accountId: 'a', role: 'admin', region: null, assignedOrgs: new Set() };
const company = (o: Partial<OrgFacts> = {}): OrgFacts => ({ kind: 'company', region: '41', createdBy: 'a', assigned: true, ...o });
const supplier = (o: Partial<OrgFacts> = {}): OrgFacts => ({ kind: 'supplier', region: '41', createdBy: 'a', assigned: false, ...o });

describe('sync authorisation rules (pure)', () => {
  it('mentors: assigned companies, their own unassigned companies, their region’s suppliers', () => {
    expect(canAccessOrg(mentor, 'c1', company())).toBe(true);
    expect(canAccessOrg(mentor, 'c2', company())).toBe(false);
    expect(canAccessOrg(mentor, 'c3', company({ createdBy: 'm', assigned: false }))).toBe(true);
    expect(canAccessOrg(mentor, 'c3', company({ createdBy: 'm', assigned: true }))).toBe(false);
    expect(canAccessOrg(mentor, 's1', supplier())).toBe(true);
    expect(canAccessOrg(mentor, 's2', supplier({ region: '26' }))).toBe(false);
    expect(canAccessOrg(mentor, 's3', supplier({ region: '26', createdBy: 'm' }))).toBe(true);
    expect(canAccessOrg(mentor, 'x', undefined)).toBe(false);
    expect(canAccessOrg(mentor, 'x', { kind: null, region: '41', createdBy: 'm', assigned: false })).toBe(false);
    expect(canAccessOrg({ ...mentor, region: null }, 's1', supplier({ region: null }))).toBe(false);
  });

  it('consultants: suppliers only, and only their own diagnoses', () => {
    expect(canAccessOrg(consultant, 'c1', company({ createdBy: 'k', assigned: false }))).toBe(false);
    expect(canRead(consultant, { tbl: 'diagnoses', rowId: 'r', orgId: 's1', ownerAccount: 'k' }, supplier())).toBe(true);
    expect(canRead(consultant, { tbl: 'diagnosis_answers', rowId: 'r', orgId: 's1', ownerAccount: 'other' }, supplier())).toBe(false);
    expect(canRead(mentor, { tbl: 'diagnoses', rowId: 'r', orgId: 's1', ownerAccount: 'm' }, supplier())).toBe(false);
    expect(canWrite(consultant, { tbl: 'visits', rowId: 'r', orgId: 's1', ownerAccount: 'k' }, supplier())).toBe(false);
    expect(canWrite(consultant, { tbl: 'financials', rowId: 'r', orgId: 's1', ownerAccount: 'k' }, supplier())).toBe(true);
  });

  it('global tables are readable by all, written by their writers; unknown tables by no one', () => {
    expect(canRead(consultant, { tbl: 'mentors', rowId: 'r', orgId: null, ownerAccount: 'a' }, undefined)).toBe(true);
    expect(canWrite(mentor, { tbl: 'mentors', rowId: 'r', orgId: null, ownerAccount: 'm' }, undefined)).toBe(false);
    // Attachment metadata is read (and changed) through a record showing the file that the caller may read.
    expect(canRead(mentor, { tbl: 'attachments', rowId: 'r', orgId: null, ownerAccount: 'm' }, undefined)).toBe(false);
    expect(canRead(mentor, { tbl: 'attachments', rowId: 'r', orgId: null, ownerAccount: 'x' }, undefined, true)).toBe(true);
    expect(canWrite(mentor, { tbl: 'attachments', rowId: 'r', orgId: null, ownerAccount: 'm' }, undefined)).toBe(false);
    expect(canWrite(mentor, { tbl: 'attachments', rowId: 'r', orgId: null, ownerAccount: 'm' }, undefined, true)).toBe(true);
    expect(canRead(admin, { tbl: 'attachments', rowId: 'r', orgId: null, ownerAccount: 'm' }, undefined)).toBe(true);
    expect(canRead(admin, { tbl: 'secrets', rowId: 'r', orgId: null, ownerAccount: 'a' }, undefined)).toBe(false);
    expect(canRead(admin, { tbl: 'toString', rowId: 'r', orgId: null, ownerAccount: 'a' }, undefined)).toBe(false);
    expect(canWrite(admin, { tbl: 'sanctions', rowId: 'r', orgId: 'c2', ownerAccount: 'a' }, undefined)).toBe(true);
    expect(canWrite(mentor, { tbl: 'sanctions', rowId: 'r', orgId: 'c1', ownerAccount: 'm' }, company())).toBe(false);
  });

  it('restricted fields: only their roles change them; creating a record gives them their first value', () => {
    expect(canWriteField(mentor, 'organizations', 'kind', false)).toBe(false);
    expect(canWriteField(mentor, 'organizations', 'kind', true)).toBe(true);
    expect(canWriteField(mentor, 'organizations', 'name', false)).toBe(true);
    expect(canWriteField(consultant, 'portal_profiles', 'approved_at', false)).toBe(false);
    expect(canWriteField(admin, 'portal_profiles', 'approved_at', false)).toBe(true);
  });

  it('reads JSON values defensively', () => {
    expect(parseKind('"company"')).toBe('company');
    expect(parseKind('company')).toBe(null);
    expect(parseKind('"other"')).toBe(null);
    expect(parseJsonString('{"a":1}')).toBe(null);
    expect(parseJsonString(null)).toBe(null);
    expect(isLockValue('null')).toBe(false);
    expect(isLockValue(null)).toBe(false);
    expect(isLockValue('"2027-03-02T00:00:00Z"')).toBe(true);
  });

  it('the server’s lock table agrees with the sync policy', () => {
    for (const tbl of Object.keys(LOCK_FIELDS)) expect(SYNC_POLICY[tbl]).toBeTruthy();
    for (const [child, parent] of Object.entries(LOCKED_WITH_PARENT)) {
      expect(SYNC_POLICY[child]?.scope).toMatchObject({ kind: 'parent', parent });
      expect(LOCK_FIELDS[parent]).toBeTruthy();
    }
  });
});
