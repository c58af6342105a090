// Store values (graph-ts `Value`), their wasm encoding, and entity validation
// with graph-node's rules and error messages.
import { AscMemory, TypeId } from "./asc.ts";
import { decimalToString, hexOf, type Decimal } from "./numbers.ts";
import type { EntityType, ValueType } from "./schema.ts";

export type Value =
  | { kind: "String"; value: string }
  | { kind: "Int"; value: number }
  | { kind: "BigDecimal"; value: Decimal }
  | { kind: "Bool"; value: boolean }
  | { kind: "Array"; value: Value[] }
  | { kind: "Null" }
  | { kind: "Bytes"; value: Uint8Array }
  | { kind: "BigInt"; value: bigint }
  | { kind: "Int8"; value: bigint }
  | { kind: "Timestamp"; value: bigint };

export type Entity = Record<string, Value>;

// graph-ts ValueKind discriminants.
const KINDS = ["String", "Int", "BigDecimal", "Bool", "Array", "Null", "Bytes", "BigInt", "Int8", "Timestamp"] as const;

export function readBigDecimal(mem: AscMemory, ptr: number): Decimal {
  return {
    digits: mem.readBigInt(mem.readField(ptr, 0)),
    exp: Number(mem.readBigInt(mem.readField(ptr, 1))),
  };
}

export function writeBigDecimal(mem: AscMemory, d: Decimal): number {
  const digits = mem.writeBigInt(d.digits);
  const exp = mem.writeBigInt(BigInt(d.exp));
  return mem.writeObject2(digits, exp, TypeId.BigDecimal);
}

export function readValue(mem: AscMemory, ptr: number): Value {
  // { kind u32, pad u32, payload u64 }: read only the part of the payload the kind uses.
  const kind = mem.u32(ptr);
  const p = mem.u32(ptr + 8);
  switch (KINDS[kind]) {
    case "String":
      return { kind: "String", value: mem.readString(p) };
    case "Int":
      return { kind: "Int", value: mem.i32(ptr + 8) };
    case "BigDecimal":
      return { kind: "BigDecimal", value: readBigDecimal(mem, p) };
    case "Bool":
      return { kind: "Bool", value: p !== 0 || mem.u32(ptr + 12) !== 0 };
    case "Array":
      return { kind: "Array", value: mem.readArray(p).map((q) => readValue(mem, q)) };
    case "Null":
      return { kind: "Null" };
    case "Bytes":
      return { kind: "Bytes", value: mem.copyBytes(p) };
    case "BigInt":
      return { kind: "BigInt", value: mem.readBigInt(p) };
    case "Int8":
      return { kind: "Int8", value: mem.i64(ptr + 8) };
    case "Timestamp":
      return { kind: "Timestamp", value: mem.i64(ptr + 8) };
    default:
      throw new Error(`unknown store value kind ${kind}`);
  }
}

const KIND_INDEX = Object.fromEntries(KINDS.map((k, i) => [k, i])) as Record<Value["kind"], number>;

export function writeValue(mem: AscMemory, v: Value): number {
  const kind = KIND_INDEX[v.kind];
  const ofPtr = (p: number) => mem.writeEnumU32(kind, p, TypeId.StoreValue);
  switch (v.kind) {
    case "String":
      return ofPtr(mem.writeString(v.value));
    case "Int":
      // graph-node widens the i32 to the u64 payload with sign extension.
      return v.value >= 0 ? ofPtr(v.value) : mem.writeEnum(kind, BigInt(v.value), TypeId.StoreValue);
    case "BigDecimal":
      return ofPtr(writeBigDecimal(mem, v.value));
    case "Bool":
      return ofPtr(v.value ? 1 : 0);
    case "Array": {
      const items = v.value.map((x) => writeValue(mem, x));
      return ofPtr(mem.writeArray(items, TypeId.ArrayStoreValue));
    }
    case "Null":
      return ofPtr(0);
    case "Bytes":
      return ofPtr(mem.writeBytes(v.value));
    case "BigInt":
      return ofPtr(mem.writeBigInt(v.value));
    case "Int8":
    case "Timestamp":
      return mem.writeEnum(kind, v.value, TypeId.StoreValue);
  }
}

