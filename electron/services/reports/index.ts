import i18next, { type TFunction } from 'i18next';
import { AppError } from '#shared/contract/errors';
import { NAMESPACES, resources } from '#shared/i18n/resources';
import { getInstrument } from '#shared/instruments/index';
import { diagnosisReportModel } from '#shared/reports/diagnosis';
import { assessmentReportModel } from '#shared/reports/assessment';
import { assessmentTable } from '#shared/reports/assessment-data';
import type { ActionItemService } from '../action-items.ts';
import type { AssessmentService } from '../assessments.ts';
import type { DiagnosisService } from '../diagnoses.ts';
import type { OrganizationService } from '../organizations.ts';
import { renderAssessmentReport } from './assessment.ts';
import { renderDiagnosisReport } from './diagnosis.ts';
import { toCsv, toXlsx } from './tabular.ts';

/** Report rendering for the contract: loads the data, shapes it (shared/reports) and draws it. */
export class ReportService {
  private readonly translators = new Map<string, TFunction>();

  constructor(
    private readonly fontsDir: string,
    private readonly assessments: AssessmentService,
    private readonly organizations: OrganizationService,
    private readonly actions: ActionItemService,
    private readonly diagnoses: DiagnosisService,
  ) {}

  private t(lang: 'ko' | 'en', ns: 'assessment' | 'diagnosis' = 'assessment'): TFunction {
    let t = this.translators.get(`${lang}:${ns}`);
    if (!t) {
      const inst = i18next.createInstance();
      void inst.init({ resources, lng: lang, ns: [...NAMESPACES], defaultNS: ns, initAsync: false, interpolation: { escapeValue: false } });
      t = inst.t.bind(inst);
      this.translators.set(`${lang}:${ns}`, t);
    }
    return t;
  }

  async assessmentPdf(id: string, lang: 'ko' | 'en'): Promise<{ fileName: string; pdf: Buffer }> {
    const a = this.assessments.get(id);
    const instrument = getInstrument(a.instrumentId, a.instrumentVersion);
    if (!instrument) throw new AppError({ code: 'internal', messageKey: 'errors.assessment.unknownInstrument', params: { id: a.instrumentId, version: a.instrumentVersion } });
    const company = this.organizations.get('company', a.companyId);
    const t = this.t(lang);
    const translate = (key: string, params?: Record<string, string | number>) => t(key, params);
    const actions = this.actions.list(a.companyId).filter((x) => x.status === 'open');
    const model = assessmentReportModel({ lang, t: translate, instrument, company, assessment: a, actions });
    const pdf = await renderAssessmentReport(model, this.fontsDir, (k) => translate(k), (page, pages) => translate('report.page', { page, pages }), this.assessments.signatureImages(id));
    const date = (a.finalizedAt ?? a.updatedAt).slice(0, 10);
    return { fileName: `${company.name}_${translate('report.fileName')}_${date}.pdf`, pdf };
  }

  /** The assessment as a table (one row per item) for the central office. */
  async assessmentData(id: string, lang: 'ko' | 'en', format: 'csv' | 'xlsx'): Promise<{ fileName: string; data: Buffer }> {
    const a = this.assessments.get(id);
    const instrument = getInstrument(a.instrumentId, a.instrumentVersion);
    if (!instrument) throw new AppError({ code: 'internal', messageKey: 'errors.assessment.unknownInstrument', params: { id: a.instrumentId, version: a.instrumentVersion } });
    const company = this.organizations.get('company', a.companyId);
    const t = this.t(lang);
    const table = assessmentTable({ lang, t: (k, p) => t(k, p), instrument, company, assessment: a });
    const date = (a.finalizedAt ?? a.updatedAt).slice(0, 10);
    const fileName = `${company.name}_${t('report.fileName')}_${date}.${format}`;
    return { fileName, data: format === 'csv' ? toCsv(table) : await toXlsx(table) };
  }

  async diagnosisPdf(id: string, lang: 'ko' | 'en'): Promise<{ fileName: string; pdf: Buffer }> {
    const d = this.diagnoses.get(id);
    const instrument = this.diagnoses.instrumentFor(id);
    const supplier = this.organizations.get('supplier', d.supplierId);
    const t = this.t(lang, 'diagnosis');
    const translate = (key: string, params?: Record<string, string | number>) => t(key, params);
    const model = diagnosisReportModel({ lang, t: translate, instrument, supplier, diagnosis: d });
    const pdf = await renderDiagnosisReport(model, this.fontsDir, (k) => translate(k), (page, pages) => translate('report.page', { page, pages }), this.diagnoses.signatureImages(id));
    return { fileName: `${supplier.name}_${translate('report.fileName')}_${d.diagnosedOn}.pdf`, pdf };
  }
}
