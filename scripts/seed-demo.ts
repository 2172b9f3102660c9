/**
 * npm run seed:demo -- [--db file] [--seed 1] [--companies 30000] [--suppliers 2000] [--mentors 500] [--force]
 * Writes a realistic synthetic database through the app's own services.
 */
import fs from 'node:fs';
import path from 'node:path';
import { createAppServices } from '../electron/services/app.ts';
import { silentLogger } from '../electron/services/logger.ts';
import { seedDemo } from './demo-data.ts';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}
const num = (name: string, fallback: number) => {
  const v = arg(name);
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) {
    process.stderr.write(`--${name} needs a whole number, got "${v}"\n`);
    process.exit(2);
  }
  return n;
};

const db = path.resolve(arg('db') ?? process.env.DX_DB_PATH ?? '.data/demo.db');
if (fs.existsSync(db)) {
  if (!process.argv.includes('--force')) {
    process.stderr.write(`${db} already exists. Use --force to replace it.\n`);
    process.exit(1);
  }
  for (const suffix of ['', '-wal', '-shm']) fs.rmSync(db + suffix, { force: true });
}

const started = performance.now();
const services = createAppServices({ dbFile: db, migrationsFolder: path.resolve('db/migrations'), logger: silentLogger(), appVersion: 'seed' });
let last = '';
const result = seedDemo(services, {
  seed: num('seed', 1),
  companies: num('companies', 30_000),
  suppliers: num('suppliers', 2_000),
  mentors: num('mentors', 500),
  onProgress: (what, done, total) => {
    const line = `${what} ${done}/${total}`;
    if (line !== last) process.stdout.write(`\r${line.padEnd(40)}`);
    last = line;
  },
});
services.database.sqlite.pragma('wal_checkpoint(TRUNCATE)');
const log = (services.database.sqlite.prepare('SELECT count(*) AS n FROM change_log').get() as { n: number }).n;
services.close();
const seconds = ((performance.now() - started) / 1000).toFixed(1);
process.stdout.write(
  `\nSeeded ${db} in ${seconds}s: ${result.companies} companies, ${result.suppliers} suppliers (${result.diagnoses} diagnosed), ${result.mentors} mentors, ` +
    `${result.pairs} pairs, ${result.assigned} companies assigned; ${log} change-log entries.\n`,
);
