import { describe, expect, it } from 'vitest';
import { readHttp, type ReceivedRequest } from '../../../chaos/src/readers/index.js';

const envelope = (id: number, version: number) => ({ before: null, after: { id, writer: 1, version }, source: { db: 'd', table: 'chaos_accounts' }, op: 'c', ts_ms: 1 });
const request = (seq: number, url: string, body: unknown, status = 200, headers: Record<string, string> = {}): ReceivedRequest => ({ seq, at: seq, method: 'POST', url, headers, body: JSON.stringify(body), bytes: Buffer.from(JSON.stringify(body)), status });

describe('readHttp', () => {
  it('turns accepted requests into records, per path in arrival order; refused ones are not records', async () => {
    const history = await readHttp(
      [
        request(0, '/a', envelope(1, 1), 200, { 'tidemark-tx-id': 't1', 'tidemark-tx-index': '0', 'tidemark-tx-end': '1', 'tidemark-idempotency-key': 'k1' }),
        request(1, '/b?x=1', [envelope(2, 1), envelope(2, 2)]),
        request(2, '/a', envelope(1, 2), 503),
        request(3, '/a', envelope(1, 2), 204),
      ],
      { sink: 'web' },
    );
    expect(history.records.map((r) => [r.stream, r.seq, r.position, r.key, r.version, r.txId, r.idempotencyKey])).toEqual([
      ['/a', 0, '/a#0', '{"id":1}', 1, 't1', 'k1'],
      ['/b', 0, '/b#1[0]', '{"id":2}', 1, null, null],
      ['/b', 1, '/b#1[1]', '{"id":2}', 2, null, null],
      ['/a', 1, '/a#3', '{"id":1}', 2, null, null],
    ]);
    expect(history).toMatchObject({ sink: 'web', kind: 'http', exactlyOnce: false });
  });
});
