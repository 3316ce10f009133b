/** Avro encoding with a Confluent-compatible schema registry (docs/avro.md). */
export { AvroDecoder, type DecodedAvro } from './avro-decoder.js';
export { AvroSerializer, createAvroSerializer } from './avro-serializer.js';
export { createRegistryClient, type RegistryClient } from './registry-client.js';
export { readFrame, isFramed, writeHeader, HEADER_BYTES, MAGIC_BYTE } from './wire-format.js';
export { subjectName, type SubjectStrategy } from './subjects.js';
export { avroColumnType, type AvroSchema } from './type-mapping.js';
