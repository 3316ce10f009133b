import { createHash } from 'node:crypto';
import type { Position } from '../../event/index.js';
import type { StreamEntry } from './entries.js';

/**
 * One script per batch: appends every entry (to any number of streams) and moves the sink's
 * checkpoint hash, atomically. It applies only on top of the checkpoint the sink last saw
 * (compare-and-set on its fingerprint), so a batch that already landed — a lost reply, a
 * stale retry, a second engine — is never appended twice:
 *   applied   the entries and the checkpoint were written
 *   already   the checkpoint already is this batch's position (its reply was lost): success
 *   conflict  the checkpoint moved to something else: re-read it, send only what is missing
 *   wrongtype a stream key holds another type; checked before any write so nothing is half done
 * The `#!lua` shebang (Redis 7+) makes Redis refuse the whole script under OOM instead of
 * failing half way through; Redis does not roll back a script that failed after writing.
 *
 * KEYS: checkpoint hash, then each distinct stream.
 * ARGV: expected fingerprint ('' = none), this fingerprint, position JSON, now ms, entry count,
 *       then per entry: stream index (1-based among the streams), field count, fields...
 */
export const APPLY_BATCH_LUA = `#!lua
local ck = KEYS[1]
local current = redis.call('HGET', ck, 'fingerprint') or ''
if current == ARGV[2] then return {'already', current} end
if current ~= ARGV[1] then return {'conflict', current} end
for i = 2, #KEYS do
  local t = redis.call('TYPE', KEYS[i])['ok']
  if t ~= 'stream' and t ~= 'none' then return {'wrongtype', KEYS[i], t} end
end
local pos = 6
local n = tonumber(ARGV[5])
local last = ''
for _ = 1, n do
  local stream = KEYS[1 + tonumber(ARGV[pos])]
  local count = tonumber(ARGV[pos + 1])
  last = redis.call('XADD', stream, '*', unpack(ARGV, pos + 2, pos + 1 + count))
  pos = pos + 2 + count
end
redis.call('HSET', ck, 'position', ARGV[3], 'fingerprint', ARGV[2], 'entries', n, 'last_entry_id', last, 'updated_at_ms', ARGV[4])
return {'applied', tostring(n)}
`;

/** `tidemark:checkpoint:<pipeline>:<sink>`: a hash with position, fingerprint, entries, last_entry_id, updated_at_ms. */
export function checkpointKey(pipeline: string, sinkId: string): string {
  return `tidemark:checkpoint:${pipeline}:${sinkId}`;
}

/** Identifies a checkpoint by its position: two batches ending at the same position are the same. */
export function fingerprint(position: Position): string {
  return createHash('sha1').update(canonicalJson(position)).digest('hex');
}

export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const obj = value as Record<string, unknown>;
  return `{${Object.keys(obj).sort().filter((k) => obj[k] !== undefined).map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`).join(',')}}`;
}

/** numkeys, keys and args for EVALSHA of APPLY_BATCH_LUA. */
export function applyArgs(ckey: string, expected: string, position: Position, entries: readonly StreamEntry[], nowMs: number): Array<string | Buffer | number> {
  const streams = new Map<string, number>();
  for (const e of entries) if (!streams.has(e.stream)) streams.set(e.stream, streams.size + 1);
  const args: Array<string | Buffer | number> = [1 + streams.size, ckey, ...streams.keys()];
  args.push(expected, fingerprint(position), JSON.stringify(position), nowMs, entries.length);
  for (const e of entries) args.push(streams.get(e.stream)!, e.fields.length, ...e.fields);
  return args;
}

export type ApplyOutcome = { readonly outcome: 'applied' | 'already' } | { readonly outcome: 'conflict'; readonly current: string } | { readonly outcome: 'wrongtype'; readonly key: string; readonly type: string };

export function parseApplyReply(reply: unknown): ApplyOutcome {
  const r = (Array.isArray(reply) ? reply : []).map((x: unknown) => (Buffer.isBuffer(x) ? x.toString() : String(x)));
  switch (r[0]) {
    case 'applied':
    case 'already':
      return { outcome: r[0] };
    case 'conflict':
      return { outcome: 'conflict', current: r[1] ?? '' };
    case 'wrongtype':
      return { outcome: 'wrongtype', key: r[1] ?? '?', type: r[2] ?? '?' };
    default:
      throw new Error(`unexpected reply from the Redis apply script: ${JSON.stringify(r)}`);
  }
}
