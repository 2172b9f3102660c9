import { z } from 'zod';
import { AFFILIATION_TYPES, EXPERTISE } from '../domain/mentors.ts';
import { REGION_CODES } from '../domain/regions.ts';
import { archivedFilter, email, id, isoDate, optionalText, page, pageSize, phone, requiredText, searchQuery, sortDir } from './common.ts';

export const mentorInput = z.object({
  name: requiredText(50),
  affiliationType: z.enum(AFFILIATION_TYPES, { error: 'validation.required' }),
  affiliationName: optionalText(100),
  expertise: z.enum(EXPERTISE, { error: 'validation.required' }),
  region: z.enum(REGION_CODES, { error: 'validation.required' }),
  phone,
  email,
});
export type MentorInput = z.input<typeof mentorInput>;
export type MentorData = z.output<typeof mentorInput>;

export const mentorListInput = z.object({
  query: searchQuery.default(''),
  regions: z.array(z.enum(REGION_CODES)).max(17).default([]),
  expertise: z.array(z.enum(EXPERTISE)).max(2).default([]),
  affiliationTypes: z.array(z.enum(AFFILIATION_TYPES)).max(4).default([]),
  archived: archivedFilter.default('active'),
  sort: z.object({ field: z.enum(['name', 'region', 'expertise', 'updatedAt']), dir: sortDir }).default({ field: 'name', dir: 'asc' }),
  page: page.default(1),
  pageSize: pageSize.default(50),
});
export type MentorListInput = z.input<typeof mentorListInput>;

export const mentorRow = z.object({
  id: z.string(),
  name: z.string(),
  affiliationType: z.enum(AFFILIATION_TYPES),
  affiliationName: z.string(),
  expertise: z.enum(EXPERTISE),
  region: z.string(),
  phone: z.string(),
  email: z.string(),
  pairId: z.string().nullable(),
  partnerName: z.string().nullable(),
  updatedAt: z.string(),
  deletedAt: z.string().nullable(),
});
export type MentorRow = z.infer<typeof mentorRow>;

export const pairRow = z.object({
  id: z.string(),
  processMentorId: z.string(),
  processMentor: z.string(),
  aiMentorId: z.string(),
  aiMentor: z.string(),
  region: z.string(),
  companyCount: z.number(),
  createdAt: z.string(),
});
export type PairRow = z.infer<typeof pairRow>;

export const pairCreateInput = z.object({ processMentorId: id, aiMentorId: id });
export const pairAssignInput = z.object({ companyId: id, pairId: id.nullable(), assignedOn: isoDate.optional() });
