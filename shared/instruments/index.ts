import { z } from 'zod';
import { companyDxV1 } from './company-dx-v1.ts';
import type { DiagnosisInstrument } from './diagnosis-types.ts';
import { supplierDiagnosisV1 } from './supplier-diagnosis-v1.ts';
import type { Instrument, Item } from './types.ts';

/** Every instrument version ever shipped: old assessments keep scoring with the version they were made with. */
const REGISTRY: readonly Instrument[] = [companyDxV1];

export function getInstrument(id: string, version: number): Instrument | undefined {
  return REGISTRY.find((i) => i.id === id && i.version === version);
}

export function latestInstrument(id: string): Instrument | undefined {
  return REGISTRY.filter((i) => i.id === id).sort((a, b) => b.version - a.version)[0];
}

/** Every supplier-diagnosis version ever shipped (same rule: a diagnosis keeps its version). */
const DIAGNOSIS_REGISTRY: readonly DiagnosisInstrument[] = [supplierDiagnosisV1];

export function getDiagnosisInstrument(id: string, version: number): DiagnosisInstrument | undefined {
  return DIAGNOSIS_REGISTRY.find((i) => i.id === id && i.version === version);
}

export function latestDiagnosisInstrument(): DiagnosisInstrument {
  return [...DIAGNOSIS_REGISTRY].sort((a, b) => b.version - a.version)[0] as DiagnosisInstrument;
}

export const INSTRUMENT_IDS = [...new Set(REGISTRY.map((i) => i.id))];

export function findItem(instrument: Instrument, itemId: string): Item | undefined {
  for (const s of instrument.sections) for (const i of s.items) if (i.id === itemId) return i;
  return undefined;
}

/** The shape an answer to `item` must have (null clears it). */
export function answerSchema(item: Item): z.ZodType {
  switch (item.type) {
    case 'scale':
      return z.number({ error: 'validation.number' }).int({ error: 'validation.integer' }).min(1, { error: 'validation.tooSmall' }).max(5, { error: 'validation.tooLarge' }).nullable();
    case 'ypn':
      return z.enum(['yes', 'partly', 'no'], { error: 'validation.choice' }).nullable();
    case 'number':
      return z.number({ error: 'validation.number' }).min(item.min, { error: 'validation.tooSmall' }).max(item.max, { error: 'validation.tooLarge' }).nullable();
    case 'donePlanned': {
      const ids = item.options.map((o) => o.id) as [string, ...string[]];
      return z
        .object({ done: z.array(z.enum(ids, { error: 'validation.choice' })).max(ids.length), planned: z.array(z.enum(ids, { error: 'validation.choice' })).max(ids.length) })
        .refine((v) => !v.done.some((d) => v.planned.includes(d)), { error: 'validation.donePlanned' })
        .nullable();
    }
    case 'text':
      return z.string().max(5000, { error: 'validation.tooLong' }).nullable();
  }
}
