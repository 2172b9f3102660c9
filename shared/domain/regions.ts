/** The 17 first-level administrative divisions (시·도), keyed by their statutory code. */
export const REGIONS = [
  { code: '11', ko: '서울특별시', en: 'Seoul', short: '서울' },
  { code: '26', ko: '부산광역시', en: 'Busan', short: '부산' },
  { code: '27', ko: '대구광역시', en: 'Daegu', short: '대구' },
  { code: '28', ko: '인천광역시', en: 'Incheon', short: '인천' },
  { code: '29', ko: '광주광역시', en: 'Gwangju', short: '광주' },
  { code: '30', ko: '대전광역시', en: 'Daejeon', short: '대전' },
  { code: '31', ko: '울산광역시', en: 'Ulsan', short: '울산' },
  { code: '36', ko: '세종특별자치시', en: 'Sejong', short: '세종' },
  { code: '41', ko: '경기도', en: 'Gyeonggi', short: '경기' },
  { code: '43', ko: '충청북도', en: 'Chungbuk', short: '충북' },
  { code: '44', ko: '충청남도', en: 'Chungnam', short: '충남' },
  { code: '46', ko: '전라남도', en: 'Jeonnam', short: '전남' },
  { code: '47', ko: '경상북도', en: 'Gyeongbuk', short: '경북' },
  { code: '48', ko: '경상남도', en: 'Gyeongnam', short: '경남' },
  { code: '50', ko: '제주특별자치도', en: 'Jeju', short: '제주' },
  { code: '51', ko: '강원특별자치도', en: 'Gangwon', short: '강원' },
  { code: '52', ko: '전북특별자치도', en: 'Jeonbuk', short: '전북' },
] as const;

export type RegionCode = (typeof REGIONS)[number]['code'];
export const REGION_CODES = REGIONS.map((r) => r.code) as [RegionCode, ...RegionCode[]];

export function regionName(code: string, lang: string): string {
  const r = REGIONS.find((x) => x.code === code);
  if (!r) return code;
  return lang.startsWith('ko') ? r.ko : r.en;
}
