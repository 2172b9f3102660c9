import { z } from 'zod';
import { id, requiredText } from '../schemas/common.ts';
import { op } from './op.ts';

const ok = z.object({ ok: z.literal(true) });
/** What a synced record is, for people: the company (a link to it while it is on this laptop), and the assessment item where there is one. */
const recordLabel = { companyName: z.string().nullable(), link: z.string().nullable(), itemId: z.string().nullable() };
const side = z.object({ opId: z.string(), value: z.string().nullable(), hlc: z.string(), deviceId: z.string(), userId: z.string() });

/** Sync with the central service: enrolment, status, the button, conflicts and refused changes. */
export const syncContract = {
  /** Everything the sync indicator and the sync screen show. */
  'sync.status': op(
    z.object({}),
    z.object({
      connected: z.boolean(),
      serverUrl: z.string().nullable(),
      running: z.boolean(),
      lastAttemptAt: z.string().nullable(),
      lastSuccessAt: z.string().nullable(),
      lastError: z.string().nullable(),
      failures: z.number(),
      nextAttemptAt: z.string().nullable(),
      /** Changes of this laptop the server has not confirmed, and when the oldest was made. */
      pending: z.number(),
      oldestPendingAt: z.string().nullable(),
      rejected: z.number(),
      openConflicts: z.number(),
      /** Photos and PDFs records refer to that have not arrived yet, and this laptop's not yet on the server. */
      missingFiles: z.number(),
      filesToSend: z.number(),
      /** How far this laptop's clock was off the service's at the last sync (ms, positive: ahead); 0 within tolerance. */
      clockSkewMs: z.number(),
      /** The queue has waited over an hour while rounds fail. */
      stuck: z.boolean(),
      /**
       * What the last scope check that removed anything took off this laptop since the app started: companies no
       * longer assigned to its pair, suppliers it may no longer see (ISO time); null when none was removed.
       */
      scopeRemoval: z.object({ companies: z.number(), suppliers: z.number(), at: z.string() }).nullable(),
    }),
  ),
  /** Enrols this laptop with a one-time code from the central office. */
  'sync.enrol': op(
    z.object({
      serverUrl: z.url({ protocol: /^https?$/, error: 'validation.url' }).max(300),
      code: requiredText(40),
      deviceName: requiredText(100),
    }),
    z.object({ deviceId: z.string() }),
  ),
  'sync.disconnect': op(z.object({}), ok),
  /** One round now: push what is waiting, then pull. */
  'sync.now': op(z.object({}), z.object({ pushed: z.number(), rejected: z.number(), pulled: z.number() })),
  'sync.conflicts': op(
    z.object({}),
    z.object({
      rows: z.array(
        z.object({
          id: z.string(),
          tbl: z.string(),
          rowId: z.string(),
          field: z.string(),
          kept: side,
          other: side,
          resolved: z.boolean(),
          settled: z.boolean(),
          ...recordLabel,
        }),
      ),
    }),
  ),
  /** Keep the value the merge kept, take the other one, or save a merged text. */
  'sync.resolve': op(
    z.object({ id, choice: z.enum(['kept', 'other', 'merged']), merged: z.string().max(20_000).optional() }),
    ok,
  ),
  /**
   * Checks that every synced row holds what its change log says (finds a database edited behind the app's
   * back) and puts altered fields back to their logged values.
   */
  'sync.checkIntegrity': op(z.object({}), z.object({ altered: z.number(), unlogged: z.number(), repaired: z.number() })),
  /** Changes the server refused, with its reason; kept on the laptop. */
  'sync.rejected': op(
    z.object({}),
    z.object({
      rows: z.array(
        z.object({
          opId: z.string(),
          tbl: z.string(),
          rowId: z.string(),
          field: z.string(),
          value: z.string().nullable(),
          reason: z.string(),
          messageKey: z.string(),
          at: z.string(),
          /** The company as it was when refused, if it has left this laptop since. */
          ...recordLabel,
        }),
      ),
    }),
  ),
} as const;
