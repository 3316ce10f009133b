/** Reads back everything a JetStream stream holds, through the DIRECT endpoint (faults never touch it). */
import type { JetStreamManager } from '@nats-io/jetstream';

export interface Stored {
  readonly subject: string;
  readonly headers: Record<string, string>;
  readonly data: string;
  readonly event: Record<string, unknown>;
}

/** Every message a stream holds, in stream order (the reader's view); none when the stream does not exist. */
export async function readStreamMessages(jsm: JetStreamManager, stream: string): Promise<Stored[]> {
  const info = await jsm.streams.info(stream).catch((e: Error) => {
    if (/not found/i.test(e.message)) return null;
    throw e;
  });
  if (!info) return [];
  const out: Stored[] = [];
  for (let seq = info.state.first_seq; seq <= info.state.last_seq && info.state.messages > 0; seq++) {
    const m = await jsm.streams.getMessage(stream, { seq });
    if (!m) continue;
    const headers: Record<string, string> = {};
    for (const [k, v] of m.header ?? []) headers[k] = v[0]!;
    out.push({ subject: m.subject, headers, data: m.string(), event: m.json() });
  }
  return out;
}
