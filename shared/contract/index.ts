/**
 * The typed contract between the renderer and the main process: operation name → zod input schema and
 * output schema. Main validates every input against it before a handler runs; the preload refuses names
 * that are not here; the renderer's client is typed from it.
 */
import type { z } from 'zod';
import { appContract } from './app.ts';
import { assessmentsContract } from './assessments.ts';
import { certificatesContract } from './certificates.ts';
import { diagnosesContract } from './diagnoses.ts';
import { postbuildContract, projectsContract } from './projects.ts';
import { mentorsContract } from './mentors.ts';
import { companiesContract, suppliersContract } from './organizations.ts';
import { syncContract } from './sync.ts';

export const contract = {
  ...appContract,
  ...companiesContract,
  ...suppliersContract,
  ...mentorsContract,
  ...assessmentsContract,
  ...diagnosesContract,
  ...projectsContract,
  ...postbuildContract,
  ...certificatesContract,
  ...syncContract,
} as const;

export type Contract = typeof contract;
export type OpName = keyof Contract;
export type OpInput<N extends OpName> = z.input<Contract[N]['input']>;
export type OpParsedInput<N extends OpName> = z.output<Contract[N]['input']>;
export type OpOutput<N extends OpName> = z.output<Contract[N]['output']>;

export const OP_NAMES = Object.keys(contract) as OpName[];

export function isOpName(name: unknown): name is OpName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(contract, name);
}

/** Events main pushes to the renderer (sync progress arrives with the sync issue). */
export const EVENT_NAMES = ['data.changed'] as const;
export type EventName = (typeof EVENT_NAMES)[number];

/** The one object the preload exposes as `window.dx`. */
export interface DxBridge {
  invoke(name: string, input: unknown): Promise<unknown>;
  on(event: EventName, listener: (payload: unknown) => void): () => void;
}

export type { AppErrorData, FieldError, Result } from './errors.ts';
