export { createMysqlSource, MysqlSource, type MysqlTunables } from './mysql-source.js';
export { comparePositions, type MysqlPosition, type SnapshotCursor } from './protocol/position.js';
