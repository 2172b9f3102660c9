/**
 * Foundation benchmark (npm run bench): open + migrate, Korean search latency, list first page, writes
 * through the mutation layer, renderer bundle size. Prints a table and writes bench/results/*.json.
 * Reports against the targets; it does not fail the process.
 *   tsx bench/run.ts [--db bench/.data/bench.db]   (the demo database is seeded there when missing)
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { createAppServices, type AppServices } from '../electron/services/app.ts';
import { dispatch } from '../electron/services/dispatch.ts';
import { createHandlers } from '../electron/services/handlers.ts';
import { silentLogger } from '../electron/services/logger.ts';
import { seedDemo } from '../scripts/demo-data.ts';

const repo = path.resolve(import.meta.dirname, '..');
const migrationsFolder = path.join(repo, 'db', 'migrations');
const logger = silentLogger();
const argDb = process.argv.indexOf('--db');
const dbFile = path.resolve(argDb >= 0 ? (process.argv[argDb + 1] as string) : path.join(repo, 'bench', '.data', 'bench.db'));

/** 20 fixed queries of 1–6 characters: syllables, 초성, digits. */
const QUERIES = ['대', '한', '정밀', '대한', '테크', 'ㄷㅎ', '한국기계', '정밀공업', '세일테크', '동양금속', '금속', '산업', '(주)대한', '플라스틱', 'ㅎㄱ', 'ㅅㅇㅌㅋ', '81', '12345', '김민준', '삼진정밀'];

const open = (file: string): AppServices => createAppServices({ dbFile: file, migrationsFolder, logger, appVersion: 'bench' });
const percentile = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] ?? NaN;
};
const median = (xs: number[]) => percentile(xs, 50);
const time = (fn: () => void) => {
  const t = performance.now();
  fn();
  return performance.now() - t;
};

