import { describe, expect, it } from 'vitest';
import { columnDef } from '../../../chaos/src/runner/ddl.js';

describe('scenario DDL types', () => {
  it('maps the SQL types a scenario may write to workload columns', () => {
    expect(columnDef('c', 'VARCHAR(40)')).toEqual({ name: 'c', kind: 'varchar', length: 40 });
    expect(columnDef('c', 'int')).toEqual({ name: 'c', kind: 'int' });
    expect(columnDef('c', 'bigint')).toEqual({ name: 'c', kind: 'bigint' });
    expect(columnDef('c', 'decimal(12, 2)')).toEqual({ name: 'c', kind: 'decimal', precision: [12, 2] });
    expect(columnDef('c', 'jsonb')).toEqual({ name: 'c', kind: 'json' });
  });

  it('refuses a type the workload cannot write values for', () => {
    expect(() => columnDef('c', 'text')).toThrow('type "text" is not one the workload can write');
  });
});
