// The subgraph's schema.graphql, reduced to what the store, the validator and
// the query API need: entity types, their fields and how each field is stored.
import { Kind, parse, valueFromASTUntyped, type ConstDirectiveNode, type TypeNode } from "graphql";

export type ScalarName = "ID" | "String" | "Bytes" | "BigInt" | "BigDecimal" | "Int" | "Int8" | "Boolean" | "Timestamp";
/** The kind of store value a field holds (graph-node's ValueType). */
export type ValueType = "String" | "Bytes" | "BigInt" | "BigDecimal" | "Int" | "Int8" | "Bool" | "Timestamp";

export interface Field {
  name: string;
  /** Named type: scalar, enum, entity or interface name. */
  type: string;
  list: boolean;
  nonNull: boolean;
  /** How the base type is related to other types. */
  kind: "scalar" | "enum" | "entity" | "interface";
  derivedFrom?: string;
  /** Value type stored (for references: the referenced id's type). */
  valueType: ValueType;
}

export interface EntityType {
  name: string;
  fields: Field[];
  byName: Map<string, Field>;
  immutable: boolean;
  skipDuplicates: boolean;
  interfaces: string[];
  idType: "String" | "Bytes" | "Int8";
  table: string;
}

export interface InterfaceType {
  name: string;
  fields: Field[];
  byName: Map<string, Field>;
  implementers: string[];
}

/** A `@fulltext` directive on `_Schema_`: a root query field searching one entity type's string fields. */
export interface Fulltext {
  name: string;
  /** Postgres text search configuration (graph-node's FulltextLanguage). */
  config: string;
  algorithm: "rank" | "proximityRank";
  entity: string;
  fields: string[];
}

/** graph-node's fulltext languages (graph/src/schema/fulltext.rs) as Postgres configurations. */
const FULLTEXT_LANGUAGES: Record<string, string> = {
  simple: "simple",
  da: "danish",
  nl: "dutch",
  en: "english",
  fi: "finnish",
  fr: "french",
  de: "german",
  hu: "hungarian",
  it: "italian",
  no: "norwegian",
  pt: "portuguese",
  ro: "romanian",
  ru: "russian",
  es: "spanish",
  sv: "swedish",
  tr: "turkish",
};

export interface Schema {
  fulltext: Fulltext[];
  entities: Map<string, EntityType>;
  interfaces: Map<string, InterfaceType>;
  enums: Map<string, string[]>;
  /** Descriptions from the schema (`Type`, `Type.field`, `Enum.VALUE`), which graph-node's API schema keeps. */
  descriptions: Map<string, string>;
  source: string;
}

const SCALAR_VALUE_TYPE: Record<ScalarName, ValueType> = {
  ID: "String",
  String: "String",
  Bytes: "Bytes",
  BigInt: "BigInt",
  BigDecimal: "BigDecimal",
  Int: "Int",
  Int8: "Int8",
  Boolean: "Bool",
  Timestamp: "Timestamp",
};

function unwrap(t: TypeNode): { type: string; list: boolean; nonNull: boolean } {
  let nonNull = false;
  let list = false;
  let cur = t;
  if (cur.kind === Kind.NON_NULL_TYPE) {
    nonNull = true;
    cur = cur.type;
  }
  if (cur.kind === Kind.LIST_TYPE) {
    list = true;
    cur = cur.type;
    if (cur.kind === Kind.NON_NULL_TYPE) cur = cur.type;
  }
  if (cur.kind !== Kind.NAMED_TYPE) throw new Error("nested list types are not supported");
  return { type: cur.name.value, list, nonNull };
}

function directiveArg(dirs: readonly ConstDirectiveNode[] | undefined, name: string, arg: string): unknown {
  const d = dirs?.find((x) => x.name.value === name);
  const a = d?.arguments?.find((x) => x.name.value === arg);
  if (!a) return undefined;
  const v = a.value;
  if (v.kind === Kind.BOOLEAN || v.kind === Kind.STRING) return v.value;
  return undefined;
}

/** Table names are snake_case like graph-node's, which keeps SQL readable. */
export function snake(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, "$1_$2").toLowerCase();
}

