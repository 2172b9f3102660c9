import { z } from 'zod';
import { REGION_CODES } from '../domain/regions.ts';
import { op } from './op.ts';

export const LANGUAGES = ['ko', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

/** Application-wide operations: settings and the dashboard. */
export const appContract = {
  /** Build and device facts shown in Settings › About. */
  'app.info': op(
    z.object({}),
    z.object({ version: z.string(), deviceId: z.string(), dbPath: z.string(), schemaVersion: z.number() }),
  ),
  /** Device-local preferences (persist across restarts). */
  'settings.get': op(z.object({}), z.object({ language: z.enum(LANGUAGES) })),
  'settings.setLanguage': op(z.object({ language: z.enum(LANGUAGES) }), z.object({ language: z.enum(LANGUAGES) })),
  /** Portfolio counts for the dashboard, straight from the database. */
  'dashboard.summary': op(
    z.object({}),
    z.object({
      companies: z.number(),
      suppliers: z.number(),
      mentors: z.number(),
      pairs: z.number(),
      unassignedCompanies: z.number(),
      byRegion: z.array(z.object({ region: z.enum(REGION_CODES), companies: z.number(), suppliers: z.number() })),
      /** Companies created or changed in the last 7 days. */
      recentChanges: z.number(),
      /** Companies by the type of their latest finalised assessment (mentor override first). */
      byType: z.object({ excellent: z.number(), average: z.number(), weak: z.number() }),
      assessmentsInProgress: z.number(),
      visitsThisMonth: z.number(),
      /** Open follow-up actions overdue or due within 30 days. */
      actionsDue: z.number(),
    }),
  ),
} as const;
