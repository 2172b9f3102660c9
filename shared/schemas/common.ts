import { z } from 'zod';

/**
 * Building blocks for input schemas. Messages are i18n keys (`validation.*`), so the same schema gives
 * translated field errors in the form (renderer) and at the boundary (main).
 */
export const MAX_NAME = 100;
export const MAX_TEXT = 300;
export const MAX_NOTES = 5000;
/** ±1,000조원: far beyond any SME's accounts, inside JavaScript's exact-integer range. */
export const MAX_KRW = 1_000_000_000_000_000;

export const id = z.string().min(1, { error: 'validation.required' }).max(64);

export const optionalText = (max: number = MAX_TEXT) =>
  z.string().trim().max(max, { error: 'validation.tooLong' });

export const requiredText = (max: number = MAX_NAME) =>
  z.string().trim().min(1, { error: 'validation.required' }).max(max, { error: 'validation.tooLong' });

export const krw = z
  .number({ error: 'validation.number' })
  .int({ error: 'validation.integer' })
  .min(-MAX_KRW, { error: 'validation.tooSmall' })
  .max(MAX_KRW, { error: 'validation.tooLarge' });

export const count = (max: number) =>
  z
    .number({ error: 'validation.number' })
    .int({ error: 'validation.integer' })
    .min(0, { error: 'validation.tooSmall' })
    .max(max, { error: 'validation.tooLarge' });

export const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, { error: 'validation.date' })
  .refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s), {
    error: 'validation.date',
  });

export const email = z
  .string()
  .trim()
  .max(MAX_NAME, { error: 'validation.tooLong' })
  .refine((s) => s === '' || /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(s), { error: 'validation.email' });

export const phone = z
  .string()
  .trim()
  .max(30, { error: 'validation.tooLong' })
  .refine((s) => s === '' || /^[0-9+()\-\s]{7,30}$/.test(s), { error: 'validation.phone' });

export const sortDir = z.enum(['asc', 'desc']);
export const archivedFilter = z.enum(['active', 'archived', 'all']);
export const page = z.number().int().min(1).max(100_000);
export const pageSize = z.number().int().min(5).max(200);
export const searchQuery = z.string().max(100, { error: 'validation.tooLong' });
