import { describe, expect, it } from 'vitest';
import { redisSinkConfig } from '../../../engine/src/config/index.js';

describe('redis sink config', () => {
  it('keeps the reference defaults and adds exactly_once and max_message_bytes', () => {
    const c = redisSinkConfig.parse({ id: 'r', uri: 'redis://h:1', stream: 's' });
    expect(c).toMatchObject({ exactly_once: false, send_timeout_secs: 5, batch_timeout_secs: 30, connect_timeout_secs: 10, max_message_bytes: 16_777_216, envelope: { type: 'native' }, encoding: 'json' });
  });
  it('rejects a bad max_message_bytes and unknown fields', () => {
    expect(redisSinkConfig.safeParse({ id: 'r', uri: 'u', stream: 's', max_message_bytes: 0 }).success).toBe(false);
    expect(redisSinkConfig.safeParse({ id: 'r', uri: 'u', stream: 's', maxlen: 5 }).success).toBe(false);
  });
});