async function main(): Promise<void> {
  if (!fs.existsSync(dbFile)) {
    process.stdout.write(`Seeding the demo database at ${dbFile} (30,000 companies)…\n`);
    const s = open(dbFile);
    seedDemo(s, { seed: 1, companies: 30_000, suppliers: 2_000, mentors: 500 });
    s.database.sqlite.pragma('wal_checkpoint(TRUNCATE)');
    s.close();
  }

  // (a) open + migrate
  const openExisting = Array.from({ length: 5 }, () => time(() => open(dbFile).close()));
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dx-bench-'));
  const openFresh = Array.from({ length: 5 }, (_, i) => time(() => open(path.join(tmp, `fresh-${i}.db`)).close()));

  // (b) search and (c) list, through the contract boundary as the renderer calls it
  const services = open(dbFile);
  const handlers = createHandlers(services);
  const companies = (services.database.sqlite.prepare("SELECT count(*) AS n FROM organizations WHERE kind = 'company'").get() as { n: number }).n;
  const perQuery: { query: string; hits: number; p50: number }[] = [];
  const searchTimes: number[] = [];
  for (const query of QUERIES) {
    const r = (await dispatch(handlers, 'companies.list', { query }, logger)) as { ok: boolean; value?: { total: number } };
    const times: number[] = [];
    for (let i = 0; i < 30; i++) {
      const t = performance.now();
      await dispatch(handlers, 'companies.list', { query }, logger);
      times.push(performance.now() - t);
    }
    searchTimes.push(...times);
    perQuery.push({ query, hits: r.value?.total ?? -1, p50: median(times) });
  }
  const listTimes: number[] = [];
  for (let i = 0; i < 50; i++) {
    const t = performance.now();
    await dispatch(handlers, 'companies.list', {}, logger);
    listTimes.push(performance.now() - t);
  }
  services.close();

  // (d) writes through the mutation layer, in a fresh database
  const w = open(path.join(tmp, 'writes.db'));
  const { createGenerator } = await import('../scripts/demo-data.ts');
  const gen = createGenerator(7);
  const rows = Array.from({ length: 5000 }, () => gen.company());
  const logBefore = 0;
  const insertMs = time(() => {
    for (let i = 0; i < rows.length; i += 500) {
      w.mutations.transaction(() => {
        for (const row of rows.slice(i, i + 500)) w.organizations.create('company', row);
      });
    }
  });
  const logAfter = (w.database.sqlite.prepare('SELECT count(*) AS n FROM change_log').get() as { n: number }).n;
  const ids = (w.database.sqlite.prepare("SELECT id FROM organizations LIMIT 2000").all() as { id: string }[]).map((r) => r.id);
  const { organizations } = await import('../db/schema.ts');
  let updates = 0;
  const updateMs = time(() => {
    for (let round = 0; round < 5; round++) {
      w.mutations.transaction((tx) => {
        for (const id of ids) {
          updates += tx.update(organizations, id, { employees: 10 + round + (updates % 7), notes: `round ${round}` }).length;
        }
      });
    }
  });
  w.close();
  fs.rmSync(tmp, { recursive: true, force: true });

  // (f) assessment: scoring and the PDF report, on the demo database
  const { companyDxV1 } = await import('../shared/instruments/company-dx-v1.ts');
  const { scoreAssessment } = await import('../shared/scoring/assessment.ts');
  const answers = {
    ceo_vision: 3, ceo_involvement: 3, ceo_budget: 'partly', org_dedicated: 'yes', org_staff: 2, org_roles: { done: ['data_owner'], planned: ['dx_kpi'] },
    invest_rnd_share: 1, invest_equipment_share: 3, digital_level: 3, digital_scope: { done: ['output', 'quality'], planned: ['inventory'] },
    data_decisions: 3, ai_use: 1, skills_training: 'yes', skills_digital_share: 30, inv_revenue: 5_000_000_000, inv_margin: 4, inv_growth: 6, inv_own_funds: 100_000_000, inv_finance_access: 'no',
  };
  const scoreTimes = Array.from({ length: 2000 }, () => time(() => scoreAssessment(companyDxV1, answers)));
  const r = open(dbFile);
  const companyId = (r.database.sqlite.prepare("SELECT id FROM organizations WHERE kind = 'company' AND deleted_at IS NULL LIMIT 1").get() as { id: string }).id;
  const assessmentId = r.assessments.create(companyId, null, 'company-dx');
  for (const [itemId, value] of Object.entries(answers)) r.assessments.saveAnswer(assessmentId, itemId, value, undefined);
  await r.reports.assessmentPdf(assessmentId, 'ko');
  const reportTimes: number[] = [];
  let pdfBytes = 0;
  for (let i = 0; i < 10; i++) {
    const t0 = performance.now();
    pdfBytes = (await r.reports.assessmentPdf(assessmentId, 'ko')).pdf.length;
    reportTimes.push(performance.now() - t0);
  }
  // (g) supplier diagnosis report (a finalised diagnosis of the demo database, or a fresh one)
  let diagnosisId = (r.database.sqlite.prepare('SELECT id FROM diagnoses WHERE finalized_at IS NOT NULL LIMIT 1').get() as { id: string } | undefined)?.id;
  if (!diagnosisId) {
    const supplierId = (r.database.sqlite.prepare("SELECT id FROM organizations WHERE kind = 'supplier' AND deleted_at IS NULL LIMIT 1").get() as { id: string }).id;
    diagnosisId = r.diagnoses.create(supplierId, { track: 'in_depth', consultantName: 'bench', diagnosedOn: '2026-01-01', strategy: 'bench' });
    for (const [i, item] of (await import('../shared/instruments/supplier-diagnosis-v1.ts')).supplierDiagnosisV1.items.entries()) r.diagnoses.saveAnswer(diagnosisId, item.id, (i % 5) + 1, undefined);
    r.diagnoses.suggestPlan(diagnosisId);
  }
  await r.reports.diagnosisPdf(diagnosisId, 'ko');
  const diagnosisTimes: number[] = [];
  let diagnosisBytes = 0;
  for (let i = 0; i < 10; i++) {
    const t0 = performance.now();
    diagnosisBytes = (await r.reports.diagnosisPdf(diagnosisId, i % 2 ? 'en' : 'ko')).pdf.length;
    diagnosisTimes.push(performance.now() - t0);
  }
  r.close();

  // (h) level certificate: render + sign (steady state, the assessor key already made) and offline verify
  const cert = await benchCertificates();

  // (e) renderer bundle
  const assets = path.join(repo, 'out', 'renderer', 'assets');
  let raw = 0;
  let gzip = 0;
  const bundleBuilt = fs.existsSync(assets);
  if (bundleBuilt) {
    for (const f of fs.readdirSync(assets).filter((x) => x.endsWith('.js'))) {
      const buf = fs.readFileSync(path.join(assets, f));
      raw += buf.length;
      gzip += zlib.gzipSync(buf, { level: 9 }).length;
    }
  }

  const results = {
    date: new Date().toISOString(),
    machine: { cpus: os.cpus().length, node: process.version },
    database: { file: dbFile, companies },
    openMigrateExistingMs: median(openExisting),
    openMigrateFreshMs: median(openFresh),
    searchP50Ms: percentile(searchTimes, 50),
    searchP99Ms: percentile(searchTimes, 99),
    searchPerQuery: perQuery,
    listFirstPageP50Ms: percentile(listTimes, 50),
    listFirstPageP99Ms: percentile(listTimes, 99),
    companiesCreatedPerSec: Math.round((rows.length / insertMs) * 1000),
    changeLogEntriesPerSec: Math.round(((logAfter - logBefore) / insertMs) * 1000),
    fieldUpdatesPerSec: Math.round((updates / updateMs) * 1000),
    scoringP50Ms: percentile(scoreTimes, 50),
    scoringP99Ms: percentile(scoreTimes, 99),
    assessmentReportP50Ms: median(reportTimes),
    assessmentReportMaxMs: Math.max(...reportTimes),
    assessmentReportBytes: pdfBytes,
    diagnosisReportP50Ms: median(diagnosisTimes),
    diagnosisReportMaxMs: Math.max(...diagnosisTimes),
    diagnosisReportBytes: diagnosisBytes,
    certificateFirstIssueMs: cert.firstIssueMs,
    certificateIssueP50Ms: median(cert.issueTimes),
    certificateIssueMaxMs: Math.max(...cert.issueTimes),
    certificateVerifyP50Ms: median(cert.verifyTimes),
    certificateVerifyMaxMs: Math.max(...cert.verifyTimes),
    certificateBytes: cert.bytes,
    rendererJsBytes: bundleBuilt ? raw : null,
    rendererJsGzipBytes: bundleBuilt ? gzip : null,
  };
  const targets: [string, number | null, string, boolean | null][] = [
    ['open + migrate (existing demo DB), ms', results.openMigrateExistingMs, '≤ 150', results.openMigrateExistingMs <= 150],
    ['open + migrate (new DB), ms', results.openMigrateFreshMs, '≤ 150', results.openMigrateFreshMs <= 150],
    ['search p50, ms (20 queries × 30)', results.searchP50Ms, '', null],
    ['search p99, ms', results.searchP99Ms, '≤ 15', results.searchP99Ms <= 15],
    ['list first page p50, ms', results.listFirstPageP50Ms, '', null],
    ['list first page p99, ms', results.listFirstPageP99Ms, '', null],
    ['companies created / s', results.companiesCreatedPerSec, '', null],
    ['change-log entries / s', results.changeLogEntriesPerSec, '≥ 10,000', results.changeLogEntriesPerSec >= 10_000],
    ['field updates / s (logged)', results.fieldUpdatesPerSec, '≥ 10,000', results.fieldUpdatesPerSec >= 10_000],
    ['scoring p99, ms', results.scoringP99Ms, '≤ 1', results.scoringP99Ms <= 1],
    ['assessment report render p50, ms', results.assessmentReportP50Ms, '≤ 500', results.assessmentReportP50Ms <= 500],
    ['assessment report size, KB', Math.round(pdfBytes / 1024), '≤ 1,024', pdfBytes <= 1024 * 1024],
    ['diagnosis report render p50, ms', results.diagnosisReportP50Ms, '≤ 500', results.diagnosisReportP50Ms <= 500],
    ['diagnosis report render max, ms', results.diagnosisReportMaxMs, '', null],
    ['certificate first issue (makes key), ms', results.certificateFirstIssueMs, '', null],
    ['certificate render + sign p50, ms', results.certificateIssueP50Ms, '≤ 300', results.certificateIssueP50Ms <= 300],
    ['certificate render + sign max, ms', results.certificateIssueMaxMs, '', null],
    ['certificate verify p50, ms', results.certificateVerifyP50Ms, '≤ 100', results.certificateVerifyP50Ms <= 100],
    ['certificate verify max, ms', results.certificateVerifyMaxMs, '', null],
    ['renderer JS gzip, KB', bundleBuilt ? Math.round(gzip / 1024) : null, '≤ 1,536', bundleBuilt ? gzip <= 1.5 * 1024 * 1024 : null],
  ];
  process.stdout.write(`\nDX Mentor foundation bench — ${companies.toLocaleString('en')} companies, ${os.cpus().length} cores, Node ${process.version}\n\n`);
  for (const [name, value, target, pass] of targets) {
    const v = value === null ? 'n/a (run electron-vite build)' : typeof value === 'number' && value < 1000 ? value.toFixed(2) : String(value);
    process.stdout.write(`${name.padEnd(38)} ${v.padStart(12)}  ${target.padEnd(9)} ${pass === null ? '' : pass ? 'PASS' : 'MISS'}\n`);
  }
  process.stdout.write('\nper query (p50 ms, hits):\n');
  for (const q of perQuery) process.stdout.write(`  ${q.query.padEnd(10)} ${q.p50.toFixed(2).padStart(7)}  ${q.hits}\n`);
  const outDir = path.join(repo, 'bench', 'results');
  fs.mkdirSync(outDir, { recursive: true });
  const json = JSON.stringify(results, null, 2);
  fs.writeFileSync(path.join(outDir, `foundation-${results.date.slice(0, 10)}.json`), json);
  fs.writeFileSync(path.join(outDir, 'latest.json'), json);
  process.stdout.write(`\nwritten to bench/results/foundation-${results.date.slice(0, 10)}.json\n`);
}

