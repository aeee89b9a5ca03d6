import { event, request } from './define';
import type { z } from 'zod';

// Document OCR requests (issue: document OCR).
export const ocrRequests = {} satisfies Record<string, ReturnType<ReturnType<typeof request>>>;
export const ocrEvents = {} satisfies Record<string, ReturnType<typeof event<z.ZodType>>>;
