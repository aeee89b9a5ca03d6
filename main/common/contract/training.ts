import { event, request } from './define';
import type { z } from 'zod';

// Training, evaluation and model requests (issue: training and evaluation).
export const trainingRequests = {} satisfies Record<string, ReturnType<ReturnType<typeof request>>>;
export const trainingEvents = {} satisfies Record<string, ReturnType<typeof event<z.ZodType>>>;
