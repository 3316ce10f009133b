import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from './harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ token: 'op-token-123', metricsOnApi: true });
});
afterAll(async () => {
  await h.close();
});

const get = (url: string, auth?: string) => h.api.app.inject({ method: 'GET', url, headers: auth ? { authorization: auth } : {} });

describe('bearer-token auth', () => {
  it('leaves /health and /ready open for probes', async () => {
    expect((await get('/health')).statusCode).toBe(200);
    expect((await get('/ready')).statusCode).toBe(200);
  });

  it('answers 401 UNAUTHORIZED without a token or with a wrong one, on every other route', async () => {
    for (const url of ['/pipelines', '/pipelines/x', '/pipelines/x/checkpoints', '/log-level', '/openapi.json', '/metrics', '/no/such/route']) {
      for (const auth of [undefined, 'Bearer wrong', 'Basic b3A6dG9rZW4=', 'Bearer op-token-1234']) {
        const r = await get(url, auth);
        expect(r.statusCode, `${url} with ${auth}`).toBe(401);
        expect(r.json().code).toBe('UNAUTHORIZED');
        expect(r.headers['www-authenticate']).toBe('Bearer');
      }
    }
    const post = await h.api.app.inject({ method: 'POST', url: '/pipelines', payload: {} });
    expect(post.statusCode).toBe(401);
  });

  it('lets the right token through', async () => {
    expect((await get('/pipelines', 'Bearer op-token-123')).statusCode).toBe(200);
    expect((await get('/pipelines', 'bearer   op-token-123')).statusCode).toBe(200);
    expect((await get('/pipelines/x', 'Bearer op-token-123')).statusCode).toBe(404);
    expect((await get('/metrics', 'Bearer op-token-123')).statusCode).toBe(200);
  });
});
