import { UNCHANGED_TOAST_PLACEHOLDER } from '../schema/event-schema.js';
import { bytesToDecimal } from './decimal.js';
import { COLUMN_ATTRIBUTE } from './names.js';
import { daysToDate, epochToDateTime, microsToTime } from './temporal.js';
import { shortestFloat32 } from '../util/float32.js';

type Node = string | Record<string, unknown> | unknown[];
type Convert = (v: unknown) => unknown;

/**
 * Avro datum → the event model's JSON-ready values, driven by the writer's schema alone (what a
 * consumer has): the inverse of encode-values.ts for every type Tidemark writes, so a decoded
 * row equals the row the source produced. Types Tidemark does not write decode to their plain
 * JS value. Named types are resolved by their full name.
 */
export function compileDecoder(schema: Node): Convert {
  return build(schema, new Map(), '');
}

function build(node: Node, named: Map<string, Convert>, ns: string): Convert {
  if (typeof node === 'string') return named.get(node) ?? named.get(ns ? `${ns}.${node}` : node) ?? primitive(node, {});
  if (Array.isArray(node)) {
    const branches = node.map((b) => build(b as Node, named, ns));
    const nonNull = node.findIndex((b) => b !== 'null');
    // Tidemark's unions are always ["null", T]; avsc unwraps them, so the value is T's or null.
    return (v) => (v === null ? null : branches[nonNull]!(v));
  }
  const type = node.type as Node;
  if (type === 'record' || type === 'error') {
    const space = typeof node.namespace === 'string' ? node.namespace : ns;
    const fullName = String(node.name).includes('.') ? String(node.name) : space ? `${space}.${String(node.name)}` : String(node.name);
    const fields: Array<{ name: string; out: string; convert: Convert }> = [];
    const convert: Convert = (v) => {
      if (v === null || typeof v !== 'object') return v;
      const out: Record<string, unknown> = {};
      for (const f of fields) out[f.out] = f.convert((v as Record<string, unknown>)[f.name]);
      return out;
    };
    named.set(fullName, convert);
    for (const f of node.fields as Array<Record<string, unknown>>) {
      fields.push({ name: String(f.name), out: typeof f[COLUMN_ATTRIBUTE] === 'string' ? (f[COLUMN_ATTRIBUTE] as string) : String(f.name), convert: build(f.type as Node, named, fullName.slice(0, fullName.lastIndexOf('.'))) });
    }
    return convert;
  }
  if (type === 'array') {
    const item = build(node.items as Node, named, ns);
    return (v) => (Array.isArray(v) ? v.map(item) : v);
  }
  if (type === 'map') {
    const value = build(node.values as Node, named, ns);
    return (v) => Object.fromEntries(Object.entries(v as Record<string, unknown>).map(([k, x]) => [k, value(x)]));
  }
  if (type === 'enum' || type === 'fixed') {
    const identity: Convert = (v) => (Buffer.isBuffer(v) ? v.toString('base64') : v);
    const space = typeof node.namespace === 'string' ? node.namespace : ns;
    named.set(String(node.name).includes('.') ? String(node.name) : space ? `${space}.${String(node.name)}` : String(node.name), identity);
    return identity;
  }
  if (typeof type === 'object') return build(type, named, ns);
  return primitive(type, node);
}

function primitive(type: string, attrs: Record<string, unknown>): Convert {
  switch (attrs.logicalType) {
    case 'decimal': {
      const scale = Number(attrs.scale ?? 0);
      return (v) => bytesToDecimal(v as Buffer, scale);
    }
    case 'date':
      return (v) => daysToDate(v as number);
    case 'time-micros':
      return (v) => microsToTime(Number(v));
    case 'time-millis':
      return (v) => microsToTime((v as number) * 1000);
    case 'timestamp-millis':
    case 'timestamp-micros':
    case 'local-timestamp-millis':
    case 'local-timestamp-micros': {
      const unit = (attrs.logicalType as string).endsWith('millis') ? 'millis' : 'micros';
      const zoned = (attrs.logicalType as string).startsWith('timestamp');
      const digits = typeof attrs['tidemark.fraction'] === 'number' ? (attrs['tidemark.fraction'] as number) : undefined;
      return (v) => epochToDateTime(v as number | string, unit, zoned, digits);
    }
  }
  switch (type) {
    case 'bytes':
      return (v) => {
        const b = v as Buffer;
        return b.length === UNCHANGED_TOAST_PLACEHOLDER.length && b.toString() === UNCHANGED_TOAST_PLACEHOLDER ? UNCHANGED_TOAST_PLACEHOLDER : b.toString('base64');
      };
    case 'float':
      return (v) => shortestFloat32(v as number);
    case 'double':
      return (v) => (Number.isFinite(v as number) ? v : String(v));
    case 'string':
      if (attrs['connect.name'] === 'io.debezium.data.Json') return (v) => JSON.parse(v as string) as unknown;
      if (attrs['tidemark.kind'] === 'uint64') return (v) => (Number.isSafeInteger(Number(v)) ? Number(v) : v);
      return (v) => v;
    default:
      return (v) => v;
  }
}
