/** Technology fields a supplier (기술 공급기업) works in. `intensive` marks the technology-intensive
 * fields that count for the VC link (domain brief §5). */
export const TECH_FIELDS = [
  { code: 'mes', intensive: false },
  { code: 'erp', intensive: false },
  { code: 'scm', intensive: false },
  { code: 'plm', intensive: false },
  { code: 'qms', intensive: false },
  { code: 'ai', intensive: true },
  { code: 'digital_twin', intensive: true },
  { code: 'big_data', intensive: true },
  { code: 'cloud', intensive: true },
  { code: 'robotics', intensive: false },
  { code: 'iot', intensive: false },
  { code: 'vision', intensive: true },
  { code: 'plc_control', intensive: false },
  { code: 'security', intensive: false },
] as const;

export type TechField = (typeof TECH_FIELDS)[number]['code'];
export const TECH_FIELD_CODES = TECH_FIELDS.map((f) => f.code) as [TechField, ...TechField[]];