/** Issues 12 certificates in a fresh database (the first one also creates the P12 key) and verifies each. */
async function benchCertificates(): Promise<{ firstIssueMs: number; issueTimes: number[]; verifyTimes: number[]; bytes: number }> {
  const { levelConfirmationV1 } = await import('../shared/instruments/level-confirmation-v1.ts');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dx-bench-cert-'));
  const c = createAppServices({ dbFile: path.join(dir, 'dx.db'), migrationsFolder, logger, appVersion: 'bench', keysDir: path.join(dir, 'keys') });
  const h = createHandlers(c);
  const ok = async <T>(name: string, input: unknown): Promise<T> => {
    const res = (await dispatch(h, name, input, logger)) as { ok: boolean; value?: T; error?: unknown };
    if (!res.ok) throw new Error(`${name}: ${JSON.stringify(res.error)}`);
    return res.value as T;
  };
  const png = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=';
  const { id: companyId } = await ok<{ id: string }>('companies.create', {
    brn: '220-81-62517', name: '한빛정밀', representative: '김대표', region: '41', address: '경기도 안산시 단원구', ksicCode: '29171', industryName: '', employees: 40, foundedOn: null, notes: '', financials: [], contacts: [],
  });
  const confirmations: string[] = [];
  for (let i = 0; i < 13; i++) {
    const { id } = await ok<{ id: string }>('levels.create', { companyId, projectId: null, assessedOn: '2026-11-20' });
    for (const [j, a] of levelConfirmationV1.areas.entries()) await ok('levels.saveStep', { confirmationId: id, areaId: a.id, step: 2 + ((i + j) % 4), evidence: `${a.id} 현장 확인` });
    await ok('levels.finalize', { id, signatures: [{ role: 'lead', name: '김평가', png }, { role: 'second', name: '이평가', png }] });
    confirmations.push(id);
  }
  const pass = 'bench-passphrase';
  let t0 = performance.now();
  await c.certificates.issue(confirmations[0] as string, pass);
  const firstIssueMs = performance.now() - t0;
  const issueTimes: number[] = [];
  const verifyTimes: number[] = [];
  let bytes = 0;
  for (const id of confirmations.slice(1)) {
    t0 = performance.now();
    const issued = await c.certificates.issue(id, pass);
    issueTimes.push(performance.now() - t0);
    const pdf = c.certificates.pdf(issued.id).pdf;
    bytes = pdf.length;
    t0 = performance.now();
    const v = c.certificates.verify(pdf);
    verifyTimes.push(performance.now() - t0);
    if (!v.signature.valid || !v.hashMatches) throw new Error('bench certificate did not verify');
  }
  c.close();
  fs.rmSync(dir, { recursive: true, force: true });
  return { firstIssueMs, issueTimes, verifyTimes, bytes };
}

await main();
