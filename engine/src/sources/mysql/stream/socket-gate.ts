import type { Socket } from 'node:net';

export type PauseReason = 'backpressure' | 'schema' | 'stopping';

/**
 * Stops reading the binlog socket while any reason holds. The decoder library pauses and
 * resumes the connection itself around metadata queries; its resume must not override ours,
 * so the socket's own `resume` is wrapped to respect the gate.
 *
 * Only the socket is paused, not the driver's packet handling: the packets of a chunk already
 * read are still decoded and emitted (the coordinator accepts events in flight).
 */
export class SocketGate {
  private readonly reasons = new Set<PauseReason>();
  private readonly resumeSocket: () => void;

  constructor(private readonly socket: Socket, private readonly driverPaused: () => boolean) {
    const original = socket.resume.bind(socket);
    this.resumeSocket = () => void original();
    socket.resume = () => {
      if (this.reasons.size === 0) original();
      return socket;
    };
  }

  get paused(): boolean {
    return this.reasons.size > 0;
  }

  pause(reason: PauseReason): void {
    this.reasons.add(reason);
    this.socket.pause();
  }

  /** Releases `reason`; the socket reads again once no reason holds and the driver is not paused itself. */
  resume(reason: PauseReason): void {
    if (!this.reasons.delete(reason) || this.reasons.size > 0) return;
    if (!this.driverPaused()) this.resumeSocket();
  }
}
