import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { redactString } from '../config/index.js';
import type { Logger } from '../logging/logger.js';
import { ControlError, type ControlErrorReason } from '../runtime/index.js';

/**
 * Every error the API answers with, as `{code, message}` (plus `problems` for bad input).
 * The first four are the reference's; the rest name cases the reference folds into them.
 */
export const API_ERRORS = {
  INVALID_REQUEST: { status: 400, help: 'The body, query or path is invalid; `problems` lists each field path and reason.' },
  PIPELINE_NAME_MISMATCH: { status: 400, help: 'A PATCH body sets metadata.name to another name; pipelines cannot be renamed.' },
  UNAUTHORIZED: { status: 401, help: 'An API token is configured and the request has no `Authorization: Bearer <token>` header or a wrong one.' },
  PIPELINE_NOT_FOUND: { status: 404, help: 'No pipeline has this name.' },
  DLQ_NOT_ENABLED: { status: 404, help: 'The pipeline exists but has no DLQ journal (spec.journal.enabled is false).' },
  NOT_FOUND: { status: 404, help: 'No such route.' },
  PIPELINE_ALREADY_EXISTS: { status: 409, help: 'A pipeline with this metadata.name exists; PATCH it or DELETE it first.' },
  INVALID_STATE: { status: 409, help: 'The operation does not apply in the pipeline\'s current state (e.g. pausing a stopped pipeline).' },
  PAYLOAD_TOO_LARGE: { status: 413, help: 'The request body exceeds the API\'s body limit.' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, help: 'Bodies must be application/json.' },
  INTERNAL_ERROR: { status: 500, help: 'An unexpected server error; the engine log has the details.' },
} as const;

export type ApiErrorCode = keyof typeof API_ERRORS;

export interface Problem {
  readonly path: string;
  readonly reason: string;
}

export class ApiError extends Error {
  readonly status: number;
  constructor(
    readonly code: ApiErrorCode,
    message: string,
    readonly problems: readonly Problem[] = [],
  ) {
    super(message);
    this.status = API_ERRORS[code].status;
  }
}

const REASON_CODES: Record<ControlErrorReason, ApiErrorCode> = {
  'not-found': 'PIPELINE_NOT_FOUND',
  exists: 'PIPELINE_ALREADY_EXISTS',
  'name-mismatch': 'PIPELINE_NAME_MISMATCH',
  'invalid-spec': 'INVALID_REQUEST',
  'invalid-state': 'INVALID_STATE',
};

/** The single place where thrown errors become responses. */
export function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  if (error instanceof ControlError) {
    return new ApiError(REASON_CODES[error.reason], error.message, error.problems.map((p) => ({ path: p.path, reason: p.reason })));
  }
  const fst = error as Partial<FastifyError>;
  if (typeof fst.statusCode === 'number' && fst.statusCode >= 400 && fst.statusCode < 500) {
    if (fst.statusCode === 413) return new ApiError('PAYLOAD_TOO_LARGE', fst.message ?? 'request body too large');
    if (fst.statusCode === 415) return new ApiError('UNSUPPORTED_MEDIA_TYPE', `${fst.message ?? 'unsupported media type'}; send application/json`);
    return new ApiError('INVALID_REQUEST', fst.message ?? 'invalid request', [{ path: '(body)', reason: fst.message ?? 'invalid request' }]);
  }
  return new ApiError('INTERNAL_ERROR', 'internal error; see the engine log');
}

export function errorBody(e: ApiError): Record<string, unknown> {
  const body: Record<string, unknown> = { code: e.code, message: redactString(e.message) };
  if (e.problems.length > 0) body.problems = e.problems.map((p) => ({ path: p.path, reason: redactString(p.reason) }));
  return body;
}

export function errorHandler(logger: Logger) {
  return (error: unknown, request: FastifyRequest, reply: FastifyReply): void => {
    const e = toApiError(error);
    if (e.code === 'INTERNAL_ERROR') logger.error({ err: error, method: request.method, route: request.routeOptions.url }, 'API request failed');
    void reply.status(e.status).send(errorBody(e));
  };
}

export function notFoundHandler(request: FastifyRequest, reply: FastifyReply): void {
  void reply.status(404).send(errorBody(new ApiError('NOT_FOUND', `no route ${request.method} ${request.url.split('?')[0]}; GET /openapi.json lists the routes`)));
}
