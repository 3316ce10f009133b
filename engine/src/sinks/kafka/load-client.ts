import type { KafkaSinkConfig } from '../../config/sinks.js';
import type { Logger } from '../../logging/logger.js';
import type { KafkaClientAdapter, KafkaClientName } from './adapter.js';
import type { ProducerSettings } from './client-conf.js';
import { ConfluentClient } from './confluent-client.js';
import { loadConfluent, tryLoadConfluent } from './confluent-module.js';
import { KafkajsClient } from './kafkajs-client.js';
import { kafkajsOptions } from './kafkajs-options.js';

/**
 * What `client: auto` means: the client that was correct and faster in the measurements
 * recorded in docs/kafka-client.md.
 */
export const PREFERRED_CLIENT: KafkaClientName = 'confluent';

/** Builds the client adapter the config asks for; `auto` falls back to kafkajs when confluent cannot load. */
export function createClientAdapter(config: KafkaSinkConfig, settings: ProducerSettings, logger: Logger): KafkaClientAdapter {
  let choice: KafkaClientName = config.client === 'auto' ? PREFERRED_CLIENT : config.client;
  if (choice === 'confluent' && config.client === 'auto' && !tryLoadConfluent()) {
    logger.warn({ sink: config.id }, 'kafka sink: @confluentinc/kafka-javascript is not installed or did not load; client auto falls back to kafkajs (see docs/kafka-client.md)');
    choice = 'kafkajs';
  }
  if (choice === 'confluent') return new ConfluentClient(loadConfluent(config.id), settings);
  return new KafkajsClient(kafkajsOptions(settings, config), logger);
}
