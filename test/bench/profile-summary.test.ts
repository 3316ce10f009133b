import { describe, expect, it } from 'vitest';
import { summarise, windowOf } from '../../bench/src/profile-summary.js';

/**
 * A profile of a run: start-up (load), then the delivery (send → produce, with GC between), then
 * the idle wait after the last batch. Node ids: 1 root, 2 (idle), 3 (garbage collector), 4 load,
 * 5 send, 6 produce under send. Each sample lasts 1 ms (the delta to the next sample).
 */
function runProfile() {
  const frame = (functionName: string, url = '') => ({ functionName, url, lineNumber: 0 });
  return {
    nodes: [
      { id: 1, callFrame: frame('(root)'), children: [2, 3, 4, 5] },
      { id: 2, callFrame: frame('(idle)') },
      { id: 3, callFrame: frame('(garbage collector)') },
      { id: 4, callFrame: frame('load', 'file:///x/loader.js') },
      { id: 5, callFrame: frame('send', 'file:///x/confluent-client.js'), children: [6] },
      { id: 6, callFrame: frame('produce', 'file:///x/producer.js') },
    ],
    // start-up | delivery, beginning and ending inside produce | idle after
    samples: [4, 4, 2, 2, 2, 6, 5, 3, 5, 6, 2, 2, 2, 2],
    timeDeltas: Array.from({ length: 15 }, () => 1000),
    startTime: 0,
    endTime: 15_000,
  };
}

describe('profile summary', () => {
  it('windowOf spans the first to the last sample with the frame on its stack, callees included', () => {
    expect(windowOf(runProfile(), 'send confluent-client.js')).toEqual({ first: 5, last: 9 });
    expect(windowOf(runProfile(), 'produce')).toEqual({ first: 5, last: 9 });
    expect(windowOf(runProfile(), '(garbage collector)')).toEqual({ first: 7, last: 7 });
    expect(windowOf(runProfile(), 'flush')).toBeNull();
  });

  it('shares within the window leave out start-up and the idle tail', () => {
    const profile = runProfile();
    const whole = summarise(profile);
    const during = summarise(profile, windowOf(profile, 'send')!);
    const self = (s: typeof whole, frame: string) => s.frames.find((f) => f.frame.startsWith(frame))?.selfMs ?? 0;
    expect(whole.totalMs).toBe(14);
    expect(self(whole, '(idle)')).toBe(7);
    expect(during.totalMs).toBe(5);
    expect(self(during, '(idle)')).toBe(0);
    expect(self(during, '(garbage collector)')).toBe(1);
    expect(during.frames.find((f) => f.frame.startsWith('send'))?.totalMs).toBe(4);
  });
});
