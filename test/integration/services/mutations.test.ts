import { getTableName } from 'drizzle-orm';
import { sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { describe, expect, it } from 'vitest';
import { AppError } from '#shared/contract/errors';
import { parseHlc } from '#shared/sync/hlc';
import { mentors, organizations } from '#db/schema';
import { MutationLayer } from '../../../electron/services/mutations.ts';
import { clocksOf, companyData, count, logOf, mentorData, openApp, snapshot, tempDir, useCleanup, type TestApp } from '../fixtures.ts';

useCleanup();

const T0 = Date.parse('2025-06-01T09:00:00.000Z');
const DAY = 86_400_000;

/** A clock the test moves by hand. */
function manualClock(start = T0) {
  let t = start;
  return { now: () => t, set: (v: number) => void (t = v), advance: (ms: number) => void (t += ms) };
}

function metaHlc(app: TestApp): string | undefined {
  return (app.sqlite.prepare("SELECT value FROM meta WHERE key = 'hlc'").get() as { value: string } | undefined)?.value;
}

function maxLogHlc(app: TestApp): string {
  return (app.sqlite.prepare('SELECT max(hlc) AS h FROM change_log').get() as { h: string }).h;
}

const COMPANY_FIELDS = ['kind', 'brn', 'name', 'representative', 'region', 'address', 'ksic_code', 'industry_name', 'employees', 'founded_on', 'notes'];

describe('insert', () => {
  it('logs one change-log entry per written field, all with base null, device and user ids, and increasing clocks', async () => {
    const clock = manualClock();
    const app = openApp({ now: clock.now });
    const input = companyData({ name: '대한정밀', employees: 25, foundedOn: null });
    const { id } = await app.ok('companies.create', input);

    const log = logOf(app.sqlite, 'organizations', id);
    expect(log.map((e) => e.field).sort()).toEqual([...COMPANY_FIELDS].sort());
    expect(new Set(log.map((e) => e.op_id)).size).toBe(log.length);
    for (const e of log) {
      expect(e.base, e.field).toBeNull();
      expect(e.device_id).toBe(app.services.settings.deviceId());
      expect(e.user_id).toBe(app.services.settings.userId());
      expect(parseHlc(e.hlc).node).toBe(app.services.settings.deviceId());
    }
    // values are JSON; a cleared field is SQL NULL
    const value = (f: string) => log.find((e) => e.field === f)?.value;
    expect(value('name')).toBe(JSON.stringify('대한정밀'));
    expect(value('employees')).toBe('25');
    expect(value('kind')).toBe('"company"');
    expect(value('founded_on')).toBeNull();
    expect(JSON.parse(value('brn') ?? 'null')).toBe(app.sqlite.prepare('SELECT brn FROM organizations WHERE id = ?').pluck().get(id));
    // clocks strictly increase in log order, even though the wall clock did not move
    const hlcs = log.map((e) => e.hlc);
    expect([...hlcs].sort()).toEqual(hlcs);
    expect(new Set(hlcs).size).toBe(hlcs.length);
    // bookkeeping columns are written, not logged
    expect(log.some((e) => ['id', 'created_at', 'updated_at', 'deleted_at', 'origin_device'].includes(e.field))).toBe(false);
    const row = app.sqlite.prepare('SELECT * FROM organizations WHERE id = ?').get(id) as Record<string, unknown>;
    expect(row).toMatchObject({ created_at: new Date(T0).toISOString(), updated_at: new Date(T0).toISOString(), deleted_at: null, origin_device: app.services.settings.deviceId() });
  });

  it('sets each field clock to the clock of its log entry', async () => {
    const app = openApp();
    const { id } = await app.ok('companies.create', companyData());
    const log = logOf(app.sqlite, 'organizations', id);
    expect(clocksOf(app.sqlite, 'organizations', id)).toEqual(Object.fromEntries(log.map((e) => [e.field, e.hlc])));
  });

  it('logs child rows (financial years) with their own row ids', async () => {
    const app = openApp();
    const { id } = await app.ok('companies.create', companyData({ financials: [{ fiscalYear: 2023, revenue: 1_000_000_000, operatingProfit: -5_000_000 }] }));
    const fin = app.sqlite.prepare('SELECT id FROM financials WHERE org_id = ?').pluck().get(id) as string;
    const log = logOf(app.sqlite, 'financials', fin);
    expect(log.map((e) => [e.field, e.value, e.base])).toEqual(
      expect.arrayContaining([
        ['org_id', JSON.stringify(id), null],
        ['fiscal_year', '2023', null],
        ['revenue', '1000000000', null],
        ['operating_profit', '-5000000', null],
      ]),
    );
    expect(log).toHaveLength(4);
  });
});

describe('update', () => {
  it('logs only the fields that changed, with base = the field clock before the change', async () => {
    const clock = manualClock();
    const app = openApp({ now: clock.now });
    const input = companyData({ name: '대한정밀', employees: 25 });
    const { id } = await app.ok('companies.create', input);
    const before = clocksOf(app.sqlite, 'organizations', id);
    const logBefore = count(app.sqlite, 'change_log');

    clock.advance(60_000);
    await app.ok('companies.update', { ...input, id, name: '대한정밀공업', employees: 30 });
    const entries = logOf(app.sqlite, 'organizations', id).slice(COMPANY_FIELDS.length);
    expect(count(app.sqlite, 'change_log')).toBe(logBefore + 2);
    expect(entries.map((e) => [e.field, e.value, e.base])).toEqual([
      ['name', JSON.stringify('대한정밀공업'), before.name],
      ['employees', '30', before.employees],
    ]);
    const after = clocksOf(app.sqlite, 'organizations', id);
    expect(after.name).toBe(entries[0]?.hlc);
    expect(after.employees).toBe(entries[1]?.hlc);
    expect(after.name! > before.name!).toBe(true);
    // untouched fields keep their clocks
    for (const f of COMPANY_FIELDS.filter((x) => x !== 'name' && x !== 'employees')) expect(after[f], f).toBe(before[f]);
    const row = app.sqlite.prepare('SELECT name, employees, updated_at, created_at FROM organizations WHERE id = ?').get(id);
    expect(row).toEqual({ name: '대한정밀공업', employees: 30, updated_at: new Date(T0 + 60_000).toISOString(), created_at: new Date(T0).toISOString() });

    // a second edit of the same field chains: its base is the first edit's clock
    clock.advance(1000);
    await app.ok('companies.update', { ...input, id, name: '대한정밀', employees: 30 });
    const last = logOf(app.sqlite, 'organizations', id).at(-1);
    expect(last).toMatchObject({ field: 'name', value: JSON.stringify('대한정밀'), base: after.name });
  });

  it('writes nothing at all when the submitted form is unchanged (including updated_at)', async () => {
    const clock = manualClock();
    const app = openApp({ now: clock.now });
    const input = companyData({ financials: [{ fiscalYear: 2023, revenue: 10, operatingProfit: 1 }], contacts: [{ name: '이영희', role: '', phone: '', email: '' }] });
    const { id } = await app.ok('companies.create', input);
    const detail = await app.ok('companies.get', { id });
    const before = snapshot(app.sqlite);
    clock.advance(5000);
    await app.ok('companies.update', { ...input, id, contacts: detail.contacts });
    expect(snapshot(app.sqlite)).toEqual(before);
  });

  it('treats a number submitted as text as the same value', async () => {
    const app = openApp();
    const { id } = await app.ok('companies.create', companyData({ employees: 45 }));
    const changed = app.services.mutations.transaction((tx) => tx.update(organizations, id, { employees: '45', name: '대한정밀' }));
    expect(changed).toEqual([]);
  });

  it('refuses unknown columns and bookkeeping columns, writing nothing', async () => {
    const app = openApp();
    const { id } = await app.ok('companies.create', companyData());
    const before = snapshot(app.sqlite);
    expect(() => app.services.mutations.transaction((tx) => tx.update(organizations, id, { name: 'x', nope: 1 }))).toThrow(/unknown column/);
    expect(() => app.services.mutations.transaction((tx) => tx.update(organizations, id, { deletedAt: null }))).toThrow(/unknown column/);
    expect(() => app.services.mutations.transaction((tx) => tx.insert(mentors, { ...mentorData(), id: 'chosen' }))).toThrow(/unknown column/);
    expect(snapshot(app.sqlite)).toEqual(before);
  });

  it('refuses to update a row that does not exist', () => {
    const app = openApp();
    let err: unknown;
    try {
      app.services.mutations.transaction((tx) => tx.update(organizations, 'missing', { name: 'x' }));
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).data.code).toBe('not_found');
  });
});

