/**
 * Shared fixtures for integration tests: real SQLite files in a temporary folder, the real services,
 * handlers and dispatch (the same path a renderer call takes), and input builders.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type Database from 'better-sqlite3';
import { afterAll, afterEach, beforeEach } from 'vitest';
import { withCheckDigit } from '#shared/domain/brn';
import type { AppErrorData, Result } from '#shared/contract/errors';
import { contract, type OpInput, type OpName, type OpOutput } from '#shared/contract/index';
import { resources } from '#shared/i18n/resources';
import { createAppServices, type AppServices, type AppServicesOptions } from '../../electron/services/app.ts';
import { dispatch } from '../../electron/services/dispatch.ts';
import { createHandlers, type Handlers } from '../../electron/services/handlers.ts';
import { silentLogger } from '../../electron/services/logger.ts';

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const MIGRATIONS = path.join(REPO, 'db', 'migrations');

/** The migrations journal (drizzle-kit's meta/_journal.json) of a migrations folder. */
export function journal(folder = MIGRATIONS): { entries: { idx: number; when: number; tag: string; version: string; breakpoints: boolean }[] } {
  return JSON.parse(fs.readFileSync(path.join(folder, 'meta', '_journal.json'), 'utf8')) as ReturnType<typeof journal>;
}

interface Resources {
  dirs: string[];
  opened: { close(): void }[];
}
/** Per-test resources, and those made outside a test (in beforeAll) that live until the file ends. */
const perTest: Resources = { dirs: [], opened: [] };
const perFile: Resources = { dirs: [], opened: [] };
let inTest = false;
const current = () => (inTest ? perTest : perFile);

function release(r: Resources): void {
  for (const o of r.opened.splice(0)) {
    try {
      o.close();
    } catch {
      // already closed by the test
    }
  }
  for (const d of r.dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
}

/** Registers clean-up of everything the helpers below create; call once at the top of a test file. */
export function useCleanup(): void {
  beforeEach(() => {
    inTest = true;
  });
  afterEach(() => {
    inTest = false;
    release(perTest);
  });
  afterAll(() => release(perFile));
}

export function tempDir(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'dx-test-'));
  current().dirs.push(d);
  return d;
}

/** Closes `thing` after the test (better-sqlite3 connections, services). */
export function track<T extends { close(): unknown }>(thing: T): T {
  current().opened.push({ close: () => void thing.close() });
  return thing;
}

export interface TestApp {
  services: AppServices;
  handlers: Handlers;
  sqlite: Database.Database;
  file: string;
  dir: string;
  /** Calls an operation through dispatch exactly as the renderer does (input is deliberately untyped). */
  call(name: string, input: unknown): Promise<Result<unknown>>;
  /** Calls an operation that must succeed; checks the result against the contract's output schema. */
  ok<N extends OpName>(name: N, input: OpInput<N>): Promise<OpOutput<N>>;
  /** Calls an operation that must fail; returns its error. */
  fail(name: string, input: unknown): Promise<AppErrorData>;
  close(): void;
}

export interface OpenAppOptions {
  dir?: string;
  file?: string;
  now?: () => number;
  migrationsFolder?: string;
  /** Replaces handlers (to simulate failures inside a handler). */
  handlers?: (h: Handlers, s: AppServices) => Handlers;
  /** The sync runner's transport and checks (an in-memory server). */
  sync?: AppServicesOptions['sync'];
}

export function openApp(opts: OpenAppOptions = {}): TestApp {
  const dir = opts.dir ?? tempDir();
  const file = opts.file ?? path.join(dir, 'dx.db');
  const services = createAppServices({
    dbFile: file,
    migrationsFolder: opts.migrationsFolder ?? MIGRATIONS,
    logger: silentLogger(),
    appVersion: 'test',
    ...(opts.now ? { now: opts.now } : {}),
    ...(opts.sync ? { sync: opts.sync } : {}),
  });
  let closed = false;
  const close = () => {
    if (!closed) services.close();
    closed = true;
  };
  current().opened.push({ close });
  const base = createHandlers(services);
  const handlers = opts.handlers ? opts.handlers(base, services) : base;
  const logger = silentLogger();
  const call = (name: string, input: unknown) => dispatch(handlers, name, input, logger);
  return {
    services,
    handlers,
    sqlite: services.database.sqlite,
    file,
    dir,
    call,
    async ok<N extends OpName>(name: N, input: OpInput<N>): Promise<OpOutput<N>> {
      const r = await call(name, input);
      if (!r.ok) throw new Error(`${name} failed: ${JSON.stringify(r.error)}`);
      return contract[name].output.parse(r.value) as OpOutput<N>;
    },
    async fail(name: string, input: unknown): Promise<AppErrorData> {
      const r = await call(name, input);
      if (r.ok) throw new Error(`${name} unexpectedly succeeded: ${JSON.stringify(r.value)}`);
      return r.error;
    },
    close,
  };
}

