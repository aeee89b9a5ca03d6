/**
 * The typed contract between the core and every client (Electron renderer, browser over the bridge,
 * CLI). Every request and pushed event is listed here once, with its zod schema; each domain keeps
 * its part in its own file. Transports and handlers derive their types from these maps.
 */
import type { z } from 'zod';
import { appEvents, appRequests } from './app';
import { backupRequests } from './backup';
import { datasetEvents, datasetRequests } from './dataset';
import { evaluationEvents, evaluationRequests } from './evaluation';
import { ocrEvents, ocrRequests } from './ocr';
import { trainingEvents, trainingRequests } from './training';
import { modelsRequests } from './models';
import { modelArchiveRequests } from './model-archive';
import { sampleRequests } from './samples';
import { learnRequests } from './learn';
import type { EventDef, RequestDef } from './define';

export const requests = {
  ...appRequests,
  ...datasetRequests,
  ...trainingRequests,
  ...modelsRequests,
  ...evaluationRequests,
  ...ocrRequests,
  ...backupRequests,
  ...modelArchiveRequests,
  ...sampleRequests,
  ...learnRequests,
} satisfies Record<string, RequestDef>;

export const events = {
  ...appEvents,
  ...datasetEvents,
  ...trainingEvents,
  ...evaluationEvents,
  ...ocrEvents,
} satisfies Record<string, EventDef>;

export type Requests = typeof requests;
export type Events = typeof events;
export type RequestName = keyof Requests & string;
export type EventName = keyof Events & string;

/** What a caller passes (before zod defaults). */
export type Input<K extends RequestName> = z.input<Requests[K]['input']>;
/** What a handler receives (after validation and defaults). */
export type ParsedInput<K extends RequestName> = z.output<Requests[K]['input']>;
export type Output<K extends RequestName> = Requests[K] extends RequestDef<z.ZodType, infer O> ? O : never;
export type EventPayload<K extends EventName> = z.output<Events[K]['payload']>;

export function isRequestName(name: string): name is RequestName {
  return Object.prototype.hasOwnProperty.call(requests, name);
}

export * from './app';
export * from './dataset';
export * from './training';
export * from './models';
export * from './model-archive';
export * from './samples';
export * from './evaluation';
export * from './ocr';
export * from './backup';
export * from './learn';
export type { RequestDef, EventDef } from './define';
