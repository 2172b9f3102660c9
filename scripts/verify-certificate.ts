/**
 * npm run verify-certificate -- <file.pdf> [--db path/to/dx-mentor.db]
 *
 * Checks a level-confirmation certificate offline: the digital signature over the whole file, the data hash
 * it carries, and — given the app's database — the register status (valid, expired, revoked). Exits 0 only
 * for a genuine certificate that is not revoked.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { inspectCertificatePdf } from '../electron/services/certificates.ts';
import { createAppServices } from '../electron/services/app.ts';
import { silentLogger } from '../electron/services/logger.ts';

const args = process.argv.slice(2);
const dbAt = args.indexOf('--db');
const db = dbAt >= 0 ? args[dbAt + 1] : undefined;
const file = args.find((a, i) => !a.startsWith('--') && (dbAt < 0 || i !== dbAt + 1));
if (!file || !fs.existsSync(file)) {
  process.stderr.write('usage: npm run verify-certificate -- <file.pdf> [--db dx-mentor.db]\n');
  process.exit(2);
}
const pdf = fs.readFileSync(file);
const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
let result: { signature: ReturnType<typeof inspectCertificatePdf>['signature']; number: string | null; hashMatches: boolean; status: string };
if (db) {
  const s = createAppServices({ dbFile: db, migrationsFolder: path.join(repo, 'db', 'migrations'), logger: silentLogger(), appVersion: 'cli' });
  const v = s.certificates.verify(pdf);
  s.close();
  result = { signature: v.signature, number: v.number, hashMatches: v.hashMatches, status: v.register?.status ?? 'not in this register' };
} else {
  const v = inspectCertificatePdf(pdf);
  result = { signature: v.signature, number: v.data?.number ?? null, hashMatches: v.hashMatches, status: 'unknown (no --db given)' };
}
const lines = [
  `certificate:   ${result.number ?? '(no certificate data found)'}`,
  `signature:     ${result.signature.valid ? 'valid' : `INVALID (${result.signature.problem ?? 'unknown'})`}`,
  `signed by:     ${result.signature.signer ?? '-'}${result.signature.signedAt ? ` at ${result.signature.signedAt}` : ''}`,
  `key:           ${result.signature.certFingerprint ?? '-'}`,
  `data hash:     ${result.hashMatches ? 'matches' : 'DOES NOT MATCH'}`,
  `register:      ${result.status}`,
];
process.stdout.write(`${lines.join('\n')}\n`);
process.exit(result.signature.valid && result.hashMatches && result.status !== 'revoked' ? 0 : 1);
