import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { AvroFrames } from '../../../../chaos/src/readers/index.js';

/** A port nothing listens on: taken from the OS, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

const framed = (id: number, body: number[]) => Buffer.from([0, (id >>> 24) & 255, (id >>> 16) & 255, (id >>> 8) & 255, id & 255, ...body]);

describe('AvroFrames', () => {
  it('passes payloads that are not framed through unchanged', () => {
    const frames = new AvroFrames('http://127.0.0.1:1');
    const json = Buffer.from('{"op":"c"}');
    expect(frames.payload(json)).toBe(json);
    expect(frames.payload('text')).toBe('text');
    const parsed = { parsed: { op: 'c' } };
    expect(frames.payload(parsed)).toBe(parsed);
  });

  it('names the schema id of a framed payload whose schema was never fetched', () => {
    const frames = new AvroFrames('http://127.0.0.1:1');
    expect(() => frames.payload(framed(42, [2, 4]))).toThrow(/^avro: schema id 42 is unknown/);
  });

  it('fails the read when the registry does not answer, rather than taking messages for undecodable', async () => {
    const frames = new AvroFrames(`http://127.0.0.1:${await closedPort()}`, 0);
    try {
      await expect(frames.prepare([framed(7, [0])])).rejects.toMatchObject({ code: 'TIDEMARK_ERR_SCHEMA_REGISTRY_UNAVAILABLE' });
      // Nothing to fetch: no request at all.
      await expect(frames.prepare([Buffer.from('{}'), 'text'])).resolves.toBeUndefined();
    } finally {
      await frames.close();
    }
  });
});
