/** A MariaDB table with every column type the source converts, one row of it, and the JSON-ready row a sink must receive. */
export const TYPES_TABLE = `CREATE TABLE types (
  id INT PRIMARY KEY,
  u64 BIGINT UNSIGNED, i64 BIGINT, small_big BIGINT UNSIGNED, tiny TINYINT, tinyu TINYINT UNSIGNED, medu MEDIUMINT UNSIGNED,
  dec_wide DECIMAL(30,10), dec_neg DECIMAL(5,2),
  dt0 DATETIME, dt3 DATETIME(3), dt6 DATETIME(6), ts0 TIMESTAMP NULL DEFAULT NULL, ts6 TIMESTAMP(6) NULL DEFAULT NULL, d DATE, tm TIME(3),
  j JSON, bl BLOB, vb VARBINARY(16), bin BINARY(4), ch CHAR(5),
  e ENUM('small','medium','large'), s SET('a','b','c'),
  b1 BIT(1), b10 BIT(10), b64 BIT(64),
  y YEAR,
  u8 VARCHAR(50) CHARACTER SET utf8mb4, l1 VARCHAR(50) CHARACTER SET latin1, l1text TEXT CHARACTER SET latin1,
  dbl DOUBLE, f FLOAT,
  nul INT
)`;

export const TYPES_INSERT = `INSERT INTO types VALUES (
  1,
  18446744073709551615, -9223372036854775808, 42, -128, 255, 16777215,
  '12345678901234567890.0123456789', -1.50,
  '2024-01-02 03:04:05', '1999-12-31 23:59:59.999', '2024-02-29 12:00:00.123456', '2020-06-01 00:00:01', '2024-05-06 07:08:09.654321', '2024-02-29', '12:34:56.789',
  '{"a": [1, 2.5, "x"], "big": 12345678901234567890}', x'00ff10', x'deadbeef', x'0102', 'ab',
  'medium', 'a,c',
  b'1', b'1010101010', b'1111111111111111111111111111111111111111111111111111111111111111',
  2024,
  'Grüße 👋 日本', 'café ñ', 'Ünïcödé latin1',
  3.141592653589793, 0.1,
  NULL
)`;

/** Every listed type, as the JSON-ready value a sink must receive. */
export const TYPES_EXPECTED = {
  id: 1,
  u64: '18446744073709551615',
  i64: '-9223372036854775808',
  small_big: 42,
  tiny: -128,
  tinyu: 255,
  medu: 16777215,
  dec_wide: '12345678901234567890.0123456789',
  dec_neg: '-1.50',
  dt0: '2024-01-02T03:04:05',
  dt3: '1999-12-31T23:59:59.999',
  dt6: '2024-02-29T12:00:00.123456',
  ts0: '2020-06-01T00:00:01Z',
  ts6: '2024-05-06T07:08:09.654321Z',
  d: '2024-02-29',
  tm: '12:34:56.789',
  j: '{"a": [1, 2.5, "x"], "big": 12345678901234567890}',
  bl: Buffer.from([0x00, 0xff, 0x10]).toString('base64'),
  vb: Buffer.from('deadbeef', 'hex').toString('base64'),
  // BINARY pads with zero bytes, CHAR's trailing spaces are not part of the value.
  bin: Buffer.from([1, 2, 0, 0]).toString('base64'),
  ch: 'ab',
  e: 'medium',
  s: 'a,c',
  b1: true,
  b10: 0b1010101010,
  b64: '18446744073709551615',
  y: 2024,
  u8: 'Grüße 👋 日本',
  l1: 'café ñ',
  l1text: 'Ünïcödé latin1',
  dbl: 3.141592653589793,
  f: 0.1,
  nul: null,
};

