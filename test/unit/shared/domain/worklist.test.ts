import { describe, expect, it } from 'vitest';
import { actionDue, certificateDue, dueStatus, projectDue, sortDue } from '#shared/domain/worklist';

// A project running 2025-03-01 → 2025-12-31: stabilisation 2025-07-01 → 2025-12-31, free after-service
// 2026-01-01 → 2026-12-31, post-build check due 2026-01-30, year-end check counts from 2026-11-01.
const p = { id: 'p1', startsOn: '2025-03-01', endsOn: '2025-12-31', signedChecks: [] as string[] };
const kinds = (today: string, signedChecks: string[] = [], horizon = 60) => projectDue({ ...p, signedChecks }, today, horizon).map((d) => `${d.kind}@${d.dueOn}`);

describe('what is due for a project', () => {
  it('lists the stabilisation end only while stabilisation runs and the end is within the horizon', () => {
    expect(kinds('2025-06-30')).toEqual([]);
    expect(kinds('2025-10-31')).toEqual([]); // 61 days ahead: outside a 60-day horizon
    expect(kinds('2025-11-01')).toEqual(['stabilisation_ending@2025-12-31']);
    expect(kinds('2025-12-31')).toContain('stabilisation_ending@2025-12-31');
    expect(kinds('2026-01-01')).not.toContain('stabilisation_ending@2025-12-31');
    expect(kinds('2025-10-31', [], 90)).toEqual(['stabilisation_ending@2025-12-31']);
  });

  it('asks for the post-build check 30 days after completion until a signed check exists, overdue after that', () => {
    expect(kinds('2025-12-01')).toEqual(['stabilisation_ending@2025-12-31', 'check_due@2026-01-30']);
    expect(kinds('2026-03-01')).toContain('check_due@2026-01-30');
    expect(kinds('2026-03-01', ['2026-01-20'])).not.toContain('check_due@2026-01-30');
    // A check signed before stabilisation began does not count.
    expect(kinds('2026-03-01', ['2025-05-01'])).toContain('check_due@2026-01-30');
    // A check signed late in the stabilisation period counts.
    expect(kinds('2026-03-01', ['2025-12-15'])).not.toContain('check_due@2026-01-30');
  });

  it('closes the free after-service year with its window and asks for a year-end check', () => {
    expect(kinds('2026-11-01', ['2026-01-20'])).toEqual(['year_check_due@2026-12-31', 'free_as_closing@2026-12-31']);
    expect(kinds('2026-11-02', ['2026-01-20', '2026-11-01'])).toEqual(['free_as_closing@2026-12-31']);
    // After the year ends the window item goes; an undone year-end check stays, overdue.
    expect(kinds('2027-01-05', ['2026-01-20'])).toEqual(['year_check_due@2026-12-31']);
    expect(dueStatus('2026-12-31', '2027-01-05')).toBe('overdue');
  });

  it('handles month ends and leap years at the window edges', () => {
    // Ends 2024-02-29 (leap day): stabilisation from 2023-08-30, free after-service to 2025-02-28.
    const leap = projectDue({ id: 'l', startsOn: '2023-03-01', endsOn: '2024-02-29', signedChecks: [] }, '2025-01-15');
    expect(leap.map((d) => `${d.kind}@${d.dueOn}`)).toEqual(['check_due@2024-03-30', 'year_check_due@2025-02-28', 'free_as_closing@2025-02-28']);
    expect(projectDue({ id: 'l', startsOn: '2023-03-01', endsOn: '2024-02-29', signedChecks: [] }, '2024-01-01').map((d) => d.kind)).toContain('stabilisation_ending');
  });
});

describe('certificates and actions', () => {
  it('lists a certificate from 90 days before it lapses until 30 days after, never a revoked one', () => {
    const c = { id: 'c', validUntil: '2027-03-31', revoked: false };
    expect(certificateDue(c, '2026-12-30')).toBeNull();
    expect(certificateDue(c, '2026-12-31')).toEqual({ kind: 'certificate_expiring', dueOn: '2027-03-31', refId: 'c' });
    expect(certificateDue(c, '2027-04-30')).not.toBeNull();
    expect(certificateDue(c, '2027-05-01')).toBeNull();
    expect(certificateDue({ ...c, revoked: true }, '2027-03-01')).toBeNull();
  });

  it('lists open actions that are overdue or due within the horizon', () => {
    expect(actionDue({ id: 'a', dueOn: '2026-01-10', done: false }, '2026-02-01')).toMatchObject({ kind: 'action_due' });
    expect(actionDue({ id: 'a', dueOn: '2026-06-10', done: false }, '2026-02-01')).toBeNull();
    expect(actionDue({ id: 'a', dueOn: '2026-01-10', done: true }, '2026-02-01')).toBeNull();
    expect(actionDue({ id: 'a', dueOn: null, done: false }, '2026-02-01')).toBeNull();
  });

  it('sorts by date and says overdue, this week or later', () => {
    const sorted = sortDue([
      { kind: 'action_due', dueOn: '2026-02-03', refId: 'x' },
      { kind: 'free_as_closing', dueOn: '2026-01-01', refId: 'y' },
      { kind: 'stabilisation_ending', dueOn: '2026-02-03', refId: 'z' },
    ]);
    expect(sorted.map((s) => s.refId)).toEqual(['y', 'z', 'x']);
    expect([dueStatus('2026-01-31', '2026-02-01'), dueStatus('2026-02-01', '2026-02-01'), dueStatus('2026-02-08', '2026-02-01'), dueStatus('2026-02-09', '2026-02-01')]).toEqual([
      'overdue',
      'soon',
      'soon',
      'upcoming',
    ]);
  });
});
