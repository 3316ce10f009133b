import type { AvroEncodingSpec } from '../config/sinks.js';

export type SubjectStrategy = AvroEncodingSpec['subject_strategy'];

/**
 * Confluent's subject name strategies:
 *   topic_name         {topic}-value / {topic}-key     (default; one schema history per topic)
 *   record_name        {record full name}              (shared by every topic carrying the record)
 *   topic_record_name  {topic}-{record full name}
 * `destination` is the Kafka topic (Redis: the stream, NATS: the subject, HTTP: the sink id).
 */
export function subjectName(strategy: SubjectStrategy, destination: string, recordName: string, part: 'key' | 'value'): string {
  switch (strategy) {
    case 'topic_name':
      return `${destination}-${part}`;
    case 'record_name':
      return recordName;
    case 'topic_record_name':
      return `${destination}-${recordName}`;
  }
}