export function parseSchema(source: string): Schema {
  const doc = parse(source);
  const entities = new Map<string, EntityType>();
  const interfaces = new Map<string, InterfaceType>();
  const enums = new Map<string, string[]>();
  const rawFields = new Map<string, { name: string; t: TypeNode; dirs?: readonly ConstDirectiveNode[] }[]>();
  const descriptions = new Map<string, string>();
  const fulltext: Fulltext[] = [];

  for (const def of doc.definitions) {
    if (def.kind === Kind.OBJECT_TYPE_DEFINITION && def.name.value === "_Schema_") {
      for (const d of def.directives ?? []) {
        if (d.name.value !== "fulltext") continue;
        const arg = (n: string) => {
          const a = d.arguments?.find((x) => x.name.value === n);
          return a ? valueFromASTUntyped(a.value) : undefined;
        };
        const name = String(arg("name"));
        const language = String(arg("language"));
        const algorithm = String(arg("algorithm"));
        const include = arg("include") as { entity: string; fields: { name: string }[] }[] | undefined;
        if (!FULLTEXT_LANGUAGES[language])
          throw new Error(`Provided language for fulltext search is invalid: ${language}`);
        if (algorithm !== "rank" && algorithm !== "proximityRank")
          throw new Error(
            `The provided fulltext search algorithm ${algorithm} is invalid. It must be one of: rank, proximityRank`,
          );
        if (!include?.length) throw new Error(`@fulltext ${name}: include must name one entity`);
        fulltext.push({
          name,
          config: FULLTEXT_LANGUAGES[language],
          algorithm,
          entity: include[0].entity,
          fields: include[0].fields.map((f) => f.name),
        });
      }
      continue;
    }
    if (
      def.kind === Kind.ENUM_TYPE_DEFINITION ||
      def.kind === Kind.OBJECT_TYPE_DEFINITION ||
      def.kind === Kind.INTERFACE_TYPE_DEFINITION
    ) {
      if (def.description) descriptions.set(def.name.value, def.description.value);
      const members = def.kind === Kind.ENUM_TYPE_DEFINITION ? (def.values ?? []) : (def.fields ?? []);
      for (const m of members)
        if (m.description) descriptions.set(`${def.name.value}.${m.name.value}`, m.description.value);
    }
    if (def.kind === Kind.ENUM_TYPE_DEFINITION) {
      enums.set(
        def.name.value,
        (def.values ?? []).map((v) => v.name.value),
      );
    } else if (def.kind === Kind.OBJECT_TYPE_DEFINITION) {
      if (!def.directives?.some((d) => d.name.value === "entity")) continue;
      const name = def.name.value;
      rawFields.set(
        name,
        (def.fields ?? []).map((f) => ({ name: f.name.value, t: f.type, dirs: f.directives })),
      );
      entities.set(name, {
        name,
        fields: [],
        byName: new Map(),
        immutable: directiveArg(def.directives, "entity", "immutable") === true,
        skipDuplicates: directiveArg(def.directives, "entity", "skipDuplicates") === true,
        interfaces: (def.interfaces ?? []).map((i) => i.name.value),
        idType: "String",
        table: snake(name),
      });
    } else if (def.kind === Kind.INTERFACE_TYPE_DEFINITION) {
      const name = def.name.value;
      rawFields.set(
        name,
        (def.fields ?? []).map((f) => ({ name: f.name.value, t: f.type, dirs: f.directives })),
      );
      interfaces.set(name, { name, fields: [], byName: new Map(), implementers: [] });
    }
  }

  for (const e of entities.values()) {
    const id = rawFields.get(e.name)!.find((f) => f.name === "id");
    if (!id) throw new Error(`entity ${e.name} has no id field`);
    const idType = unwrap(id.t).type;
    if (idType === "ID" || idType === "String") e.idType = "String";
    else if (idType === "Bytes" || idType === "Int8") e.idType = idType;
    else throw new Error(`entity ${e.name}: id must be ID, String, Bytes or Int8, not ${idType}`);
    for (const i of e.interfaces) interfaces.get(i)?.implementers.push(e.name);
  }

  const idTypeOf = (typeName: string): ValueType => {
    const e = entities.get(typeName);
    if (e) return e.idType;
    const first = interfaces.get(typeName)?.implementers[0];
    return first ? entities.get(first)!.idType : "String";
  };

  const build = (owner: string): Field[] =>
    rawFields.get(owner)!.map(({ name, t, dirs }) => {
      const u = unwrap(t);
      const derivedFrom = directiveArg(dirs, "derivedFrom", "field") as string | undefined;
      let kind: Field["kind"];
      let valueType: ValueType;
      if (u.type in SCALAR_VALUE_TYPE) {
        kind = "scalar";
        valueType = SCALAR_VALUE_TYPE[u.type as ScalarName];
        if (name === "id" && entities.has(owner)) valueType = entities.get(owner)!.idType;
      } else if (enums.has(u.type)) {
        kind = "enum";
        valueType = "String";
      } else if (entities.has(u.type)) {
        kind = "entity";
        valueType = idTypeOf(u.type);
      } else if (interfaces.has(u.type)) {
        kind = "interface";
        valueType = idTypeOf(u.type);
      } else {
        throw new Error(`${owner}.${name}: unknown type ${u.type}`);
      }
      return { name, ...u, kind, derivedFrom, valueType };
    });

  for (const e of entities.values()) {
    e.fields = build(e.name);
    e.byName = new Map(e.fields.map((f) => [f.name, f]));
  }
  for (const i of interfaces.values()) {
    i.fields = build(i.name);
    i.byName = new Map(i.fields.map((f) => [f.name, f]));
  }
  for (const f of fulltext) {
    const e = entities.get(f.entity);
    if (!e) throw new Error(`@fulltext ${f.name}: no entity type ${f.entity}`);
    for (const name of f.fields)
      if (!["String", "ID"].includes(e.byName.get(name)?.type ?? ""))
        throw new Error(`@fulltext ${f.name}: ${f.entity}.${name} must be a String field`);
  }
  return { entities, interfaces, enums, descriptions, fulltext, source };
}

/** Fields that have a column (derived fields are computed at query time). */
export function storedFields(e: EntityType): Field[] {
  return e.fields.filter((f) => !f.derivedFrom);
}
