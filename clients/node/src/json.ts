// Canonical proto3 JSON shared with the Python and Go clients: lowerCamelCase names, fields without presence
// printed with their defaults (unset messages and oneof/optional members omitted), field-number order,
// 64-bit ints as strings, enums as names, bytes as base64, float32 printed with its shortest digits.
import * as protobuf from "protobufjs";
import { root } from "./protos";

const INT64 = new Set(["int64", "uint64", "sint64", "fixed64", "sfixed64"]);

/** v rounded to p significant digits, ties to even, like C's printf (toPrecision breaks ties away from zero). */
function toPrecisionHalfEven(v: number, p: number): number {
  const up = Number(v.toPrecision(p));
  const longer = v.toExponential(p); // p + 1 significant digits
  if (Number(longer) !== v || !longer.split("e")[0].endsWith("5")) return up; // not an exact tie
  const upDigits = Math.abs(up).toExponential(p - 1).split("e")[0];
  if (Number(upDigits[upDigits.length - 1]) % 2 === 0) return up;
  const [mantissa, exponent] = longer.split("e");
  return Number(`${mantissa.slice(0, -1)}e${exponent}`); // the neighbour toward zero
}

/** The float32 value with the fewest digits (from 6 up, as Python's protobuf) that still reads back as itself. */
function shortestFloat32(v: number): number {
  if (!Number.isFinite(v)) return v;
  for (let p = 6; p <= 9; p++) {
    const candidate = toPrecisionHalfEven(v, p);
    if (Math.fround(candidate) === Math.fround(v)) return candidate;
  }
  return v;
}

function scalar(field: protobuf.Field, v: any): any {
  const t = field.resolvedType;
  if (t instanceof protobuf.Enum) return typeof v === "number" ? (t.valuesById[v] ?? v) : v;
  if (t instanceof protobuf.Type) return toJsonObject(t, v);
  if (INT64.has(field.type)) return String(v);
  if (field.type === "bytes") return Buffer.from(v ?? []).toString("base64");
  if (field.type === "float" || field.type === "double") {
    const n = Number(v);
    if (Number.isNaN(n)) return "NaN";
    if (!Number.isFinite(n)) return n > 0 ? "Infinity" : "-Infinity";
    return field.type === "float" ? shortestFloat32(n) : n;
  }
  return v;
}

function defaultOf(field: protobuf.Field): any {
  const t = field.resolvedType;
  if (t instanceof protobuf.Enum) return t.valuesById[0];
  if (INT64.has(field.type)) return "0";
  switch (field.type) {
    case "string": case "bytes": return "";
    case "bool": return false;
    default: return 0;
  }
}

/** A plain object in canonical order for a decoded message object (from grpc-js / proto-loader or protobufjs). */
export function toJsonObject(type: protobuf.Type, msg: any): Record<string, any> {
  const out: Record<string, any> = {};
  for (const field of [...type.fieldsArray].sort((a, b) => a.id - b.id)) {
    field.resolve();
    const v = msg?.[field.name];
    if (field.repeated) {
      out[field.name] = (v ?? []).map((x: any) => scalar(field, x));
    } else if (field.map) {
      continue; // abscan's API has no maps
    } else if (v === undefined || v === null) {
      if (field.partOf || field.resolvedType instanceof protobuf.Type) continue;
      out[field.name] = defaultOf(field);
    } else if (field.partOf && msg?.[field.partOf.name] !== undefined && msg[field.partOf.name] !== field.name) {
      continue; // proto-loader `defaults` may fill a oneof member that is not the set one
    } else {
      out[field.name] = scalar(field, v);
    }
  }
  return out;
}

export function messageToJson(typeName: string, msg: any): string {
  return JSON.stringify(toJsonObject(root().lookupType(typeName), msg), null, 2);
}
