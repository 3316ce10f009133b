import { crc32 } from 'node:zlib';

/**
 * The replica server_id the binlog connection announces: `1 + CRC32(id) mod 4e9`, as the
 * reference derives it, so two pipelines with different source ids do not kick each other's
 * dump threads off the server (a primary keeps one dump per server_id).
 */
export function deriveServerId(sourceId: string): number {
  return 1 + (crc32(sourceId) % 4_000_000_000);
}
