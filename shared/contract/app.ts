import { z } from 'zod';
import { REGION_CODES } from '../domain/regions.ts';
import { DUE_KINDS } from '../domain/worklist.ts';
import { id } from '../schemas/common.ts';
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
  /**
   * What is due across the companies on this laptop (or one mentor pair's): stabilisation ending,
   * post-build checks, the free after-service year closing, certificates lapsing, follow-up actions;
   * earliest first, overdue included.
   */
  'worklist.list': op(
    z.object({ pairId: id.optional(), horizonDays: z.number().int().min(1).max(366).default(60) }),
    z.object({
      today: z.string(),
      items: z.array(
        z.object({
          kind: z.enum(DUE_KINDS),
          dueOn: z.string(),
          status: z.enum(['overdue', 'soon', 'upcoming']),
          /** Days from today (negative when overdue). */
          daysLeft: z.number(),
          refId: z.string(),
          /** Where the item opens: a project, a certificate's confirmation, or the company. */
          link: z.string(),
          orgId: z.string(),
          orgName: z.string(),
          /** Project title, certificate number or action title. */
          subject: z.string(),
        }),
      ),
      counts: z.object({ overdue: z.number(), soon: z.number(), upcoming: z.number() }),
    }),
  ),
  /**
   * The start-up reminder: says whether to show it (once a day per device, and only when something is
   * overdue or due this week) and records that it was shown.
   */
  'worklist.remind': op(z.object({}), z.object({ show: z.boolean(), overdue: z.number(), soon: z.number() })),
} as const;
