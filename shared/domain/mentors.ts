/** Where a DX mentor comes from (중소기업 DX 멘토단). */
export const AFFILIATION_TYPES = ['meister', 'kaist_institute', 'polytechnic', 'other'] as const;
export type AffiliationType = (typeof AFFILIATION_TYPES)[number];

/** Mentors visit in pairs: one process expert and one AI expert (공정·AI 전문가 2인 1조). */
export const EXPERTISE = ['process', 'ai'] as const;
export type Expertise = (typeof EXPERTISE)[number];
