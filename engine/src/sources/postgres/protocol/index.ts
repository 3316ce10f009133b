/** Pure pgoutput / streaming-replication protocol: bytes in, typed messages out, no I/O. */
export * from './buffer-reader.js';
export * from './replication-messages.js';
export * from './pgoutput-messages.js';
export * from './pgoutput-decoder.js';
