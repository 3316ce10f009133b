import type { z } from 'zod';
import { formatIssue } from '../config/format-issue.js';
import { ApiError } from './errors.js';

/** Parses a request part with zod; a failure is a 400 naming every field path and reason. */
export function parseRequest<S extends z.ZodType>(schema: S, value: unknown, where: 'body' | 'query' | 'path'): z.output<S> {
  const parsed = schema.safeParse(value ?? (where === 'body' ? undefined : {}));
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.flatMap((issue) => formatIssue(issue)).map((p) => ({ path: p.path === '(document)' ? `(${where})` : p.path, reason: p.reason }));
  throw new ApiError('INVALID_REQUEST', `invalid request ${where}: ${problems.map((p) => `${p.path}: ${p.reason}`).join('; ')}`, problems);
}