describe('archive and restore', () => {
  it('tombstone the row (never delete it) and log deleted_at with its base', async () => {
    const clock = manualClock();
    const app = openApp({ now: clock.now });
    const { id } = await app.ok('companies.create', companyData());
    const rows = count(app.sqlite, 'organizations');

    clock.advance(1000);
    await app.ok('companies.archive', { id });
    expect(count(app.sqlite, 'organizations')).toBe(rows);
    expect(app.sqlite.prepare('SELECT deleted_at FROM organizations WHERE id = ?').pluck().get(id)).toBe(new Date(T0 + 1000).toISOString());
    const archived = logOf(app.sqlite, 'organizations', id).at(-1);
    expect(archived).toMatchObject({ field: 'deleted_at', value: JSON.stringify(new Date(T0 + 1000).toISOString()), base: null });
    expect(clocksOf(app.sqlite, 'organizations', id).deleted_at).toBe(archived?.hlc);

    // archiving again changes nothing
    const before = snapshot(app.sqlite);
    await app.ok('companies.archive', { id });
    expect(snapshot(app.sqlite)).toEqual(before);

    clock.advance(1000);
    await app.ok('companies.restore', { id });
    expect(count(app.sqlite, 'organizations')).toBe(rows);
    expect(app.sqlite.prepare('SELECT deleted_at FROM organizations WHERE id = ?').pluck().get(id)).toBeNull();
    const restored = logOf(app.sqlite, 'organizations', id).at(-1);
    expect(restored).toMatchObject({ field: 'deleted_at', value: null, base: archived?.hlc });

    const again = snapshot(app.sqlite);
    await app.ok('companies.restore', { id });
    expect(snapshot(app.sqlite)).toEqual(again);
  });

  it('no operation ever hard-deletes a synced row', async () => {
    const app = openApp();
    const p = await app.ok('mentors.create', mentorData({ expertise: 'process' }));
    const a = await app.ok('mentors.create', mentorData({ name: '최인공', expertise: 'ai' }));
    const pair = await app.ok('pairs.create', { processMentorId: p.id, aiMentorId: a.id });
    const c = await app.ok('companies.create', companyData({ financials: [{ fiscalYear: 2022, revenue: 1, operatingProfit: 1 }] }));
    await app.ok('pairs.assign', { companyId: c.id, pairId: pair.id });
    const tables = ['organizations', 'financials', 'mentors', 'mentor_pairs', 'pair_assignments'];
    const before = Object.fromEntries(tables.map((t) => [t, count(app.sqlite, t)]));
    await app.ok('companies.update', { ...companyData({ brn: (await app.ok('companies.get', { id: c.id })).brn }), id: c.id, financials: [] });
    await app.ok('pairs.assign', { companyId: c.id, pairId: null });
    await app.ok('mentors.archive', { id: p.id });
    await app.ok('companies.archive', { id: c.id });
    for (const t of tables) expect(count(app.sqlite, t), t).toBe(before[t]);
    expect(count(app.sqlite, 'financials', 'deleted_at IS NOT NULL')).toBe(1);
  });
});

