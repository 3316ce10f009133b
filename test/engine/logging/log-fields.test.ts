import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { TidemarkError } from '../../../engine/src/errors/index.js';
import { createLogger } from '../../../engine/src/logging/logger.js';

function capture() {
  const lines: string[] = [];
  const logger = createLogger({ level: 'info', destination: new Writable({ write: (c, _e, done) => (lines.push(String(c)), done()) }) });
  return { logger, lines };
}

describe('pipeline log lines', () => {
  it('carry pipeline, tenant, sink and batch once each, with the error message and code', () => {
    const { logger, lines } = capture();
    const child = logger.child({ pipeline: 'orders', tenant: 'acme' }).child({ sink: 'kafka-1' });
    child.warn({ pipeline: 'orders', sink: 'kafka-1', batch: 'orders#7', err: new TidemarkError('TIDEMARK_ERR_SINK_UNAVAILABLE', 'broker down at kafka://u:pw@h:9092') }, 'retrying');
    const line = lines[0]!;
    for (const key of ['pipeline', 'tenant', 'sink', 'batch']) expect(line.split(`"${key}":`).length - 1, key).toBe(1);
    expect(JSON.parse(line)).toMatchObject({ level: 'warn', pipeline: 'orders', tenant: 'acme', sink: 'kafka-1', batch: 'orders#7', err: { code: 'TIDEMARK_ERR_SINK_UNAVAILABLE', message: 'broker down at kafka://u:***@h:9092', kind: 'retryable' } });
  });

  it('keeps a field whose value differs from the bound one', () => {
    const { logger, lines } = capture();
    logger.child({ sink: 'a' }).error({ sink: 'b' }, 'other sink');
    expect(lines[0]).toContain('"sink":"a"');
    expect(lines[0]).toContain('"sink":"b"');
  });
});