let brnSeq = 220_810_000;

/** A fresh valid business registration number (10 digits). */
export function nextBrn(): string {
  brnSeq += 7;
  return withCheckDigit(String(brnSeq));
}

export function companyData(over: Partial<OpInput<'companies.create'>> = {}): OpInput<'companies.create'> {
  return {
    brn: nextBrn(),
    name: '대한정밀',
    representative: '김철수',
    region: '41',
    address: '경기도 안산시 단원구',
    ksicCode: '29199',
    industryName: '기타 기계',
    employees: 25,
    foundedOn: '2010-05-01',
    notes: '',
    financials: [],
    contacts: [],
    ...over,
  };
}

export function supplierData(over: Partial<OpInput<'suppliers.create'>> = {}): OpInput<'suppliers.create'> {
  return {
    ...companyData(),
    name: '스마트솔루션',
    ksicCode: '26299',
    techFields: [],
    buildRecordCount: null,
    vcInvestments: [],
    ...over,
  };
}

export function mentorData(over: Partial<OpInput<'mentors.create'>> = {}): OpInput<'mentors.create'> {
  return {
    name: '박공정',
    affiliationType: 'meister',
    affiliationName: '',
    expertise: 'process',
    region: '41',
    phone: '',
    email: '',
    ...over,
  };
}

export function count(sqlite: Database.Database, table: string, where = '1 = 1', ...params: unknown[]): number {
  return (sqlite.prepare(`SELECT count(*) AS n FROM "${table}" WHERE ${where}`).get(...params) as { n: number }).n;
}

/**
 * Every row of every stored table (including the search index's shadow tables and `meta`): equal snapshots
 * before and after a call mean the call wrote nothing at all.
 */
export function snapshot(sqlite: Database.Database): Record<string, unknown[]> {
  const tables = sqlite
    .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND sql NOT LIKE 'CREATE VIRTUAL%' ORDER BY name")
    .all() as { name: string }[];
  const out: Record<string, unknown[]> = {};
  for (const { name } of tables) {
    const cols = (sqlite.prepare(`PRAGMA table_info("${name}")`).all() as { name: string }[]).map((c) => `"${c.name}"`);
    out[name] = sqlite.prepare(`SELECT * FROM "${name}" ORDER BY ${cols.join(', ')}`).all();
  }
  return out;
}

export type { LogRow } from '../../electron/services/sync.ts';
export { MIDDLING_ANSWERS } from '../fixtures/company-dx-answers.ts';
import type { LogRow } from '../../electron/services/sync.ts';

export function logOf(sqlite: Database.Database, tbl: string, rowId: string): LogRow[] {
  return sqlite.prepare('SELECT * FROM change_log WHERE tbl = ? AND row_id = ? ORDER BY seq').all(tbl, rowId) as LogRow[];
}

export function clocksOf(sqlite: Database.Database, tbl: string, rowId: string): Record<string, string> {
  const rows = sqlite.prepare('SELECT field, hlc FROM field_clocks WHERE tbl = ? AND row_id = ?').all(tbl, rowId) as { field: string; hlc: string }[];
  return Object.fromEntries(rows.map((r) => [r.field, r.hlc]));
}

/** True when `key` (e.g. `errors.db.corrupt`) has a text in both languages: the user sees a real message. */
export function hasMessage(key: string): boolean {
  const at = (obj: unknown) =>
    key.split('.').reduce<unknown>((o, k) => (typeof o === 'object' && o !== null ? (o as Record<string, unknown>)[k] : undefined), obj);
  return (['ko', 'en'] as const).every((lang) => typeof at(resources[lang].messages) === 'string');
}
