/**
 * Composition of the main-process services over one database. Takes paths, clock and logger from its
 * caller (Electron main, the e2e harness, tests, the seeder) and never imports `electron`.
 */
import { contacts, financials, mentorPairs, mentors, organizations, pairAssignments, vcInvestments } from '#db/schema';
import { ActionItemService } from './action-items.ts';
import { AssessmentService, ASSESSMENT_TABLES } from './assessments.ts';
import { AttachmentStore } from './attachments.ts';
import { CertificateService, CERTIFICATE_TABLES } from './certificates.ts';
import { DiagnosisService, DIAGNOSIS_TABLES } from './diagnoses.ts';
import { KeyStore, type SecretProtector } from './keystore.ts';
import { PostbuildService, POSTBUILD_TABLES } from './postbuild.ts';
import { WorklistService } from './worklist.ts';
import { SyncService } from './sync.ts';
import { SyncRunner, type SyncRunnerOptions } from './sync-runner.ts';
import { DivergenceCheck } from './sync-divergence.ts';
import { ScopeCheck } from './sync-scope.ts';
import { ProjectService, PROJECT_TABLES } from './projects.ts';
import path from 'node:path';
import { localToday } from '#shared/domain/dates';
import { openDatabase, type OpenedDatabase } from './database.ts';
import { folderExporter, type FileExporter } from './exporter.ts';
import { ReportService } from './reports/index.ts';
import type { Logger } from './logger.ts';
import { MentorService } from './mentors.ts';
import { MutationLayer } from './mutations.ts';
import { OrganizationService } from './organizations.ts';
import { SearchIndex } from './search.ts';
import { Settings } from './settings.ts';
import { SupplierService, SUPPLIER_TABLES } from './suppliers.ts';

export interface AppServicesOptions {
  dbFile: string;
  migrationsFolder: string;
  logger: Logger;
  appVersion: string;
  nativeBinding?: string;
  /** Wall clock (ms); tests inject one. */
  now?: () => number;
  /** Fonts for reports (assets/fonts in development, resources/fonts when packaged). */
  fontsDir?: string;
  /** Content-addressed attachment files; defaults to an `attachments` folder beside the database. */
  attachmentsDir?: string;
  /** The assessor's signing key (PKCS#12); defaults to a `keys` folder beside the database. */
  keysDir?: string;
  /** The OS key store (Electron safeStorage) for the key's password; without one, the user's passphrase protects it. */
  secretProtector?: SecretProtector | null;
  /** Where exports go (a save dialog in the app); defaults to an `exports` folder beside the database. */
  exporter?: FileExporter;
  /** Sync transport overrides (tests: an in-memory server or a fetch double). */
  sync?: Omit<SyncRunnerOptions, 'now'>;
}

export interface AppServices {
  database: OpenedDatabase;
  settings: Settings;
  mutations: MutationLayer;
  search: SearchIndex;
  organizations: OrganizationService;
  mentors: MentorService;
  assessments: AssessmentService;
  actions: ActionItemService;
  diagnoses: DiagnosisService;
  suppliers: SupplierService;
  projects: ProjectService;
  postbuild: PostbuildService;
  worklist: WorklistService;
  sync: SyncService;
  /** Removes organisations this laptop may no longer hold; the runner runs it after each round. */
  syncScope: ScopeCheck;
  syncRunner: SyncRunner;
  certificates: CertificateService;
  keys: KeyStore;
  reports: ReportService;
  exporter: FileExporter;
  logger: Logger;
  appVersion: string;
  close(): void;
}

/** The synced tables, each written only through the mutation layer. */
export const SYNCED_TABLES = [organizations, financials, contacts, vcInvestments, mentors, mentorPairs, pairAssignments];

export function createAppServices(opts: AppServicesOptions): AppServices {
  const database = openDatabase({
    file: opts.dbFile,
    migrationsFolder: opts.migrationsFolder,
    logger: opts.logger,
    nativeBinding: opts.nativeBinding,
  });
  const settings = new Settings(database.sqlite);
  const now = opts.now ?? Date.now;
  const today = () => localToday(new Date(now()));
  const mutations = new MutationLayer(
    database.sqlite,
    { deviceId: settings.deviceId(), userId: settings.userId(), now },
    [...SYNCED_TABLES.map((table) => ({ table, ...(table === financials ? { naturalKey: ['orgId', 'fiscalYear'] } : {}) })), ...ASSESSMENT_TABLES, ...DIAGNOSIS_TABLES, ...SUPPLIER_TABLES, ...PROJECT_TABLES, ...POSTBUILD_TABLES, ...CERTIFICATE_TABLES],
  );
  const search = new SearchIndex(database.sqlite);
  const organizations = new OrganizationService(database.sqlite, mutations, search, today);
  const actions = new ActionItemService(database.sqlite, mutations);
  const files = new AttachmentStore(opts.attachmentsDir ?? path.join(path.dirname(opts.dbFile), 'attachments'));
  const assessments = new AssessmentService(
    database.sqlite,
    mutations,
    () => settings.userId(),
    () => settings.language(),
    (tx, orgId, assessmentId, list) => actions.createFromAssessment(tx, orgId, assessmentId, list),
    files,
  );
  const projects = new ProjectService(database.sqlite, mutations, today);
  const diagnoses = new DiagnosisService(database.sqlite, mutations, () => settings.userId(), () => settings.language());
  const suppliers = new SupplierService(database.sqlite, mutations, diagnoses, today);
  const fontsDir = opts.fontsDir ?? path.resolve(opts.migrationsFolder, '..', '..', 'assets', 'fonts');
  const sync = new SyncService(database.sqlite, mutations, settings.deviceId(), opts.logger, now, files);
  const divergence = new DivergenceCheck(database.sqlite, sync, settings.deviceId(), opts.logger);
  const scope = new ScopeCheck(database.sqlite, sync, () => mutations.tableNames(), opts.logger, search, files);
  const syncRunnerRef = new SyncRunner(sync, settings, opts.secretProtector ?? null, opts.logger, { divergence, scope, ...opts.sync, now });
  const keys = new KeyStore(opts.keysDir ?? path.join(path.dirname(opts.dbFile), 'keys'), opts.secretProtector ?? null);
  return {
    database,
    settings,
    mutations,
    search,
    organizations,
    mentors: new MentorService(database.sqlite, mutations, search),
    assessments,
    actions,
    diagnoses,
    suppliers,
    projects,
    postbuild: new PostbuildService(database.sqlite, mutations, projects, files, today),
    worklist: new WorklistService(database.sqlite, settings, today),
    sync,
    syncScope: scope,
    syncRunner: syncRunnerRef,
    certificates: new CertificateService(database.sqlite, mutations, files, keys, fontsDir, () => settings.get('issuing_office') ?? 'DXM', today),
    keys,
    reports: new ReportService(fontsDir, assessments, organizations, actions, diagnoses),
    exporter: opts.exporter ?? folderExporter(path.join(path.dirname(opts.dbFile), 'exports')),
    logger: opts.logger,
    appVersion: opts.appVersion,
    close: () => {
      syncRunnerRef.stop();
      database.close();
    },
  };
}
