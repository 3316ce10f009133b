import { describe, expect, it } from 'vitest';
import { sharedTopology } from '../../support/infra.js';
import { redisCall } from './clients.js';

/** The lazily started, run-wide topology from test/support/global-infra.ts. */
describe('shared topology (globalSetup)', () => {
  it('starts on first request and answers through the proxy', async () => {
    const info = await sharedTopology(['redis']);
    const redis = info.services.find((s) => s.name === 'redis');
    if (!redis) throw new Error('no redis in shared topology');
    expect(await redisCall(redis, 'proxy', 'PING')).toBe('PONG');
  }, 120_000);

  it('returns the same topology to later requests for the same services', async () => {
    const [a, b] = await Promise.all([sharedTopology(['redis']), sharedTopology(['redis'])]);
    expect(a.toxiproxyUrl).toBe(b.toxiproxyUrl);
  }, 120_000);

  it('starts each service once, shared by requests that name different sets', async () => {
    const alone = await sharedTopology(['redis']);
    const both = await sharedTopology(['nats', 'redis']);
    expect(both.services.map((s) => s.name).sort()).toEqual(['nats', 'redis']);
    expect(both.services.find((s) => s.name === 'redis')).toEqual(alone.services.find((s) => s.name === 'redis'));
  }, 120_000);
});
