/**
 * A laptop that keeps editing and syncing until it is killed (test/server/crash.test.ts sends SIGKILL at
 * random moments: mid-push, between push and answer, mid-page apply).
 *   node --import tsx test/server/crash-child.ts <db file> <server url> <device token> <assessment id>
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createAppServices } from '../../electron/services/app.ts';
import { createHandlers } from '../../electron/services/handlers.ts';
import { dispatch } from '../../electron/services/dispatch.ts';
import { silentLogger } from '../../electron/services/logger.ts';
import { httpTransport } from '../../electron/services/sync-transport.ts';

const [dbFile, url, token, assessmentId] = process.argv.slice(2) as [string, string, string, string];
const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const logger = silentLogger();
const services = createAppServices({ dbFile, migrationsFolder: path.join(repo, 'db', 'migrations'), logger, appVersion: 'crash' });
const handlers = createHandlers(services);
const transport = httpTransport({ baseUrl: url, token: () => Promise.resolve(token) });
const items = ['ceo_vision', 'ceo_involvement', 'org_staff'];
let i = 0;
process.stdout.write('READY\n');
for (;;) {
  const itemId = items[i % items.length] as string;
  await dispatch(handlers, 'assessments.saveAnswer', { assessmentId, itemId, value: (i % 5) + 1 }, logger);
  await dispatch(handlers, 'actions.create', { companyId: process.env.COMPANY_ID, title: `조치 ${i}`, owner: '', dueOn: null, severity: 'low' }, logger);
  if (i % 3 === 0) await services.sync.syncOnce(transport).catch(() => undefined);
  i++;
}
