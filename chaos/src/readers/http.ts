import type { SinkHistory } from '../history/index.js';
import { RecordCollector, type ReaderOptions } from './decode/collector.js';
import type { RawRecord } from './decode/record.js';
import type { ReceivedRequest } from './http-receiver.js';

/**
 * Turns the receiver's log into a sink history. Only accepted requests (2xx) count: a refused
 * one was not received as far as a consumer is concerned, and the sink must send it again.
 * A body is one envelope (per-event mode: the tidemark-* headers carry the metadata) or a JSON
 * array of envelopes (batch mode: no per-event metadata, so idempotencyKey/tx fields are null).
 * `stream` = the URL path, `seq` = record index on that path, `position` = `path#request[item]`.
 * An `application/avro` body is one Confluent-framed event, decoded through `options.registryUrl`.
 */
export async function readHttp(requests: readonly ReceivedRequest[], options: ReaderOptions = {}): Promise<SinkHistory> {
  const collector = new RecordCollector(options);
  const raws: RawRecord[] = [];
  const seqs = new Map<string, number>();
  const next = (stream: string) => {
    const seq = seqs.get(stream) ?? 0;
    seqs.set(stream, seq + 1);
    return seq;
  };
  for (const request of requests) {
    if (request.status < 200 || request.status > 299) continue;
    const stream = request.url.split('?')[0] as string;
    const base: Omit<RawRecord, 'payload' | 'seq' | 'position'> = { meta: request.headers, stream, sinkTxn: null };
    if (request.headers['content-type']?.startsWith('application/avro')) {
      raws.push({ ...base, payload: request.bytes, seq: next(stream), position: `${stream}#${request.seq}` });
      continue;
    }
    const parsed = tryParse(request.body);
    if (Array.isArray(parsed)) {
      parsed.forEach((item: unknown, i) => raws.push({ ...base, meta: {}, payload: { parsed: item }, seq: next(stream), position: `${stream}#${request.seq}[${i}]` }));
    } else {
      raws.push({ ...base, payload: request.body, seq: next(stream), position: `${stream}#${request.seq}` });
    }
  }
  await collector.addAll(raws);
  return collector.history('http', options);
}

function tryParse(body: string): unknown {
  try {
    return JSON.parse(body) as unknown;
  } catch {
    return undefined;
  }
}
