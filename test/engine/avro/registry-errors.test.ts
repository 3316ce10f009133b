import { describe, expect, it } from 'vitest';
import { classifyRegistryError } from '../../../engine/src/avro/registry-client.js';

const ctx = { who: 'kafka sink k', where: 'http://registry/apis/ccompat/v7', subject: 'orders-value', operation: 'register' };
const answer = (status: number | undefined, message: string) => Object.assign(new Error(message), status === undefined ? {} : { status });

describe('schema registry errors, classified by meaning', () => {
  it('a 409 is an incompatible version: non-retryable, naming the subject and the registry message', () => {
    expect(classifyRegistryError(answer(409, 'Schema being registered is incompatible with an earlier schema'), ctx)).toMatchObject({
      code: 'TIDEMARK_ERR_SCHEMA_INCOMPATIBLE',
      kind: 'non-retryable',
      message: expect.stringMatching(/subject "orders-value" as incompatible: Schema being registered is incompatible/),
    });
  });

  it('a 409 for a registration race ("already exists") is retried: the next attempt finds the schema', () => {
    expect(classifyRegistryError(answer(409, "An artifact with ID 'orders-value' in group 'null' already exists."), ctx)).toMatchObject({ code: 'TIDEMARK_ERR_SCHEMA_REGISTRY_UNAVAILABLE', kind: 'retryable' });
  });

  it('5xx, 408, 429 and no answer are an outage; 401/403 and 422 are rejections', () => {
    for (const e of [answer(500, 'boom'), answer(503, 'x'), answer(408, 'x'), answer(429, 'x'), answer(undefined, 'connect ECONNREFUSED')]) {
      expect(classifyRegistryError(e, ctx)).toMatchObject({ code: 'TIDEMARK_ERR_SCHEMA_REGISTRY_UNAVAILABLE', kind: 'retryable' });
    }
    expect(classifyRegistryError(answer(401, 'Unauthorized'), ctx)).toMatchObject({ code: 'TIDEMARK_ERR_SCHEMA_REGISTRY_REJECTED', message: expect.stringContaining('refused the credentials') });
    expect(classifyRegistryError(answer(422, 'Invalid schema'), ctx)).toMatchObject({ code: 'TIDEMARK_ERR_SCHEMA_REGISTRY_REJECTED', message: expect.stringContaining('answered 422') });
  });
});
