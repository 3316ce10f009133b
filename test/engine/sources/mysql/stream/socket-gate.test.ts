import { EventEmitter } from 'node:events';
import type { Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { SocketGate } from '../../../../../engine/src/sources/mysql/stream/socket-gate.js';

class FakeSocket extends EventEmitter {
  flowing = true;
  pause() {
    this.flowing = false;
    return this;
  }
  resume() {
    this.flowing = true;
    return this;
  }
}

describe('socket gate', () => {
  it('keeps the socket paused while any reason holds, even when the driver resumes it', () => {
    const socket = new FakeSocket();
    let driverPaused = false;
    const gate = new SocketGate(socket as unknown as Socket, () => driverPaused);
    gate.pause('backpressure');
    gate.pause('schema');
    expect(socket.flowing).toBe(false);
    socket.resume(); // what the decoder does after a metadata query
    expect(socket.flowing).toBe(false);
    gate.resume('schema');
    expect(socket.flowing).toBe(false);
    gate.resume('backpressure');
    expect(socket.flowing).toBe(true);
  });

  it('leaves the socket to the driver while the driver itself is paused', () => {
    const socket = new FakeSocket();
    let driverPaused = true;
    const gate = new SocketGate(socket as unknown as Socket, () => driverPaused);
    gate.pause('backpressure');
    gate.resume('backpressure');
    expect(socket.flowing).toBe(false);
    driverPaused = false;
    socket.resume();
    expect(socket.flowing).toBe(true);
  });
});