describe('transactions', () => {
  it('a transaction that throws writes neither rows nor log entries nor clocks', async () => {
    const app = openApp();
    await app.ok('companies.create', companyData());
    const before = snapshot(app.sqlite);
    const clockBefore = metaHlc(app);
    const commits: Set<string>[] = [];
    app.services.mutations.onCommit((t) => commits.push(t));

    expect(() =>
      app.services.mutations.transaction((tx) => {
        tx.insert(mentors, mentorData());
        tx.insert(mentors, mentorData({ name: '최인공', expertise: 'ai' }));
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(snapshot(app.sqlite)).toEqual(before);
    expect(metaHlc(app)).toBe(clockBefore);
    expect(commits).toEqual([]);
  });

  it('a service call that fails half-way (a constraint in a child row) leaves no parent row behind', () => {
    const app = openApp();
    const before = snapshot(app.sqlite);
    // Two rows for one fiscal year bypass the form's check (called below the boundary) and hit the unique index.
    expect(() =>
      app.services.organizations.create('company', {
        ...(companyData() as Parameters<typeof app.services.organizations.create>[1]),
        brn: '2208162517',
        financials: [
          { fiscalYear: 2023, revenue: 1, operatingProfit: 1 },
          { fiscalYear: 2023, revenue: 2, operatingProfit: 2 },
        ],
      }),
    ).toThrow(/UNIQUE/);
    expect(snapshot(app.sqlite)).toEqual(before);
  });

  it('notifies commit listeners once per committed transaction with the changed tables', async () => {
    const app = openApp();
    const commits: string[][] = [];
    app.services.mutations.onCommit((t) => commits.push([...t].sort()));
    await app.ok('companies.create', companyData({ financials: [{ fiscalYear: 2023, revenue: 1, operatingProfit: 1 }] }));
    await app.ok('companies.list', {});
    expect(commits).toEqual([['financials', 'organizations']]);
  });

  it('nested transactions commit together', () => {
    const app = openApp();
    const before = snapshot(app.sqlite);
    expect(() =>
      app.services.mutations.transaction((tx) => {
        tx.insert(mentors, mentorData());
        app.services.mutations.transaction((inner) => inner.insert(mentors, mentorData({ name: '안쪽' })));
        throw new Error('outer fails');
      }),
    ).toThrow('outer fails');
    expect(snapshot(app.sqlite)).toEqual(before);
  });
});

describe('hybrid logical clock', () => {
  it('is persisted in meta after every write', async () => {
    const app = openApp();
    expect(metaHlc(app)).toBeUndefined();
    await app.ok('companies.create', companyData());
    expect(metaHlc(app)).toBe(maxLogHlc(app));
    expect(metaHlc(app)).toBe(app.services.mutations.currentClock());
  });

  it('never goes backwards across a reopen, even when the wall clock goes back a day', async () => {
    const dir = tempDir();
    const clock = manualClock(T0);
    const first = openApp({ dir, now: clock.now });
    for (let i = 0; i < 3; i++) await first.ok('mentors.create', mentorData({ name: `멘토${i}` }));
    const lastBefore = maxLogHlc(first);
    const deviceId = first.services.settings.deviceId();
    first.close();

    clock.set(T0 - DAY);
    const second = openApp({ dir, now: clock.now });
    expect(second.services.settings.deviceId()).toBe(deviceId);
    expect(second.services.mutations.currentClock()).toBe(lastBefore);
    const seqBefore = count(second.sqlite, 'change_log');
    await second.ok('mentors.create', mentorData({ name: '어제의멘토' }));
    const newEntries = second.sqlite.prepare('SELECT hlc FROM change_log WHERE seq > ? ORDER BY seq').pluck().all(seqBefore) as string[];
    expect(newEntries.length).toBeGreaterThan(0);
    for (const h of newEntries) expect(h > lastBefore, `${h} > ${lastBefore}`).toBe(true);
    expect(parseHlc(newEntries[0]!).millis).toBe(T0);
    // the whole log, in write order, is in clock order
    const all = second.sqlite.prepare('SELECT hlc FROM change_log ORDER BY seq').pluck().all() as string[];
    expect([...all].sort()).toEqual(all);
    // rows still carry the (wrong) wall-clock time: the clock, not created_at, orders changes
    expect(second.sqlite.prepare("SELECT created_at FROM mentors WHERE name = '어제의멘토'").pluck().get()).toBe(new Date(T0 - DAY).toISOString());
  });

  it('resumes from wall time when the wall clock moves ahead again', async () => {
    const clock = manualClock(T0);
    const app = openApp({ now: clock.now });
    await app.ok('mentors.create', mentorData());
    clock.set(T0 + DAY);
    await app.ok('mentors.create', mentorData({ name: '내일' }));
    expect(parseHlc(maxLogHlc(app)).millis).toBeGreaterThanOrEqual(T0 + DAY);
  });
});

describe('locked rows', () => {
  /** A throwaway signed-document table: once `signed_at` is set the row is immutable. */
  const signedNotes = sqliteTable('signed_notes', {
    id: text('id').primaryKey(),
    createdAt: text('created_at').notNull(),
    updatedAt: text('updated_at').notNull(),
    deletedAt: text('deleted_at'),
    originDevice: text('origin_device').notNull(),
    body: text('body').notNull(),
    signedAt: text('signed_at'),
  });

  function setup() {
    const app = openApp();
    app.sqlite.exec(`CREATE TABLE ${getTableName(signedNotes)} (id text PRIMARY KEY, created_at text NOT NULL, updated_at text NOT NULL,
      deleted_at text, origin_device text NOT NULL, body text NOT NULL, signed_at text)`);
    const layer = new MutationLayer(
      app.sqlite,
      { deviceId: app.services.settings.deviceId(), userId: app.services.settings.userId(), now: Date.now },
      [{ table: signedNotes, lockColumn: 'signedAt' }],
    );
    return { app, layer };
  }

  it('allows edits until the lock column is set, then refuses every change with errors.locked', () => {
    const { app, layer } = setup();
    const id = layer.transaction((tx) => tx.insert(signedNotes, { body: '초안' }));
    expect(layer.transaction((tx) => tx.update(signedNotes, id, { body: '수정본' }))).toEqual(['body']);
    // signing is itself an edit of an unlocked row
    expect(layer.transaction((tx) => tx.update(signedNotes, id, { signedAt: '2025-06-01T09:00:00.000Z' }))).toEqual(['signedAt']);

    const before = snapshot(app.sqlite);
    const attempts: [string, () => unknown][] = [
      ['update', () => layer.transaction((tx) => tx.update(signedNotes, id, { body: '몰래 고침' }))],
      ['unsign', () => layer.transaction((tx) => tx.update(signedNotes, id, { signedAt: null }))],
      ['archive', () => layer.transaction((tx) => tx.archive(signedNotes, id))],
    ];
    for (const [what, attempt] of attempts) {
      let err: unknown;
      try {
        attempt();
      } catch (e) {
        err = e;
      }
      expect(err, what).toBeInstanceOf(AppError);
      expect((err as AppError).data).toMatchObject({ code: 'locked', messageKey: 'errors.locked' });
    }
    expect(snapshot(app.sqlite)).toEqual(before);
    expect(app.sqlite.prepare('SELECT body FROM signed_notes WHERE id = ?').pluck().get(id)).toBe('수정본');
  });

  it('a refused edit in a transaction rolls back the other writes made before it', () => {
    const { app, layer } = setup();
    const locked = layer.transaction((tx) => tx.insert(signedNotes, { body: '서명됨', signedAt: '2025-06-01T09:00:00.000Z' }));
    const before = snapshot(app.sqlite);
    expect(() =>
      layer.transaction((tx) => {
        tx.insert(signedNotes, { body: '새 버전' });
        tx.update(signedNotes, locked, { body: 'x' });
      }),
    ).toThrow(AppError);
    expect(snapshot(app.sqlite)).toEqual(before);
  });

  it('refuses tables it was not given', () => {
    const { layer } = setup();
    expect(() => layer.transaction((tx) => tx.insert(organizations, { name: 'x' }))).toThrow(/not registered/);
  });
});
