import { describe, expect, it } from 'vitest';
import { applyArgs, canonicalJson, checkpointKey, fingerprint, parseApplyReply } from '../../../../engine/src/sinks/redis/exactly-once.js';
import { classifyRedisError } from '../../../../engine/src/sinks/redis/errors.js';
import type { StreamEntry } from '../../../../engine/src/sinks/redis/entries.js';
import { memoryEvent } from '../../../../engine/src/testing/index.js';

const entry = (stream: string, ...fields: string[]): StreamEntry => ({ stream, fields, event: memoryEvent(0, { key: 1, txId: 't', txIndex: 0, txEnd: true }) });

describe('redis exactly-once script arguments', () => {
  it('declares the checkpoint and each distinct stream as keys and indexes entries into them', () => {
    const args = applyArgs('ck', 'prev', { offset: 9 }, [entry('a', 'f', '1'), entry('b', 'f', '2', 'g', '3'), entry('a', 'f', '4')], 123);
    expect(args).toEqual([3, 'ck', 'a', 'b', 'prev', fingerprint({ offset: 9 }), '{"offset":9}', 123, 3, 1, 2, 'f', '1', 2, 4, 'f', '2', 'g', '3', 1, 2, 'f', '4']);
  });

  it('fingerprints positions independently of key order', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { y: 2, x: 1 }], c: null } })).toBe('{"a":{"c":null,"d":[1,{"x":1,"y":2}]},"b":1}');
    expect(fingerprint({ file: 'f', pos: 4 })).toBe(fingerprint({ pos: 4, file: 'f' }));
    expect(fingerprint({ pos: 4 })).not.toBe(fingerprint({ pos: 5 }));
    expect(checkpointKey('p', 's')).toBe('tidemark:checkpoint:p:s');
  });

  it('reads every script outcome and refuses anything else', () => {
    expect(parseApplyReply(['applied', '3'])).toEqual({ outcome: 'applied' });
    expect(parseApplyReply([Buffer.from('already'), 'fp'])).toEqual({ outcome: 'already' });
    expect(parseApplyReply(['conflict', 'fp2'])).toEqual({ outcome: 'conflict', current: 'fp2' });
    expect(parseApplyReply(['wrongtype', 'k', 'string'])).toEqual({ outcome: 'wrongtype', key: 'k', type: 'string' });
    expect(() => parseApplyReply('OK')).toThrow(/unexpected reply/);
  });
});

describe('redis error classification (the reference failure-mode table)', () => {
  const reply = (message: string) => Object.assign(new Error(message), { name: 'ReplyError' });
  it.each([
    ['NOAUTH Authentication required.', 'TIDEMARK_ERR_SINK_AUTH', 'non-retryable'],
    ['WRONGPASS invalid username-password pair', 'TIDEMARK_ERR_SINK_AUTH', 'non-retryable'],
    ["OOM command not allowed when used memory > 'maxmemory'.", 'TIDEMARK_ERR_REDIS_OOM', 'retryable'],
    ["READONLY You can't write against a read only replica.", 'TIDEMARK_ERR_REDIS_READONLY', 'retryable'],
    ['WRONGTYPE Operation against a key holding the wrong kind of value', 'TIDEMARK_ERR_REDIS_WRONGTYPE', 'non-retryable'],
    ['LOADING Redis is loading the dataset in memory', 'TIDEMARK_ERR_SINK_UNAVAILABLE', 'retryable'],
    ['MOVED 3999 127.0.0.1:6381', 'TIDEMARK_ERR_SINK_UNAVAILABLE', 'retryable'],
    ['ERR unknown command', 'TIDEMARK_ERR_SINK_REJECTED', 'non-retryable'],
  ])('%s', (message, code, kind) => {
    expect(classifyRedisError(reply(message), 's', 'XADD')).toMatchObject({ code, kind });
  });

  it('treats anything that is not a server reply as a connection problem', () => {
    expect(classifyRedisError(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }), 's', 'connect')).toMatchObject({ code: 'TIDEMARK_ERR_SINK_UNAVAILABLE', kind: 'retryable' });
    expect(classifyRedisError(new Error("Stream isn't writeable and enableOfflineQueue options is false"), 's', 'XADD')).toMatchObject({ kind: 'retryable' });
  });
});
