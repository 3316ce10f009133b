import { describe, expect, it } from 'vitest';
import { subjectMatches, subjectProblem, templateFilter } from '../../../../engine/src/sinks/nats/subjects.js';

describe('NATS subjects', () => {
  it('accepts publishable subjects and names what is wrong with the rest', () => {
    expect(subjectProblem('cdc.shop.orders')).toBeNull();
    expect(subjectProblem('cdc..orders')).toMatch(/empty token/);
    expect(subjectProblem('.cdc')).toMatch(/empty token/);
    expect(subjectProblem('cdc.*')).toMatch(/wildcard/);
    expect(subjectProblem('cdc.>')).toMatch(/wildcard/);
    expect(subjectProblem('cdc.my table')).toMatch(/whitespace/);
  });

  it.each([
    ['cdc.>', 'cdc.a', true],
    ['cdc.>', 'cdc.a.b.c', true],
    ['cdc.>', 'cdc', false],
    ['cdc.*', 'cdc.a', true],
    ['cdc.*', 'cdc.a.b', false],
    ['cdc.*.orders', 'cdc.shop.orders', true],
    ['cdc.*.orders', 'cdc.shop.items', false],
    ['orders', 'orders', true],
    ['orders', 'orders.x', false],
  ])('%s captures %s: %s', (filter, subject, expected) => {
    expect(subjectMatches(filter, subject)).toBe(expected);
  });

  it('derives the stream filter of a template, dots inside ${} included', () => {
    expect(templateFilter('cdc.${source.db}.${source.table}')).toBe('cdc.*.>');
    expect(templateFilter('orders.events')).toBe('orders.events');
    expect(templateFilter('t_${source.table}.events')).toBe('*.events');
    expect(templateFilter('${tenant}.cdc.${op}')).toBe('*.cdc.>');
  });
});
