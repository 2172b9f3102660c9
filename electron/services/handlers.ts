/**
 * One handler per contract operation. The mapped type makes a missing or extra handler a compile error.
 * Inputs arrive already parsed by the contract's zod schema (see dispatch.ts).
 */
import type { OpName, OpOutput, OpParsedInput } from '#shared/contract/index';
import type { AppServices } from './app.ts';
import { dashboardSummary } from './dashboard.ts';

export type Handlers = { [N in OpName]: (input: OpParsedInput<N>) => OpOutput<N> | Promise<OpOutput<N>> };

const today = () => new Date().toISOString().slice(0, 10);

export function createHandlers(s: AppServices): Handlers {
  const orgs = s.organizations;
  return {
    'app.info': () => ({
      version: s.appVersion,
      deviceId: s.settings.deviceId(),
      dbPath: s.database.file,
      schemaVersion: s.database.schemaVersion,
    }),
    'settings.get': () => ({ language: s.settings.language() }),
    'settings.setLanguage': ({ language }) => {
      s.settings.set('language', language);
      return { language };
    },
    'dashboard.summary': () => dashboardSummary(s.database.sqlite),
    'worklist.list': (input) => s.worklist.list(input),
    'worklist.remind': () => s.worklist.remind(),

    'sync.status': () => {
      const q = s.sync.status();
      const r = s.syncRunner.status();
      return { ...r, pending: q.pending, oldestPendingAt: q.oldestPendingAt, rejected: q.rejected, openConflicts: q.openConflicts, lastSuccessAt: q.lastSuccessAt, missingFiles: q.missingFiles, filesToSend: q.filesToSend, clockSkewMs: q.clockSkewMs, stuck: s.syncRunner.stuck(), scopeRemoval: s.syncRunner.scopeRemoval() };
    },
    'sync.enrol': ({ serverUrl, code, deviceName }) => s.syncRunner.enrol(serverUrl, code, deviceName),
    'sync.disconnect': () => {
      s.syncRunner.disconnect();
      return { ok: true as const };
    },
    'sync.now': () => s.syncRunner.runNow(),
    'sync.conflicts': () => ({ rows: s.sync.conflicts().map((c) => ({ ...c, ...s.sync.describe(c.tbl, c.rowId) })) }),
    'sync.resolve': ({ id, choice, merged }) => {
      s.sync.resolve(id, choice, merged);
      s.syncRunner.kick(0);
      return { ok: true as const };
    },
    'sync.rejected': () => ({ rows: s.sync.rejected() }),
    'sync.checkIntegrity': () => {
      const r = s.sync.checkIntegrity(true);
      return { altered: r.altered.length, unlogged: r.unlogged.length, repaired: r.repaired };
    },

    'companies.list': (input) => orgs.list('company', input),
    'companies.get': ({ id }) => orgs.get('company', id),
    'companies.create': (input) => ({ id: orgs.create('company', input) }),
    'companies.update': ({ id, ...data }) => ({ id: orgs.update('company', id, data) }),
    'companies.archive': ({ id }) => ({ id: orgs.archive('company', id) }),
    'companies.restore': ({ id }) => ({ id: orgs.restore('company', id) }),

    'suppliers.list': (input) => orgs.list('supplier', input),
    'suppliers.get': ({ id }) => orgs.get('supplier', id),
    'suppliers.create': (input) => ({ id: orgs.create('supplier', input) }),
    'suppliers.update': ({ id, ...data }) => ({ id: orgs.update('supplier', id, data) }),
    'suppliers.archive': ({ id }) => ({ id: orgs.archive('supplier', id) }),
    'suppliers.restore': ({ id }) => ({ id: orgs.restore('supplier', id) }),

    'mentors.list': (input) => s.mentors.list(input),
    'mentors.get': ({ id }) => s.mentors.get(id),
    'mentors.create': (input) => ({ id: s.mentors.create(input) }),
    'mentors.update': ({ id, ...data }) => ({ id: s.mentors.update(id, data) }),
    'mentors.archive': ({ id }) => ({ id: s.mentors.archive(id) }),
    'mentors.restore': ({ id }) => ({ id: s.mentors.restore(id) }),
    'pairs.list': ({ query }) => ({ rows: s.mentors.pairs(query) }),
    'pairs.create': ({ processMentorId, aiMentorId }) => ({ id: s.mentors.createPair(processMentorId, aiMentorId) }),
    'pairs.dissolve': ({ id }) => ({ id: s.mentors.dissolvePair(id) }),
    'pairs.assign': ({ companyId, pairId, assignedOn }) => s.mentors.assign(companyId, pairId, assignedOn ?? today()),

    'visits.create': (input) => ({ id: s.assessments.createVisit(input) }),
    'visits.list': ({ companyId }) => ({ rows: s.assessments.listVisits(companyId) }),
    'visits.addPhoto': ({ visitId, fileName, data }) => ({ id: s.assessments.addVisitPhoto(visitId, fileName, Buffer.from(data, 'base64')) }),
    'visits.photos': ({ visitId }) => ({ rows: s.assessments.visitPhotos(visitId) }),
    'visits.photo': ({ id }) => s.assessments.visitPhoto(id),
    'assessments.create': ({ companyId, visitId, instrumentId }) => ({ id: s.assessments.create(companyId, visitId, instrumentId) }),
    'assessments.get': ({ id }) => s.assessments.get(id),
    'assessments.listRecent': ({ limit }) => ({ rows: s.assessments.listRecent(limit) }),
    'assessments.listForCompany': ({ companyId }) => ({ rows: s.assessments.listForCompany(companyId) }),
    'assessments.saveAnswer': ({ assessmentId, itemId, value, comment }) => ({ result: s.assessments.saveAnswer(assessmentId, itemId, value, comment) }),
    'assessments.saveKpi': ({ assessmentId, kpiId, value }) => (s.assessments.saveKpi(assessmentId, kpiId, value), { ok: true as const }),
    'assessments.setOverride': ({ assessmentId, type, reason }) => (s.assessments.setOverride(assessmentId, type, reason), { ok: true as const }),
    'assessments.history': ({ assessmentId, itemId }) => ({ rows: s.assessments.history(assessmentId, itemId) }),
    'assessments.finalize': ({ id, signatures }) => ({ result: s.assessments.finalize(id, signatures) }),
    'assessments.revise': ({ id }) => ({ id: s.assessments.revise(id) }),
    'reports.exportAssessment': async ({ id, language }) => {
      const { fileName, pdf } = await s.reports.assessmentPdf(id, language);
      return { path: await s.exporter.save(fileName, pdf, [{ name: 'PDF', extensions: ['pdf'] }]) };
    },
    'reports.exportAssessmentData': async ({ id, language, format }) => {
      const { fileName, data } = await s.reports.assessmentData(id, language, format);
      const filter = format === 'csv' ? { name: 'CSV', extensions: ['csv'] } : { name: 'Excel', extensions: ['xlsx'] };
      return { path: await s.exporter.save(fileName, data, [filter]) };
    },
    'assessments.peers': ({ id }) => s.assessments.peers(id),
    'evidence.add': ({ assessmentId, itemId, fileName, data }) => ({ id: s.assessments.addEvidence(assessmentId, itemId, fileName, Buffer.from(data, 'base64')) }),
    'evidence.list': ({ assessmentId }) => ({ rows: s.assessments.listEvidence(assessmentId) }),
    'evidence.image': ({ id }) => s.assessments.evidenceImage(id),
    'evidence.remove': ({ id }) => (s.assessments.removeEvidence(id), { ok: true as const }),
    'actions.list': ({ companyId }) => ({ rows: s.actions.list(companyId) }),
    'actions.create': ({ companyId, ...data }) => ({ id: s.actions.create(companyId, data) }),
    'actions.update': ({ id, ...data }) => ({ id: s.actions.update(id, data) }),
    'diagnoses.create': ({ supplierId, ...header }) => ({ id: s.diagnoses.create(supplierId, header) }),
    'diagnoses.get': ({ id }) => s.diagnoses.get(id),
    'diagnoses.listForSupplier': ({ supplierId }) => ({ rows: s.diagnoses.listForSupplier(supplierId) }),
    'diagnoses.updateHeader': ({ id, ...header }) => (s.diagnoses.updateHeader(id, header), { ok: true as const }),
    'diagnoses.saveAnswer': ({ diagnosisId, itemId, score, comment }) => ({ result: s.diagnoses.saveAnswer(diagnosisId, itemId, score, comment) }),
    'diagnoses.savePlan': ({ id, plan }) => (s.diagnoses.savePlan(id, plan), { ok: true as const }),
    'diagnoses.suggestPlan': ({ id }) => ({ added: s.diagnoses.suggestPlan(id) }),
    'diagnoses.finalize': ({ id, signatures }) => ({ result: s.diagnoses.finalize(id, signatures) }),
    'reports.exportDiagnosis': async ({ id, language }) => {
      const { fileName, pdf } = await s.reports.diagnosisPdf(id, language);
      return { path: await s.exporter.save(fileName, pdf, [{ name: 'PDF', extensions: ['pdf'] }]) };
    },
    'sanctions.list': ({ orgId }) => ({ rows: s.suppliers.listSanctions(orgId), standing: s.suppliers.standing(orgId) }),
    'sanctions.save': ({ orgId, id, ...data }) => ({ id: s.suppliers.saveSanction(orgId, id, data) }),
    'sanctions.withdraw': ({ id }) => (s.suppliers.withdrawSanction(id), { ok: true as const }),
    'suppliers.vcLink': ({ id }) => s.suppliers.vcLink(id),
    'portal.get': ({ id }) => s.suppliers.portal(id),
    'portal.approve': ({ id, approvedBy }) => (s.suppliers.approvePortal(id, approvedBy), { ok: true as const }),
    'portal.export': async ({ id }) => {
      const { fileName, json } = s.suppliers.portalExport(id);
      return { path: await s.exporter.save(fileName, json, [{ name: 'JSON', extensions: ['json'] }]) };
    },
    'projects.create': (input) => ({ id: s.projects.create(input) }),
    'projects.update': ({ id, ...data }) => ({ id: s.projects.update(id, data) }),
    'projects.get': ({ id }) => s.projects.get(id),
    'projects.listForCompany': ({ companyId }) => ({ rows: s.projects.listForCompany(companyId) }),
    'projects.listForSupplier': ({ supplierId }) => ({ rows: s.projects.listForSupplier(supplierId) }),
    'postbuild.create': ({ projectId, checkedOn }) => ({ id: s.postbuild.createCheck(projectId, checkedOn) }),
    'postbuild.get': ({ id }) => s.postbuild.getCheck(id),
    'postbuild.list': ({ projectId }) => ({ rows: s.postbuild.listChecks(projectId) }),
    'postbuild.saveAnswer': ({ checkId, itemId, value, comment }) => s.postbuild.saveAnswer(checkId, itemId, value, comment),
    'postbuild.sign': ({ id, name, png }) => s.postbuild.signCheck(id, name, png),
    'usage.import': ({ projectId, kind, fileName, data }) => s.postbuild.importUsage(projectId, kind, fileName, Buffer.from(data, 'base64')),
    'usage.get': ({ projectId }) => s.postbuild.usage(projectId),
    'projects.addPhoto': async ({ projectId, fileName, caption, data }) => ({ id: await s.postbuild.addPhoto(projectId, fileName, Buffer.from(data, 'base64'), caption) }),
    'projects.photos': ({ projectId }) => ({ rows: s.postbuild.photos(projectId) }),
    'projects.saveDocuments': ({ projectId, documents }) => (s.postbuild.saveDocuments(projectId, documents), { ok: true as const }),
    'projects.documents': ({ projectId }) => ({ rows: s.postbuild.documents(projectId) }),
    'flags.list': ({ projectId }) => s.postbuild.redFlags(projectId),
    'flags.record': ({ projectId, rule, status, note, recordedBy }) => (s.postbuild.recordFinding(projectId, rule, status, note, recordedBy), { ok: true as const }),
    'suppliers.trackRecord': ({ id }) => ({ rows: s.postbuild.trackRecord(id) }),
    'levels.create': ({ companyId, projectId, assessedOn }) => ({ id: s.certificates.create(companyId, projectId, assessedOn) }),
    'levels.get': ({ id }) => s.certificates.get(id),
    'levels.listForCompany': ({ companyId }) => ({ rows: s.certificates.listForCompany(companyId) }),
    'levels.saveStep': ({ confirmationId, areaId, step, evidence }) => ({ result: s.certificates.saveStep(confirmationId, areaId, step, evidence) }),
    'levels.finalize': ({ id, signatures }) => ({ result: s.certificates.finalize(id, signatures) }),
    'certificates.issue': ({ confirmationId, passphrase }) => s.certificates.issue(confirmationId, passphrase),
    'certificates.export': async ({ id }) => {
      const { fileName, pdf } = s.certificates.pdf(id);
      return { path: await s.exporter.save(fileName, pdf, [{ name: 'PDF', extensions: ['pdf'] }]) };
    },
    'certificates.revoke': ({ id, reason }) => (s.certificates.revoke(id, reason), { ok: true as const }),
    'certificates.register': () => ({ rows: s.certificates.register() }),
    'certificates.verify': ({ data }) => {
      const r = s.certificates.verify(Buffer.from(data, 'base64'));
      return { ...r, data: r.data ? { ...r.data } : null };
    },
    'certificates.keyInfo': () => s.keys.info(),
    'files.open': async ({ path }) => {
      await s.exporter.open(path);
      return { ok: true as const };
    },
  };
}
