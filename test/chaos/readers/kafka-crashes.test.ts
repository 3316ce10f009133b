import { describe, expect, it } from 'vitest';
import { ConsumerCrashes } from '../../../chaos/src/readers/kafka-crashes.js';

const loading = new Error("The coordinator is loading and hence can't process requests for this group");

describe('ConsumerCrashes', () => {
  it('takes a crash kafkajs restarts from as transient, and one it does not as final', () => {
    const crashes = new ConsumerCrashes();
    expect(crashes.crashed({ error: loading, restart: true })).toBe(true);
    expect(crashes.final).toBeNull();
    expect(crashes.restarts).toBe(1);
    expect(crashes.crashed({ error: new Error('not authorized'), restart: false })).toBe(false);
    expect(crashes.final?.message).toBe('not authorized');
  });

  it('gives up after too many restarts without a group join, and counts again after one', () => {
    const crashes = new ConsumerCrashes(2);
    expect(crashes.crashed({ error: loading, restart: true })).toBe(true);
    crashes.joined();
    expect(crashes.crashed({ error: loading, restart: true })).toBe(true);
    expect(crashes.crashed({ error: loading, restart: true })).toBe(true);
    expect(crashes.final).toBeNull();
    expect(crashes.crashed({ error: loading, restart: true })).toBe(false);
    expect(crashes.final?.message).toBe(`${loading.message} (after 2 restarts)`);
  });
});
