import { jetstreamManager } from '@nats-io/jetstream';
import { nanos, type NatsConnection } from '@nats-io/transport-node';
import type { NatsSinkConfig } from '../../config/index.js';
import { TidemarkError } from '../../errors/index.js';
import type { Logger } from '../../logging/logger.js';
import { classifyNatsError } from './errors.js';
import { templateFilter } from './subjects.js';

/**
 * Checks the configured stream exists (creating it when asked) and returns its subject
 * filters, so subjects it would not capture are caught per event instead of timing out.
 */
export async function ensureStream(nc: NatsConnection, config: NatsSinkConfig, logger: Logger): Promise<string[]> {
  const name = config.stream!;
  const jsm = await jetstreamManager(nc, { timeout: config.send_timeout_secs * 1000 }).catch((e: unknown) => {
    if ((e as Error).name === 'JetStreamNotEnabled') {
      throw new TidemarkError('TIDEMARK_ERR_NATS_JETSTREAM_DISABLED', `sink ${config.id}: JetStream is not enabled on ${config.url.replace(/\/\/[^@/]*@/, '//')}`, { cause: e, context: { sink: config.id } });
    }
    throw classifyNatsError(e, config.id, 'JetStream account lookup');
  });
  const windowNs = nanos(config.duplicate_window_secs * 1000);
  try {
    const info = await jsm.streams.info(name);
    if (info.config.duplicate_window < windowNs) {
      logger.warn({ sink: config.id, stream: name, duplicateWindowSecs: info.config.duplicate_window / 1e9, wanted: config.duplicate_window_secs }, 'stream duplicate_window is shorter than duplicate_window_secs: replays after a longer outage are not deduplicated');
    }
    return info.config.subjects ?? [];
  } catch (e) {
    if ((e as Error).name !== 'StreamNotFoundError') throw classifyNatsError(e, config.id, `stream ${name} lookup`);
    if (!config.create_stream) {
      throw new TidemarkError('TIDEMARK_ERR_NATS_STREAM_NOT_FOUND', `sink ${config.id}: JetStream stream ${name} does not exist; create it or set create_stream: true`, { cause: e, context: { sink: config.id, stream: name } });
    }
  }
  const subjects = [templateFilter(config.subject)];
  try {
    await jsm.streams.add({ name, subjects, duplicate_window: windowNs });
  } catch (e) {
    throw classifyNatsError(e, config.id, `create stream ${name}`);
  }
  logger.info({ sink: config.id, stream: name, subjects, duplicateWindowSecs: config.duplicate_window_secs }, 'created JetStream stream');
  return subjects;
}
