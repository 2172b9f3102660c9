import { z } from 'zod';
import { id } from '../schemas/common.ts';
import { mentorInput, mentorListInput, mentorRow, pairAssignInput, pairCreateInput, pairRow } from '../schemas/mentors.ts';
import { op } from './op.ts';

const byId = z.object({ id });
const saved = z.object({ id: z.string() });

/** DX mentors (멘토단) and their process + AI pairs. */
export const mentorsContract = {
  'mentors.list': op(mentorListInput, z.object({ rows: z.array(mentorRow), total: z.number() })),
  'mentors.get': op(byId, mentorRow),
  'mentors.create': op(mentorInput, saved),
  'mentors.update': op(mentorInput.extend({ id }), saved),
  /** Archiving a mentor also dissolves their pair. */
  'mentors.archive': op(byId, saved),
  'mentors.restore': op(byId, saved),
  /** Active pairs, optionally only those with a mentor matching the query. */
  'pairs.list': op(z.object({ query: z.string().max(100).default('') }), z.object({ rows: z.array(pairRow) })),
  'pairs.create': op(pairCreateInput, saved),
  /** Dissolves a pair; its companies become unassigned. */
  'pairs.dissolve': op(byId, saved),
  /** Matches a company with a pair (null: unassign). */
  'pairs.assign': op(pairAssignInput, z.object({ companyId: z.string(), pairId: z.string().nullable() })),
} as const;
