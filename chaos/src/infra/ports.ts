import { createServer } from 'node:net';

/**
 * Ports are drawn below Linux's ephemeral range (32768–60999): toxiproxy's FAQ warns that
 * listen ports inside it collide at random with outgoing connections, and the same holds for
 * servers that restart on a fixed port after a kill.
 */
const LOW = 15000;
const HIGH = 32000;
const handedOut = new Set<number>();

function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen({ port, host: '127.0.0.1', exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/** A port on 127.0.0.1 that is free right now and not handed out before by this process. */
export async function allocatePort(): Promise<number> {
  for (let attempt = 0; attempt < 200; attempt += 1) {
    const port = LOW + Math.floor(Math.random() * (HIGH - LOW));
    if (handedOut.has(port)) continue;
    if (await canListen(port)) {
      handedOut.add(port);
      return port;
    }
  }
  throw new Error(`no free port found on 127.0.0.1 between ${LOW} and ${HIGH}; too many servers running?`);
}

/** Several distinct free ports. */
export async function allocatePorts(count: number): Promise<number[]> {
  const ports: number[] = [];
  for (let i = 0; i < count; i += 1) ports.push(await allocatePort());
  return ports;
}
