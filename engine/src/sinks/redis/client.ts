import { Redis } from 'ioredis';
import type { RedisSinkConfig } from '../../config/index.js';
import type { Logger } from '../../logging/logger.js';

/**
 * An ioredis client that never sends a command on its own initiative. ioredis by default
 * queues commands while disconnected and re-sends unanswered ones after a reconnect
 * (`autoResendUnfulfilledCommands`), so an XADD whose reply was lost could land twice, behind
 * the coordinator's back. Here a command is written to a live socket or fails at once, and a
 * retry is always the coordinator's explicit retry of the whole batch.
 */
export function createRedisClient(config: RedisSinkConfig, logger: Logger): Redis {
  const client = new Redis(config.uri, {
    lazyConnect: true,
    enableOfflineQueue: false,
    autoResendUnfulfilledCommands: false,
    // 0: a command caught by a disconnect is failed at once, never carried over to the next connection.
    maxRetriesPerRequest: 0,
    connectTimeout: config.connect_timeout_secs * 1000,
    // No per-command commandTimeout (a timer per XADD); the sink bounds each call as a whole.
    // Keep reconnecting in the background; deliveries fail fast meanwhile and the lane backs off.
    retryStrategy: (times) => Math.min(100 * times, 2000),
    connectionName: `tidemark-${config.id}`,
  });
  let lastLogged = 0;
  client.on('error', (e: Error) => {
    // ioredis emits one error per failed reconnect attempt; one line per 10 s is enough.
    const now = Date.now();
    if (now - lastLogged < 10_000) return;
    lastLogged = now;
    logger.warn({ sink: config.id, err: e }, 'redis connection error; reconnecting');
  });
  return client;
}
