import type { ConverterKind } from './value-converters.js';

export interface BuiltinType {
  readonly name: string;
  readonly kind: ConverterKind;
}

/**
 * Built-in scalar types by OID (pg_type.dat). Types not listed here (arrays, enums, domains,
 * composites, extension types) are looked up in pg_type at run time.
 */
export const BUILTIN_TYPES: ReadonlyMap<number, BuiltinType> = new Map<number, BuiltinType>(
  (
    [
      [16, 'bool', 'bool'],
      [17, 'bytea', 'bytea'],
      [18, 'char', 'text'],
      [19, 'name', 'text'],
      [20, 'int8', 'int8'],
      [21, 'int2', 'int'],
      [23, 'int4', 'int'],
      [24, 'regproc', 'text'],
      [25, 'text', 'text'],
      [26, 'oid', 'int'],
      [28, 'xid', 'int8'],
      [29, 'cid', 'int'],
      [114, 'json', 'json'],
      [142, 'xml', 'text'],
      [600, 'point', 'text'],
      [650, 'cidr', 'text'],
      [700, 'float4', 'float'],
      [701, 'float8', 'float'],
      [774, 'macaddr8', 'text'],
      [790, 'money', 'text'],
      [829, 'macaddr', 'text'],
      [869, 'inet', 'text'],
      [1042, 'bpchar', 'text'],
      [1043, 'varchar', 'text'],
      [1082, 'date', 'date'],
      [1083, 'time', 'text'],
      [1114, 'timestamp', 'timestamp'],
      [1184, 'timestamptz', 'timestamptz'],
      [1186, 'interval', 'text'],
      [1266, 'timetz', 'text'],
      [1560, 'bit', 'text'],
      [1562, 'varbit', 'text'],
      [1700, 'numeric', 'numeric'],
      [2205, 'regclass', 'text'],
      [2950, 'uuid', 'text'],
      [3614, 'tsvector', 'text'],
      [3802, 'jsonb', 'json'],
      [4072, 'jsonpath', 'text'],
      [5069, 'xid8', 'int8'],
    ] as const
  ).map(([oid, name, kind]) => [oid, { name, kind }]),
);

/** Built-in array types: array OID → element OID. */
export const BUILTIN_ARRAYS: ReadonlyMap<number, number> = new Map([
  [1000, 16], [1001, 17], [1002, 18], [1003, 19], [1016, 20], [1005, 21], [1007, 23], [1009, 25],
  [1028, 26], [199, 114], [143, 142], [651, 650], [1021, 700], [1022, 701], [791, 790], [1040, 829],
  [1041, 869], [1014, 1042], [1015, 1043], [1182, 1082], [1183, 1083], [1115, 1114], [1185, 1184],
  [1187, 1186], [1270, 1266], [1561, 1560], [1563, 1562], [1231, 1700], [2951, 2950], [3807, 3802],
  [1017, 600],
]);
