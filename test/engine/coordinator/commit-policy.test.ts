import { describe, expect, it } from 'vitest';
import { CommitPolicy } from '../../../engine/src/coordinator/commit-policy.js';

const sinks = [
  { id: 'kafka', required: true },
  { id: 'redis', required: false },
  { id: 'nats', required: true },
];

describe('CommitPolicy', () => {
  it('required: waits for every required sink only', () => {
    const p = new CommitPolicy({ mode: 'required' }, sinks);
    expect(p.isSatisfied(new Set(['kafka']))).toBe(false);
    expect(p.isSatisfied(new Set(['kafka', 'nats']))).toBe(true);
    expect(p.isSatisfied(new Set(['redis']))).toBe(false);
    expect(p.isCritical('redis')).toBe(false);
    expect(p.isCritical('kafka')).toBe(true);
  });

  it('all: waits for every sink whatever its required flag', () => {
    const p = new CommitPolicy({ mode: 'all' }, sinks);
    expect(p.isSatisfied(new Set(['kafka', 'nats']))).toBe(false);
    expect(p.isSatisfied(new Set(['kafka', 'nats', 'redis']))).toBe(true);
    expect(p.isCritical('redis')).toBe(true);
  });

  it('quorum: any N sinks', () => {
    const p = new CommitPolicy({ mode: 'quorum', quorum: 2 }, sinks);
    expect(p.isSatisfied(new Set(['redis']))).toBe(false);
    expect(p.isSatisfied(new Set(['redis', 'nats']))).toBe(true);
    expect(p.isCritical('kafka')).toBe(false);
    expect(p.isReachable(new Set(['kafka', 'redis']))).toBe(true);
    expect(p.isReachable(new Set(['kafka']))).toBe(false);
  });

  it('required with no required sink commits without waiting', () => {
    const p = new CommitPolicy({ mode: 'required' }, [{ id: 'a', required: false }]);
    expect(p.isSatisfied(new Set())).toBe(true);
  });
});
