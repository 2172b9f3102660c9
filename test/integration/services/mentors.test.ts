import { describe, expect, it } from 'vitest';
import { companyData, count, logOf, mentorData, openApp, snapshot, supplierData, useCleanup, type TestApp } from '../fixtures.ts';

useCleanup();

async function team(app: TestApp, n = 1) {
  const out: { p: string; a: string; pair: string }[] = [];
  for (let i = 0; i < n; i++) {
    const p = await app.ok('mentors.create', mentorData({ name: `공정${i}`, expertise: 'process', region: '41' }));
    const a = await app.ok('mentors.create', mentorData({ name: `인공${i}`, expertise: 'ai', affiliationType: 'kaist_institute', region: '41' }));
    const pair = await app.ok('pairs.create', { processMentorId: p.id, aiMentorId: a.id });
    out.push({ p: p.id, a: a.id, pair: pair.id });
  }
  return out;
}

describe('mentors', () => {
  it('creates, updates and lists mentors with filters', async () => {
    const app = openApp();
    const m = mentorData({ name: '김명장', affiliationType: 'meister', region: '26' });
    const { id } = await app.ok('mentors.create', m);
    await app.ok('mentors.create', mentorData({ name: '이박사', expertise: 'ai', affiliationType: 'kaist_institute', region: '11' }));
    await app.ok('mentors.update', { ...m, id, phone: '010-1111-2222' });
    expect(await app.ok('mentors.get', { id })).toMatchObject({ name: '김명장', phone: '010-1111-2222', pairId: null, partnerName: null });
    expect(logOf(app.sqlite, 'mentors', id).at(-1)).toMatchObject({ field: 'phone', value: '"010-1111-2222"' });
    const list = async (input: Parameters<TestApp['ok']>[1]) => (await app.ok('mentors.list', input as never)).rows.map((r) => r.name);
    expect(await list({ expertise: ['ai'] })).toEqual(['이박사']);
    expect(await list({ regions: ['26'] })).toEqual(['김명장']);
    expect(await list({ affiliationTypes: ['meister'] })).toEqual(['김명장']);
    expect(await list({ sort: { field: 'name', dir: 'desc' } })).toEqual(['이박사', '김명장']);
    expect((await app.fail('mentors.get', { id: 'missing' })).code).toBe('not_found');
  });
});

describe('pairs', () => {
  it('pairs one process expert with one AI expert', async () => {
    const app = openApp();
    const [t] = await team(app);
    const pairs = (await app.ok('pairs.list', {})).rows;
    expect(pairs).toEqual([
      { id: t!.pair, processMentorId: t!.p, processMentor: '공정0', aiMentorId: t!.a, aiMentor: '인공0', region: '41', companyCount: 0, createdAt: expect.any(String) as string },
    ]);
    expect(await app.ok('mentors.get', { id: t!.p })).toMatchObject({ pairId: t!.pair, partnerName: '인공0' });
    expect(await app.ok('mentors.get', { id: t!.a })).toMatchObject({ pairId: t!.pair, partnerName: '공정0' });
  });

  it('refuses two experts of the same kind, or the roles swapped, with field errors and writes nothing', async () => {
    const app = openApp();
    const p1 = await app.ok('mentors.create', mentorData({ name: '공정A', expertise: 'process' }));
    const p2 = await app.ok('mentors.create', mentorData({ name: '공정B', expertise: 'process' }));
    const a1 = await app.ok('mentors.create', mentorData({ name: '인공A', expertise: 'ai' }));
    const before = snapshot(app.sqlite);

    const twoProcess = await app.fail('pairs.create', { processMentorId: p1.id, aiMentorId: p2.id });
    expect(twoProcess).toEqual({ code: 'validation', messageKey: 'errors.validation', fields: { aiMentorId: { key: 'validation.pair.needs_ai' } } });
    const swapped = await app.fail('pairs.create', { processMentorId: a1.id, aiMentorId: p1.id });
    expect(swapped.fields).toEqual({ processMentorId: { key: 'validation.pair.needs_process' }, aiMentorId: { key: 'validation.pair.needs_ai' } });
    const missing = await app.fail('pairs.create', { processMentorId: 'nobody', aiMentorId: a1.id });
    expect(missing.fields).toEqual({ processMentorId: { key: 'validation.pair.mentorMissing' } });
    expect((await app.fail('pairs.create', { processMentorId: p1.id })).fields).toEqual({ aiMentorId: { key: 'validation.required' } });
    expect(snapshot(app.sqlite)).toEqual(before);
  });

  it('refuses an archived mentor', async () => {
    const app = openApp();
    const p = await app.ok('mentors.create', mentorData({ expertise: 'process' }));
    const a = await app.ok('mentors.create', mentorData({ name: '인공', expertise: 'ai' }));
    await app.ok('mentors.archive', { id: a.id });
    expect((await app.fail('pairs.create', { processMentorId: p.id, aiMentorId: a.id })).fields).toEqual({ aiMentorId: { key: 'validation.pair.mentorMissing' } });
  });

  it('keeps a mentor in only one active pair', async () => {
    const app = openApp();
    const [t] = await team(app);
    const p2 = await app.ok('mentors.create', mentorData({ name: '공정새', expertise: 'process' }));
    const a2 = await app.ok('mentors.create', mentorData({ name: '인공새', expertise: 'ai' }));
    const before = snapshot(app.sqlite);
    expect((await app.fail('pairs.create', { processMentorId: t!.p, aiMentorId: a2.id })).fields).toEqual({ processMentorId: { key: 'validation.pair.alreadyPaired' } });
    expect((await app.fail('pairs.create', { processMentorId: p2.id, aiMentorId: t!.a })).fields).toEqual({ aiMentorId: { key: 'validation.pair.alreadyPaired' } });
    expect(snapshot(app.sqlite)).toEqual(before);
    // after the pair is dissolved both may pair again
    await app.ok('pairs.dissolve', { id: t!.pair });
    await app.ok('pairs.create', { processMentorId: t!.p, aiMentorId: a2.id });
    await app.ok('pairs.create', { processMentorId: p2.id, aiMentorId: t!.a });
    expect((await app.ok('pairs.list', {})).rows).toHaveLength(2);
  });

  it('a paired mentor’s expertise cannot change; other details can', async () => {
    const app = openApp();
    const [t] = await team(app);
    const current = await app.ok('mentors.get', { id: t!.p });
    const form = { id: t!.p, name: current.name, affiliationType: current.affiliationType, affiliationName: '', expertise: current.expertise, region: '41' as const, phone: '', email: '' };
    const e = await app.fail('mentors.update', { ...form, expertise: 'ai' });
    expect(e.fields).toEqual({ expertise: { key: 'validation.mentor.expertiseInPair' } });
    expect((await app.ok('mentors.get', { id: t!.p })).expertise).toBe('process');
    await app.ok('mentors.update', { ...form, name: '공정명인' });
    expect((await app.ok('pairs.list', {})).rows[0]?.processMentor).toBe('공정명인');
  });
});

