export * from './types.js';
export { SourceLog, OP_CODE, OP_OF, POISON_SINKS, type SourceLogOptions } from './source-log.js';
export { MemoryImageStore, FileImageStore, type ImageStore, type StoredImages } from './image-store.js';
export { BitSet, Column, uint8, uint16, int32, uint32, float64 } from './columns.js';
export { NO_IMAGE, NOT_JUDGED, canonical, expectedFingerprint, actualFingerprint, hashPair, shapeOf, type Shape } from './fingerprint.js';
