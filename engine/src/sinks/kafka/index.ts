export { KafkaSink, createKafkaSink } from './kafka-sink.js';
export { PREFERRED_CLIENT } from './load-client.js';
export type { KafkaClientAdapter, KafkaClientName, ProducerAdapter, OutgoingMessage, TopicMessages } from './adapter.js';
export { checkpointKey, CHECKPOINT_TOPIC_CONFIG } from './checkpoint-record.js';
