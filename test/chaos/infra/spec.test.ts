import { describe, expect, it } from 'vitest';
import { normaliseSpec, resolveServices } from '../../../chaos/src/infra/spec.js';

describe('topology specs', () => {
  it('pulls in the primary of a requested replica and orders primaries first', () => {
    expect(resolveServices(['postgres-b', 'kafka', 'mysql-b'])).toEqual(['mysql', 'mysql-b', 'postgres', 'postgres-b', 'kafka']);
  });

  it('deduplicates and keeps only what was asked for', () => {
    expect(resolveServices(['redis', 'redis'])).toEqual(['redis']);
    expect(resolveServices([])).toEqual([]);
  });

  it('rejects unknown services, naming the known ones', () => {
    expect(() => resolveServices(['mongodb'])).toThrow(/unknown service "mongodb".*mysql, mysql-b, postgres/);
  });

  it('accepts a bare list of names as a spec', () => {
    expect(normaliseSpec(['nats'])).toEqual({ services: ['nats'] });
    expect(normaliseSpec({ services: ['nats'], keepData: true })).toEqual({ services: ['nats'], keepData: true });
  });
});