/** Reads a graph-ts `Entity` (TypedMap<string, Value>). */
export function readEntity(mem: AscMemory, ptr: number): Entity {
  const out: Entity = {};
  for (const entry of mem.readArray(mem.readField(ptr, 0))) {
    out[mem.readString(mem.readField(entry, 0))] = readValue(mem, mem.readField(entry, 1));
  }
  return out;
}

export function writeEntity(mem: AscMemory, entity: Entity): number {
  const entries: number[] = [];
  for (const k in entity)
    entries.push(mem.writeObject2(mem.writeKey(k), writeValue(mem, entity[k]), TypeId.TypedMapEntryStringStoreValue));
  return mem.writeObject(
    [mem.writeArray(entries, TypeId.ArrayTypedMapEntryStringStoreValue)],
    TypeId.TypedMapStringStoreValue,
  );
}

/** Human-readable value, in the style of graph-node's error messages. */
export function displayValue(v: Value): string {
  switch (v.kind) {
    case "Null":
      return "null";
    case "Bytes":
      return hexOf(v.value);
    case "BigDecimal":
      return decimalToString(v.value);
    case "Array":
      return "[" + v.value.map(displayValue).join(", ") + "]";
    default:
      return String(v.value);
  }
}

export function idString(v: Value): string {
  return v.kind === "Bytes" ? hexOf(v.value) : String((v as { value: unknown }).value);
}

const TYPE_NAME: Record<string, string> = { Bool: "Boolean" };
const typeName = (t: string) => TYPE_NAME[t] ?? t;

function assignable(v: Value, t: ValueType, list: boolean): boolean {
  if (v.kind === "Null") return true;
  if (v.kind === "Array") return list && v.value.every((x) => assignable(x, t, false));
  return v.kind === t;
}

/**
 * Checks a (merged) entity against its type like graph-node's Entity::validate:
 * unknown fields, derived fields, required fields and value types.
 */
export function validateEntity(
  type: EntityType,
  id: string,
  data: Entity,
  enums: Map<string, string[]>,
  /** The fields of `data` the type lacks, when the caller found them already. */
  unknownFields?: string[],
): void {
  let unknown: string[] | null = unknownFields?.length ? [...unknownFields] : null;
  if (!unknownFields) for (const k in data) if (!type.byName.has(k)) (unknown ??= []).push(k);
  if (unknown) {
    unknown.sort();
    throw new Error(
      `Attempted to set undefined fields [${unknown.join(", ")}] for the entity type \`${type.name}\`. Make sure those fields are defined in the schema.`,
    );
  }
  const fields = type.fields;
  for (let i = 0; i < fields.length; i++) {
    const f = fields[i];
    const v = data[f.name];
    const present = v !== undefined && v.kind !== "Null";
    if (f.derivedFrom) {
      if (present) throw new Error(`Entity ${type.name}[${id}]: field \`${f.name}\` is derived and cannot be set`);
      continue;
    }
    if (!present) {
      if (f.nonNull) throw new Error(`Entity ${type.name}[${id}]: missing value for non-nullable field \`${f.name}\``);
      continue;
    }
    if (f.list && v.kind === "Array") {
      v.value.forEach((elt, index) => {
        if (!assignable(elt, f.valueType, false)) {
          throw new Error(
            `Entity ${type.name}[${id}]: field \`${f.name}\` is of type ${typeName(f.valueType)}, but the value \`${displayValue(v)}\` contains a ${typeName(elt.kind)} at index ${index}`,
          );
        }
      });
    }
    if (!assignable(v, f.valueType, f.list)) {
      const expected = f.list ? `[${typeName(f.valueType)}]` : typeName(f.valueType);
      throw new Error(
        `Entity ${type.name}[${id}]: the value \`${displayValue(v)}\` for field \`${f.name}\` must have type ${expected} but has type ${typeName(v.kind)}`,
      );
    }
    // graph-node stores enums as Postgres enum types, so an unknown value fails the write.
    const allowed = f.kind === "enum" ? enums.get(f.type) : undefined;
    if (!allowed) continue;
    const bad =
      v.kind === "Array"
        ? v.value.find((x) => x.kind === "String" && !allowed.includes(x.value))
        : v.kind === "String" && !allowed.includes(v.value)
          ? v
          : undefined;
    if (bad) {
      throw new Error(
        `Entity ${type.name}[${id}]: value \`${displayValue(bad)}\` for field \`${f.name}\` is not a value of enum ${f.type}`,
      );
    }
  }
}
