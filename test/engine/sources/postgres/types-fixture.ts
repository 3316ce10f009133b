/**
 * Every Postgres column type the source converts, shared by the type test (JSON values) and the
 * Avro test (the same values after an Avro round trip through the registry).
 */

/** The enum and domain the cases use. */
export const TYPES_SETUP = `CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy'); CREATE DOMAIN positive_amount AS numeric(12,2) CHECK (VALUE > 0)`;

/** Column, SQL type, SQL literal, and the JSON value the event must carry. */
export const CASES: Array<[string, string, string, unknown]> = [
  ['c_bool', 'boolean', 'true', true],
  ['c_int2', 'smallint', '-32768', -32768],
  ['c_int4', 'integer', '2147483647', 2147483647],
  ['c_int8_safe', 'bigint', '9007199254740991', 9007199254740991],
  ['c_int8_big', 'bigint', '9223372036854775807', '9223372036854775807'],
  ['c_float4', 'real', '1.5', 1.5],
  ['c_float8', 'double precision', '0.1', 0.1],
  ['c_float8_nan', 'double precision', "'NaN'", 'NaN'],
  ['c_float8_inf', 'double precision', "'-Infinity'", '-Infinity'],
  ['c_numeric', 'numeric', '12345678901234567890.123456789', '12345678901234567890.123456789'],
  ['c_numeric_scale', 'numeric(10,2)', '1.5', '1.50'],
  ['c_text', 'text', `'héllo "quoted" \\ back'`, 'héllo "quoted" \\ back'],
  ['c_varchar', 'varchar(20)', "'v'", 'v'],
  ['c_char', 'char(3)', "'ab'", 'ab '],
  ['c_json', 'json', `'{"a": [1, 2], "b": null}'`, { a: [1, 2], b: null }],
  ['c_jsonb', 'jsonb', `'{"z": {"y": true}, "n": 1.25}'`, { z: { y: true }, n: 1.25 }],
  ['c_bytea', 'bytea', "'\\x00ff10'", 'AP8Q'],
  ['c_uuid', 'uuid', "'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'", 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'],
  ['c_ts', 'timestamp', "'2024-02-29 12:34:56.123456'", '2024-02-29T12:34:56.123456'],
  ['c_tstz', 'timestamptz', "'2024-02-29 12:34:56.123456+02'", '2024-02-29T10:34:56.123456Z'],
  ['c_tstz_inf', 'timestamptz', "'infinity'", 'infinity'],
  ['c_date', 'date', "'2024-02-29'", '2024-02-29'],
  ['c_date_bc', 'date', "'0044-03-15 BC'", '-0043-03-15'],
  ['c_time', 'time', "'12:34:56.5'", '12:34:56.5'],
  ['c_interval', 'interval', "'1 year 2 months 3 days 04:05:06.5'", 'P1Y2M3DT4H5M6.5S'],
  ['c_int_array', 'integer[]', "'{1,2,NULL}'", [1, 2, null]],
  ['c_text_array', 'text[]', `'{"a b","c\\"d",NULL,"NULL",""}'`, ['a b', 'c"d', null, 'NULL', '']],
  ['c_int_matrix', 'integer[][]', "'{{1,2},{3,4}}'", [[1, 2], [3, 4]]],
  ['c_int8_array', 'bigint[]', "'{1,9223372036854775807}'", [1, '9223372036854775807']],
  ['c_numeric_array', 'numeric[]', "'{1.10,2}'", ['1.10', '2']],
  ['c_bytea_array', 'bytea[]', "ARRAY['\\x01'::bytea, NULL]", ['AQ==', null]],
  ['c_jsonb_array', 'jsonb[]', `ARRAY['{"k": 1}'::jsonb]`, [{ k: 1 }]],
  ['c_tstz_array', 'timestamptz[]', "ARRAY['2024-01-01 00:00:00+00'::timestamptz]", ['2024-01-01T00:00:00Z']],
  ['c_enum', 'mood', "'happy'", 'happy'],
  ['c_enum_array', 'mood[]', "'{sad,ok}'", ['sad', 'ok']],
  ['c_domain', 'positive_amount', '5.5', '5.50'],
  ['c_inet', 'inet', "'10.0.0.1/8'", '10.0.0.1/8'],
  ['c_money_free', 'text', 'NULL', null],
];
