import { describe, expect, it } from 'vitest';
import { undecodableChecker } from '../../../chaos/src/checkers/index.js';
import { healthyFacts, recordsOf, sinkHistory, World } from './world.js';

function world(): World {
  const w = new World();
  w.txn('ok', (t) => t.insert('accounts', 1));
  w.txn('ok', (t) => t.update('accounts', 1));
  return w;
}

describe('undecodable', () => {
  it('is valid when every message decoded', () => {
    const w = world();
    const [v] = undecodableChecker.check({ source: w.history(), sinks: [sinkHistory(recordsOf(w.happened))], faults: [], facts: healthyFacts(['redis']) });
    expect(v).toMatchObject({ checker: 'undecodable', sink: 'redis', validity: 'valid', counts: { decoded: 2, undecodable: 0 } });
  });

  it('names each message that did not decode (a wrong schema id), even when every version arrived', () => {
    const w = world();
    const h = { ...sinkHistory(recordsOf(w.happened), { kind: 'kafka', sink: 'kafka', isolation: 'read_committed' }), undecodable: [{ position: 't-0@7', error: 'avro: schema 3 left bytes of the body unread: the record was written with another schema' }] };
    const [v] = undecodableChecker.check({ source: w.history(), sinks: [h], faults: [], facts: healthyFacts(['kafka']) });
    expect(v).toMatchObject({ sink: 'kafka (read_committed)', validity: 'invalid', counts: { decoded: 2, undecodable: 1 } });
    expect(v!.examples).toEqual([{ position: 't-0@7', error: expect.stringContaining('schema 3') }]);
    expect(v!.summary).toBe('1 messages do not decode (wrong schema id, or not an envelope)');
  });
});
