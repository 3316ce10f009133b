import type { Redis } from 'ioredis';

export interface ReadEntry {
  readonly stream: string;
  readonly id: string;
  readonly fields: Record<string, string>;
  readonly event: Record<string, unknown>;
}

/** Everything a stream holds, as a reader would see it (XRANGE - +). */
export async function readStream(client: Redis, stream: string): Promise<ReadEntry[]> {
  const out: ReadEntry[] = [];
  let start = '-';
  for (;;) {
    const page = await client.xrange(stream, start, '+', 'COUNT', 5000);
    for (const [id, flat] of page) {
      const fields: Record<string, string> = {};
      for (let i = 0; i < flat.length; i += 2) fields[flat[i]!] = flat[i + 1]!;
      out.push({ stream, id, fields, event: JSON.parse(fields.event!) as Record<string, unknown> });
    }
    if (page.length < 5000) return out;
    start = `(${page[page.length - 1]![0]}`;
  }
}

/** Rows of native-envelope entries, for order checks. */
export function rowsOf(entries: readonly ReadEntry[]): Array<{ table: string; id: unknown; v: number; key: string }> {
  return entries.map((e) => {
    const after = e.event.after as { id: unknown; v: number };
    return { table: e.fields['tidemark-table']!, id: after.id, v: after.v, key: e.fields.idempotency_key! };
  });
}