describe('assigning companies', () => {
  it('assigns, reassigns and unassigns a company, keeping ended assignments as tombstones', async () => {
    const app = openApp();
    const [t1, t2] = await team(app, 2);
    const { id } = await app.ok('companies.create', companyData());

    expect(await app.ok('pairs.assign', { companyId: id, pairId: t1!.pair, assignedOn: '2025-03-02' })).toEqual({ companyId: id, pairId: t1!.pair });
    expect((await app.ok('companies.get', { id })).pair).toEqual({ id: t1!.pair, processMentor: '공정0', aiMentor: '인공0', assignedOn: '2025-03-02' });
    expect((await app.ok('companies.list', {})).rows[0]?.pairId).toBe(t1!.pair);
    expect((await app.ok('pairs.list', {})).rows.find((p) => p.id === t1!.pair)?.companyCount).toBe(1);

    // assigning the same pair again changes nothing
    const before = snapshot(app.sqlite);
    await app.ok('pairs.assign', { companyId: id, pairId: t1!.pair, assignedOn: '2025-04-01' });
    expect(snapshot(app.sqlite)).toEqual(before);

    await app.ok('pairs.assign', { companyId: id, pairId: t2!.pair, assignedOn: '2025-05-01' });
    expect((await app.ok('companies.get', { id })).pair?.id).toBe(t2!.pair);
    expect(count(app.sqlite, 'pair_assignments', 'org_id = ? AND deleted_at IS NULL', id)).toBe(1);
    expect(count(app.sqlite, 'pair_assignments', 'org_id = ?', id)).toBe(2);
    const counts = Object.fromEntries((await app.ok('pairs.list', {})).rows.map((p) => [p.id, p.companyCount]));
    expect(counts).toEqual({ [t1!.pair]: 0, [t2!.pair]: 1 });

    await app.ok('pairs.assign', { companyId: id, pairId: null });
    expect((await app.ok('companies.get', { id })).pair).toBeNull();
    expect(count(app.sqlite, 'pair_assignments', 'org_id = ?', id)).toBe(2);
    expect(count(app.sqlite, 'pair_assignments', 'org_id = ? AND deleted_at IS NULL', id)).toBe(0);
    expect((await app.ok('dashboard.summary', {})).unassignedCompanies).toBe(1);
  });

  it('defaults the assignment date to today', async () => {
    const app = openApp();
    const [t] = await team(app);
    const { id } = await app.ok('companies.create', companyData());
    await app.ok('pairs.assign', { companyId: id, pairId: t!.pair });
    expect((await app.ok('companies.get', { id })).pair?.assignedOn).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it('refuses archived companies, suppliers, unknown or dissolved pairs', async () => {
    const app = openApp();
    const [t1, t2] = await team(app, 2);
    const archived = await app.ok('companies.create', companyData());
    await app.ok('companies.archive', { id: archived.id });
    const supplier = await app.ok('suppliers.create', supplierData());
    const company = await app.ok('companies.create', companyData());
    await app.ok('pairs.dissolve', { id: t2!.pair });
    const before = snapshot(app.sqlite);

    expect(await app.fail('pairs.assign', { companyId: archived.id, pairId: t1!.pair })).toMatchObject({ code: 'conflict', messageKey: 'errors.archived' });
    expect((await app.fail('pairs.assign', { companyId: supplier.id, pairId: t1!.pair })).code).toBe('not_found');
    expect((await app.fail('pairs.assign', { companyId: company.id, pairId: 'nope' })).fields).toEqual({ pairId: { key: 'validation.pair.missing' } });
    expect((await app.fail('pairs.assign', { companyId: company.id, pairId: t2!.pair })).fields).toEqual({ pairId: { key: 'validation.pair.missing' } });
    expect((await app.fail('pairs.assign', { companyId: company.id, pairId: t1!.pair, assignedOn: '2025-02-30' })).fields).toEqual({
      assignedOn: { key: 'validation.date' },
    });
    expect(snapshot(app.sqlite)).toEqual(before);
  });
});

describe('dissolving and archiving', () => {
  it('dissolving a pair unassigns its companies', async () => {
    const app = openApp();
    const [t] = await team(app);
    const c1 = await app.ok('companies.create', companyData());
    const c2 = await app.ok('companies.create', companyData());
    await app.ok('pairs.assign', { companyId: c1.id, pairId: t!.pair });
    await app.ok('pairs.assign', { companyId: c2.id, pairId: t!.pair });
    await app.ok('pairs.dissolve', { id: t!.pair });
    expect((await app.ok('pairs.list', {})).rows).toEqual([]);
    expect((await app.ok('companies.get', { id: c1.id })).pair).toBeNull();
    expect((await app.ok('companies.get', { id: c2.id })).pair).toBeNull();
    expect(count(app.sqlite, 'mentor_pairs')).toBe(1);
    expect((await app.ok('mentors.get', { id: t!.p })).pairId).toBeNull();
    expect((await app.fail('pairs.dissolve', { id: 'missing' })).code).toBe('not_found');
  });

  it('archiving a mentor dissolves their pair and unassigns its companies, in one transaction', async () => {
    const app = openApp();
    const [t, other] = await team(app, 2);
    const c1 = await app.ok('companies.create', companyData());
    const c2 = await app.ok('companies.create', companyData());
    await app.ok('pairs.assign', { companyId: c1.id, pairId: t!.pair });
    await app.ok('pairs.assign', { companyId: c2.id, pairId: other!.pair });
    const commits: string[][] = [];
    app.services.mutations.onCommit((tables) => commits.push([...tables].sort()));

    await app.ok('mentors.archive', { id: t!.a });
    expect(commits).toEqual([['mentor_pairs', 'mentors', 'pair_assignments']]);
    expect((await app.ok('mentors.get', { id: t!.a })).deletedAt).not.toBeNull();
    // the partner stays active and becomes free
    expect(await app.ok('mentors.get', { id: t!.p })).toMatchObject({ deletedAt: null, pairId: null, partnerName: null });
    expect((await app.ok('pairs.list', {})).rows.map((p) => p.id)).toEqual([other!.pair]);
    expect((await app.ok('companies.get', { id: c1.id })).pair).toBeNull();
    // other pairs are untouched
    expect((await app.ok('companies.get', { id: c2.id })).pair?.id).toBe(other!.pair);
    // tombstones, not deletes, and logged
    expect(app.sqlite.prepare('SELECT deleted_at FROM mentor_pairs WHERE id = ?').pluck().get(t!.pair)).not.toBeNull();
    expect(logOf(app.sqlite, 'mentor_pairs', t!.pair).at(-1)?.field).toBe('deleted_at');
    expect(count(app.sqlite, 'pair_assignments', 'org_id = ?', c1.id)).toBe(1);
    expect(await app.ok('dashboard.summary', {})).toMatchObject({ mentors: 3, pairs: 1, unassignedCompanies: 1 });

    // restoring the mentor does not silently re-form the pair
    await app.ok('mentors.restore', { id: t!.a });
    expect(await app.ok('mentors.get', { id: t!.a })).toMatchObject({ deletedAt: null, pairId: null });
    await app.ok('pairs.create', { processMentorId: t!.p, aiMentorId: t!.a });
  });
});
