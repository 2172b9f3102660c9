/**
 * Korean Standard Industrial Classification (KSIC, 10th revision), section C (manufacturing),
 * divisions 10–34. A company's detailed code (up to 5 digits) must start with one of these.
 */
export const KSIC_DIVISIONS = [
  { code: '10', ko: '식료품 제조업', en: 'Food products' },
  { code: '11', ko: '음료 제조업', en: 'Beverages' },
  { code: '12', ko: '담배 제조업', en: 'Tobacco products' },
  { code: '13', ko: '섬유제품 제조업', en: 'Textiles' },
  { code: '14', ko: '의복, 의복 액세서리 및 모피제품 제조업', en: 'Wearing apparel' },
  { code: '15', ko: '가죽, 가방 및 신발 제조업', en: 'Leather, bags and footwear' },
  { code: '16', ko: '목재 및 나무제품 제조업', en: 'Wood products' },
  { code: '17', ko: '펄프, 종이 및 종이제품 제조업', en: 'Pulp and paper' },
  { code: '18', ko: '인쇄 및 기록매체 복제업', en: 'Printing and recorded media' },
  { code: '19', ko: '코크스, 연탄 및 석유정제품 제조업', en: 'Coke and refined petroleum' },
  { code: '20', ko: '화학물질 및 화학제품 제조업', en: 'Chemicals' },
  { code: '21', ko: '의료용 물질 및 의약품 제조업', en: 'Pharmaceuticals' },
  { code: '22', ko: '고무 및 플라스틱제품 제조업', en: 'Rubber and plastics' },
  { code: '23', ko: '비금속 광물제품 제조업', en: 'Non-metallic mineral products' },
  { code: '24', ko: '1차 금속 제조업', en: 'Basic metals' },
  { code: '25', ko: '금속 가공제품 제조업', en: 'Fabricated metal products' },
  { code: '26', ko: '전자 부품, 컴퓨터, 영상, 음향 및 통신장비 제조업', en: 'Electronic components, computers and communication equipment' },
  { code: '27', ko: '의료, 정밀, 광학 기기 및 시계 제조업', en: 'Medical, precision and optical instruments' },
  { code: '28', ko: '전기장비 제조업', en: 'Electrical equipment' },
  { code: '29', ko: '기타 기계 및 장비 제조업', en: 'Machinery and equipment' },
  { code: '30', ko: '자동차 및 트레일러 제조업', en: 'Motor vehicles and trailers' },
  { code: '31', ko: '기타 운송장비 제조업', en: 'Other transport equipment' },
  { code: '32', ko: '가구 제조업', en: 'Furniture' },
  { code: '33', ko: '기타 제품 제조업', en: 'Other manufacturing' },
  { code: '34', ko: '산업용 기계 및 장비 수리업', en: 'Repair of industrial machinery' },
] as const;

export type KsicDivision = (typeof KSIC_DIVISIONS)[number]['code'];
export const KSIC_DIVISION_CODES = KSIC_DIVISIONS.map((d) => d.code) as [KsicDivision, ...KsicDivision[]];

export function ksicDivisionOf(code: string): KsicDivision | undefined {
  const div = code.slice(0, 2);
  return KSIC_DIVISION_CODES.find((c) => c === div);
}

export function ksicName(code: string, lang: string): string {
  const div = KSIC_DIVISIONS.find((d) => d.code === code.slice(0, 2));
  if (!div) return code;
  return lang.startsWith('ko') ? div.ko : div.en;
}
