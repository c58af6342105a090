// graph-node's GraphQL query API for a subgraph schema: the generated API
// schema (root fields, `_filter` inputs, `_orderBy` enums, `_meta`) and a
// resolver that turns each collection into one SQL query on the versioned
// tables.
import {
  buildSchema,
  execute,
  GraphQLError,
  GraphQLScalarType,
  parse,
  validate,
  Kind,
  type GraphQLResolveInfo,
  type GraphQLSchema,
  type ValueNode,
} from "graphql";
import { decimalToString, parseDecimal } from "./numbers.ts";
import { storedFields, type EntityType, type Field, type Fulltext, type InterfaceType, type Schema } from "./schema.ts";
import { idParam, q, textExpr, type BlockPtr, type Store } from "./store.ts";

const MAX_FIRST = 1000;

// ------------------------------------------------------------------ naming

/**
 * English plural exactly as graph-node computes it: the Inflector crate's `to_plural`, whose rules are
 * tried last-first and match the end of the whole name (so `ArtistDailyStats` stays `ArtistDailyStats`
 * and its collection field becomes `artistDailyStats_collection`).
 */
const PLURAL_RULES: [RegExp, string][] = [
  [/(\w*)s$/, "s"],
  [/(\w*([^aeiou]ese))$/, ""],
  [/(\w*(ax|test))is$/, "es"],
  [/(\w*(alias|[^aou]us|tlas|gas|ris))$/, "es"],
  [/(\w*(e[mn]u))s?$/, "s"],
  [/(\w*([^l]ias|[aeiou]las|[emjzr]as|[iu]am))$/, ""],
  [/(\w*(alumn|syllab|octop|vir|radi|nucle|fung|cact|stimul|termin|bacill|foc|uter|loc|strat))(?:us|i)$/, "i"],
  [/(\w*(alumn|alg|vertebr))(?:a|ae)$/, "ae"],
  [/(\w*(seraph|cherub))(?:im)?$/, "im"],
  [/(\w*(her|at|gr))o$/, "oes"],
  [
    /(\w*(agend|addend|millenni|dat|extrem|bacteri|desiderat|strat|candelabr|errat|ov|symposi|curricul|automat|quor))(?:a|um)$/,
    "a",
  ],
  [/(\w*(apheli|hyperbat|periheli|asyndet|noumen|phenomen|criteri|organ|prolegomen|hedr|automat))(?:a|on)$/, "a"],
  [/(\w*)sis$/, "ses"],
  [/(\w*(kni|wi|li))fe$/, "ves"],
  [/(\w*(ar|l|ea|eo|oa|hoo))f$/, "ves"],
  [/(\w*([^aeiouy]|qu))y$/, "ies"],
  [/(\w*([^ch][ieo][ln]))ey$/, "ies"],
  [/(\w*(x|ch|ss|sh|zz)es)$/, ""],
  [/(\w*(x|ch|ss|sh|zz))$/, "es"],
  [/(\w*(matr|cod|mur|sil|vert|ind|append))(?:ix|ex)$/, "ices"],
  [/(\w*(m|l)(?:ice|ouse))$/, "ice"],
  [/(\w*(pe)(?:rson|ople))$/, "ople"],
  [/(\w*(child))(?:ren)?$/, "ren"],
  [/(\w*eaux)$/, ""],
];
const PLURAL_SPECIAL: Record<string, string> = {
  ox: "oxen",
  man: "men",
  woman: "women",
  die: "dice",
  yes: "yeses",
  foot: "feet",
  eave: "eaves",
  goose: "geese",
  tooth: "teeth",
  quiz: "quizzes",
};
// Inflector's 202 uncountable words, matched against the whole name.
const UNCOUNTABLE = new Set(
  [
    "accommodation adulthood advertising advice aggression aid air aircraft alcohol anger applause arithmetic " +
      "assistance athletics bacon baggage beef biology blood botany bread butter carbon cardboard cash chalk chaos " +
      "chess crossroads countryside dancing deer dignity dirt dust economics education electricity engineering " +
      "enjoyment envy equipment ethics evidence evolution fame fiction flour flu food fuel fun furniture gallows " +
      "garbage garlic genetics gold golf gossip grammar gratitude grief guilt gymnastics happiness hardware harm hate " +
      "hatred health heat help homework honesty honey hospitality housework humour hunger hydrogen ice importance " +
      "inflation information innocence iron irony jam jewelry judo karate knowledge lack laughter lava leather " +
      "leisure lightning linguine linguini linguistics literature litter livestock logic loneliness luck luggage " +
      "macaroni machinery magic management mankind marble mathematics mayonnaise measles methane milk money mud music " +
      "mumps nature news nitrogen nonsense nurture nutrition obedience obesity oxygen pasta patience physics poetry " +
      "pollution poverty pride psychology publicity punctuation quartz racism relaxation reliability research respect " +
      "revenge rice rubbish rum safety scenery seafood seaside series shame sheep shopping sleep smoke smoking snow " +
      "soap software soil spaghetti species steam stuff stupidity sunshine symmetry tennis thirst thunder timber " +
      "traffic transportation trust underwear unemployment unity validity veal vegetation vegetarianism vengeance " +
      "violence vitality warmth wealth weather welfare wheat wildlife wisdom yoga zinc zoology",
  ]
    .join("")
    .split(" "),
);

export function pluralize(word: string): string {
  if (UNCOUNTABLE.has(word)) return word;
  if (word in PLURAL_SPECIAL) return PLURAL_SPECIAL[word];
  for (let i = PLURAL_RULES.length - 1; i >= 0; i--) {
    const match = PLURAL_RULES[i][0].exec(word);
    if (match?.[1] !== undefined) return match[1] + PLURAL_RULES[i][1];
  }
  return word + "s";
}
function matchCase(src: string, dst: string): string {
  return src[0] === src[0].toUpperCase() ? dst[0].toUpperCase() + dst.slice(1) : dst;
}
const lcFirst = (s: string) => s[0].toLowerCase() + s.slice(1);

/** Root field names: `Tip` → `tip` / `tips` (plural `_collection` when equal). */
export function rootFieldNames(type: string): [string, string] {
  const singular = lcFirst(type);
  let plural = lcFirst(pluralize(type));
  if (plural === singular) plural += "_collection";
  return [singular, plural];
}

// ------------------------------------------------------------ API schema

const SCALAR_OPS: Record<string, string[]> = {
  Boolean: ["", "not", "in", "not_in"],
  Bytes: ["", "not", "gt", "lt", "gte", "lte", "in", "not_in", "contains", "not_contains"],
  ID: ["", "not", "gt", "lt", "gte", "lte", "in", "not_in"],
  BigInt: ["", "not", "gt", "lt", "gte", "lte", "in", "not_in"],
  BigDecimal: ["", "not", "gt", "lt", "gte", "lte", "in", "not_in"],
  Int: ["", "not", "gt", "lt", "gte", "lte", "in", "not_in"],
  Int8: ["", "not", "gt", "lt", "gte", "lte", "in", "not_in"],
  Timestamp: ["", "not", "gt", "lt", "gte", "lte", "in", "not_in"],
  String: [
    "",
    "not",
    "gt",
    "lt",
    "gte",
    "lte",
    "in",
    "not_in",
    "contains",
    "contains_nocase",
    "not_contains",
    "not_contains_nocase",
    "starts_with",
    "starts_with_nocase",
    "not_starts_with",
    "not_starts_with_nocase",
    "ends_with",
    "ends_with_nocase",
    "not_ends_with",
    "not_ends_with_nocase",
  ],
};
const ENUM_OPS = ["", "not", "in", "not_in"];
const LIST_OPS = ["", "not", "contains", "contains_nocase", "not_contains", "not_contains_nocase"];
/** Suffixes, longest first, for parsing filter keys. */
const SUFFIXES = [...new Set([...Object.values(SCALAR_OPS).flat(), ...LIST_OPS])]
  .filter(Boolean)
  .sort((a, b) => b.length - a.length);

type ObjectLike = EntityType | InterfaceType;

function gqlType(f: Field, idAsString = false): string {
  const base = f.name === "id" && !idAsString ? "ID" : f.type;
  if (f.list) return `[${base}!]${f.nonNull ? "!" : ""}`;
  return base + (f.nonNull ? "!" : "");
}

const collectionArgs = (type: string) =>
  `skip: Int = 0, first: Int = 100, orderBy: ${type}_orderBy, orderDirection: OrderDirection, where: ${type}_filter`;

/** A GraphQL description in front of a definition (a JSON string is a valid GraphQL string). */
const doc = (text: string | undefined) => (text ? JSON.stringify(text) + " " : "");

/** graph-node's descriptions of its generated API (graph/src/schema/meta.graphql and api.rs). */
const BLOCK_ARG =
  "The block at which the query should be executed. Can either be a `{ hash: Bytes }` value containing a block hash, a `{ number: Int }` containing the block number, or a `{ number_gte: Int }` containing the minimum block number. In the case of `number_gte`, the query will be executed on the latest block only if the subgraph has progressed to or past the minimum block number. Defaults to the latest block when omitted.";
const ERROR_ARG = "Set to `allow` to receive data even if the subgraph has skipped over errors while syncing.";
const blockArg = `${doc(BLOCK_ARG)}block: Block_height`;
const errorArg = `${doc(ERROR_ARG)}subgraphError: _SubgraphErrorPolicy_! = deny`;

export function apiSchemaSdl(schema: Schema): string {
  const d = (key: string) => doc(schema.descriptions.get(key));
  const out: string[] = [
    "scalar BigDecimal",
    "scalar BigInt",
    "scalar Bytes",
    `${doc("8 bytes signed integer")}scalar Int8`,
    `${doc("A string representation of microseconds UNIX timestamp (16 digits)")}scalar Timestamp`,
    `${doc("Defines the order direction, either ascending or descending")}enum OrderDirection { asc desc }`,
    `enum _SubgraphErrorPolicy_ { ${doc("Data will be returned even if the subgraph has indexing errors")}allow ${doc("If the subgraph has indexing errors, data will be omitted. The default.")}deny }`,
    `${doc("The block at which the query should be executed.")}input Block_height { ${doc("Value containing a block hash")}hash: Bytes ${doc("Value containing a block number")}number: Int ${doc("Value containing the minimum block number.\nIn the case of `number_gte`, the query will be executed on the latest block only if\nthe subgraph has progressed to or past the minimum block number.\nDefaults to the latest block when omitted.")}number_gte: Int }`,
    "input BlockChangedFilter { number_gte: Int! }",
    `type _Block_ { ${doc("The hash of the block")}hash: Bytes ${doc("The block number")}number: Int! ${doc("Integer representation of the timestamp stored in blocks for the chain")}timestamp: Int ${doc("The hash of the parent block")}parentHash: Bytes }`,
    `${doc("The type for the top-level _meta field")}type _Meta_ { ${doc("Information about a specific subgraph block. The hash of the block\nwill be null if the _meta field has a block constraint that asks for\na block number. It will be filled if the _meta field has no block constraint\nand therefore asks for the latest  block")}block: _Block_! ${doc("The deployment ID")}deployment: String! ${doc("If `true`, the subgraph encountered indexing errors at some past block")}hasIndexingErrors: Boolean! }`,
  ];
  for (const [name, values] of schema.enums)
    out.push(`${d(name)}enum ${name} { ${values.map((v) => d(`${name}.${v}`) + v).join(" ")} }`);
  const objects: [ObjectLike, boolean][] = [
    ...[...schema.interfaces.values()].map((i) => [i, true] as [ObjectLike, boolean]),
    ...[...schema.entities.values()].map((e) => [e, false] as [ObjectLike, boolean]),
  ];
  const idScalar = (typeName: string) => (idTypeOf(schema, typeName) === "Int8" ? "Int" : "String");
  for (const [t, isInterface] of objects) {
    const fields = t.fields.map((f) => {
      const isRef = f.kind === "entity" || f.kind === "interface";
      const args = isRef && f.list ? `(${collectionArgs(f.type)})` : "";
      return `${d(`${t.name}.${f.name}`)}${f.name}${args}: ${gqlType(f)}`;
    });
    const impl =
      !isInterface && (t as EntityType).interfaces.length
        ? ` implements ${(t as EntityType).interfaces.join(" & ")}`
        : "";
    out.push(`${d(t.name)}${isInterface ? "interface" : "type"} ${t.name}${impl} { ${fields.join(" ")} }`);

    // orderBy: every field, plus `parent__child` for scalar children of single references
    const order: string[] = [];
    for (const f of t.fields) {
      order.push(f.name);
      const child = !f.list && (schema.entities.get(f.type) ?? schema.interfaces.get(f.type));
      if (child)
        for (const c of child.fields)
          if (!c.list && c.kind !== "entity" && c.kind !== "interface") order.push(`${f.name}__${c.name}`);
    }
    out.push(`enum ${t.name}_orderBy { ${order.join(" ")} }`);

    const filters: string[] = [];
    const add = (field: string, ops: string[], type: string) => {
      for (const op of ops)
        filters.push(`${op ? `${field}_${op}` : field}: ${op === "in" || op === "not_in" ? `[${type}!]` : type}`);
    };
    for (const f of t.fields) {
      const isRef = f.kind === "entity" || f.kind === "interface";
      if (f.list) {
        if (!f.derivedFrom) {
          const elem = isRef ? idScalar(f.type) : f.type;
          const ops = elem === "String" ? LIST_OPS : ["", "not", "contains", "not_contains"];
          for (const op of ops) filters.push(`${op ? `${f.name}_${op}` : f.name}: [${elem}!]`);
        }
        if (isRef) filters.push(`${f.name}_: ${f.type}_filter`);
      } else if (isRef) {
        if (!f.derivedFrom) add(f.name, SCALAR_OPS[idScalar(f.type)], idScalar(f.type));
        filters.push(`${f.name}_: ${f.type}_filter`);
      } else if (f.kind === "enum") {
        add(f.name, ENUM_OPS, f.type);
      } else {
        add(f.name, SCALAR_OPS[f.name === "id" ? "ID" : f.type], f.name === "id" ? "ID" : f.type);
      }
    }
    filters.push(
      `${doc("Filter for the block changed event.")}_change_block: BlockChangedFilter`,
      `and: [${t.name}_filter]`,
      `or: [${t.name}_filter]`,
    );
    out.push(`input ${t.name}_filter { ${filters.join(" ")} }`);
  }
  const root: string[] = [];
  for (const [t] of objects) {
    const [one, many] = rootFieldNames(t.name);
    root.push(`${one}(id: ID!, ${blockArg}, ${errorArg}): ${t.name}`);
    root.push(`${many}(${collectionArgs(t.name)}, ${blockArg}, ${errorArg}): [${t.name}!]!`);
  }
  // graph-node's query_field_for_fulltext (graph/src/schema/api.rs).
  for (const f of schema.fulltext)
    root.push(
      `${f.name}(text: String!, first: Int = 100, skip: Int = 0, ${blockArg}, where: ${f.entity}_filter, ${errorArg}): [${f.entity}!]!`,
    );
  root.push(`${doc("Access to subgraph metadata")}_meta(block: Block_height): _Meta_`);
  out.push(`type Query { ${root.join("\n  ")} }`);
  return out.join("\n");
}

function idTypeOf(schema: Schema, typeName: string): string {
  const e = schema.entities.get(typeName);
  if (e) return e.idType;
  const first = schema.interfaces.get(typeName)?.implementers[0];
  return first ? schema.entities.get(first)!.idType : "String";
}

// ------------------------------------------------------------ scalars

function scalar(
  name: string,
  serialize: (v: unknown) => unknown,
  parseValue: (v: unknown) => unknown,
): GraphQLScalarType {
  return new GraphQLScalarType({
    name,
    serialize,
    parseValue,
    parseLiteral(ast: ValueNode) {
      if (ast.kind === Kind.STRING || ast.kind === Kind.INT || ast.kind === Kind.FLOAT) return parseValue(ast.value);
      throw new GraphQLError(`Invalid value for ${name}`);
    },
  });
}
const str = (v: unknown) => String(v);
const SCALARS: Record<string, GraphQLScalarType> = {
  BigInt: scalar("BigInt", str, (v) => {
    if (!/^-?\d+$/.test(String(v))) throw new GraphQLError(`Invalid BigInt value: ${v}`);
    return String(v);
  }),
  BigDecimal: scalar(
    "BigDecimal",
    (v) => decimalToString(parseDecimal(String(v))),
    (v) => decimalToString(parseDecimal(String(v))),
  ),
  Bytes: scalar(
    "Bytes",
    (v) => String(v).replace(/^\\x/, "0x"),
    (v) => {
      if (!/^(0x)?([0-9a-fA-F]{2})*$/.test(String(v))) throw new GraphQLError(`Invalid Bytes value: ${v}`);
      return String(v).toLowerCase().startsWith("0x") ? String(v).toLowerCase() : "0x" + String(v).toLowerCase();
    },
  ),
  Int8: scalar("Int8", str, (v) => String(BigInt(String(v)))),
  Timestamp: scalar("Timestamp", str, (v) => String(BigInt(String(v)))),
};

// ------------------------------------------------------------ resolver

interface Ctx {
  store: Store;
  block: number | null; // null = latest
  params: unknown[];
  /** Per request: single references being loaded together, by `Type\0block`. */
  refBatches?: Map<string, { ids: Set<string>; rows: Promise<Map<string, Row>> }>;
}

/** SQL cast for a field's value type. */
const CAST: Record<string, string> = {
  String: "text",
  Bytes: "bytea",
  BigInt: "numeric",
  BigDecimal: "numeric",
  Int: "int4",
  Int8: "int8",
  Bool: "boolean",
  Timestamp: "int8",
};

function rangeSql(alias: string, block: number | null, params: unknown[]): string {
  if (block === null) return `${alias}.block_to IS NULL`;
  params.push(block);
  const p = `$${params.length}`;
  return `${alias}.block_from <= ${p} AND (${alias}.block_to IS NULL OR ${alias}.block_to > ${p})`;
}

function paramValue(f: Field, v: unknown): unknown {
  if (v === null || v === undefined) return null;
  if (f.valueType === "Bytes") return "\\x" + String(v).replace(/^0x/i, "");
  return String(v);
}

export class QueryError extends Error {}

export class QueryEngine {
  readonly store: Store;
  readonly schema: Schema;
  readonly gql: GraphQLSchema;
  #alias = 0;

  constructor(store: Store) {
    this.store = store;
    this.schema = store.schema;
    this.gql = buildSchema(apiSchemaSdl(this.schema));
    for (const [name, s] of Object.entries(SCALARS)) {
      const t = this.gql.getType(name) as GraphQLScalarType;
      Object.assign(t, { serialize: s.serialize, parseValue: s.parseValue, parseLiteral: s.parseLiteral });
    }
    for (const i of this.schema.interfaces.values()) {
      const t = this.gql.getType(i.name) as { resolveType?: (v: { __typename: string }) => string };
      t.resolveType = (v) => v.__typename;
    }
  }

  /** Entity types behind an object or interface name. */
  #targets(typeName: string): EntityType[] {
    const e = this.schema.entities.get(typeName);
    if (e) return [e];
    return (this.schema.interfaces.get(typeName)?.implementers ?? []).map((n) => this.schema.entities.get(n)!);
  }

  #objectLike(typeName: string): ObjectLike {
    return (this.schema.entities.get(typeName) ?? this.schema.interfaces.get(typeName))!;
  }

  /**
   * WHERE clause for a `_filter` input object on table `alias` of `type`. `inChild`:
   * the filter of a `field_` child filter, where graph-node allows no further child filter.
   */
  #filter(type: EntityType, alias: string, where: Record<string, unknown>, ctx: Ctx, inChild = false): string {
    const parts: string[] = [];
    const P = (v: unknown) => {
      ctx.params.push(v);
      return `$${ctx.params.length}`;
    };
    const keys = Object.keys(where).filter((k) => where[k] !== undefined);
    // graph-node's build_filter_from_object (graphql/src/store/query.rs).
    const columns = keys.filter((k) => k !== "and" && k !== "or" && k !== "_change_block");
    if (keys.includes("or") && columns.length) {
      const list = columns.map((c) => `'${c}'`).join(", ");
      throw new QueryError(
        `Cannot mix column filters with 'or' operator at the same level. Found column filter(s) ${list} alongside 'or' operator.\n\nInstead of:\nwhere: { ${list}, or: [...] }\n\nUse:\nwhere: { or: [{ ${list}, ... }, { ${list}, ... }] }`,
      );
    }
    // `and` takes every value of its object as a list of filters: a column value is not one.
    if (keys.includes("and") && keys.some((k) => !Array.isArray(where[k]) && k !== "_change_block"))
      throw new QueryError("Filter must by an object");
    for (const [key, value] of Object.entries(where)) {
      if (value === undefined) continue;
      if (key === "and" || key === "or") {
        const subs = (value as Record<string, unknown>[]).map((w) => `(${this.#filter(type, alias, w, ctx, inChild)})`);
        if (subs.length) parts.push(`(${subs.join(key === "and" ? " AND " : " OR ")})`);
        continue;
      }
      if (key === "_change_block") {
        parts.push(`${alias}.block_from >= ${P((value as { number_gte: number }).number_gte)}`);
        continue;
      }
      if (key.endsWith("_") && type.byName.has(key.slice(0, -1))) {
        if (inChild) {
          const f = type.byName.get(key.slice(0, -1))!;
          const display = this.#childDisplay(f, value as Record<string, unknown>);
          throw new QueryError(
            `Child filter nesting not supported by value \`${f.derivedFrom ?? f.name}\`: \`${display}\``,
          );
        }
        parts.push(
          this.#childFilter(type, alias, type.byName.get(key.slice(0, -1))!, value as Record<string, unknown>, ctx),
        );
        continue;
      }
      let field = type.byName.get(key);
      let op = "";
      if (!field) {
        const suffix = SUFFIXES.find((s) => key.endsWith("_" + s) && type.byName.has(key.slice(0, -s.length - 1)));
        if (!suffix) throw new QueryError(`Type \`${type.name}\` has no field \`${key}\``);
        field = type.byName.get(key.slice(0, -suffix.length - 1))!;
        op = suffix;
      }
      parts.push(this.#condition(field, `${alias}.${q(field.name)}`, op, value, P));
    }
    return parts.length ? parts.join(" AND ") : "true";
  }

  #condition(f: Field, col: string, op: string, value: unknown, P: (v: unknown) => string): string {
    const cast = CAST[f.valueType];
    if (f.list) {
      const arr = value === null ? null : (value as unknown[]).map((v) => paramValue(f, v));
      const nocase = op.endsWith("_nocase");
      const lhs = nocase ? `lower(${col}::text)::text[]` : col;
      const rhs = nocase ? `lower(${P(arr)}::text[]::text)::text[]` : `${P(arr)}::text[]::${cast}[]`;
      switch (op.replace("_nocase", "")) {
        case "":
          return value === null ? `${col} IS NULL` : `${col} = ${rhs}`;
        case "not":
          return value === null ? `${col} IS NOT NULL` : `${col} <> ${rhs}`;
        case "contains":
          return `${lhs} @> ${rhs}`;
        case "not_contains":
          return `NOT (${lhs} @> ${rhs})`;
      }
      throw new QueryError(`Filter \`${op}\` is not supported for list field \`${f.name}\``);
    }
    if (op === "in" || op === "not_in") {
      const arr = (value as unknown[]).map((v) => paramValue(f, v));
      const c = `${col} = ANY(${P(arr)}::text[]::${cast}[])`;
      return op === "in" ? c : `NOT (${c})`;
    }
    if (value === null) {
      if (op === "") return `${col} IS NULL`;
      if (op === "not") return `${col} IS NOT NULL`;
      throw new QueryError(`Filter \`${f.name}_${op}\` does not accept null`);
    }
    const p = `${P(paramValue(f, value))}::text::${cast}`;
    const nocase = op.endsWith("_nocase");
    const lc = (s: string) => (nocase ? `lower(${s})` : s);
    switch (op.replace("_nocase", "")) {
      case "":
        return `${col} = ${p}`;
      case "not":
        return `${col} <> ${p}`;
      case "gt":
        return `${col} > ${p}`;
      case "lt":
        return `${col} < ${p}`;
      case "gte":
        return `${col} >= ${p}`;
      case "lte":
        return `${col} <= ${p}`;
      case "contains":
        return f.valueType === "Bytes" ? `position(${p} in ${col}) > 0` : `strpos(${lc(col)}, ${lc(p)}) > 0`;
      case "not_contains":
        return f.valueType === "Bytes" ? `position(${p} in ${col}) = 0` : `strpos(${lc(col)}, ${lc(p)}) = 0`;
      case "starts_with":
        return `starts_with(${lc(col)}, ${lc(p)})`;
      case "not_starts_with":
        return `NOT starts_with(${lc(col)}, ${lc(p)})`;
      case "ends_with":
        return `right(${lc(col)}, length(${p})) = ${lc(p)}`;
      case "not_ends_with":
        return `right(${lc(col)}, length(${p})) <> ${lc(p)}`;
    }
    throw new QueryError(`Unknown filter \`${f.name}_${op}\``);
  }

  /** graph-node's Display of the EntityFilter a child filter becomes (graph/src/components/store/mod.rs). */
  #childDisplay(f: Field, where: Record<string, unknown>): string {
    const attr = f.derivedFrom ?? f.name;
    return this.#targets(f.type)
      .map((child) => `join on ${attr} with ${child.name}(${this.#filterDisplay(child, where)})`)
      .join(" or ");
  }

  #filterDisplay(type: EntityType, where: Record<string, unknown>): string {
    const v = (x: unknown): string => (Array.isArray(x) ? `[${x.map(v).join(", ")}]` : String(x));
    const OPS: Record<string, (a: string, x: unknown) => string> = {
      "": (a, x) => `${a} = ${v(x)}`,
      not: (a, x) => `${a} != ${v(x)}`,
      gt: (a, x) => `${a} > ${v(x)}`,
      lt: (a, x) => `${a} < ${v(x)}`,
      gte: (a, x) => `${a} >= ${v(x)}`,
      lte: (a, x) => `${a} <= ${v(x)}`,
      in: (a, x) => `${a} in (${(x as unknown[]).map(v).join(",")})`,
      not_in: (a, x) => `${a} not in (${(x as unknown[]).map(v).join(",")})`,
      contains: (a, x) => `${a} ~ *${v(x)}*`,
      contains_nocase: (a, x) => `${a} ~ *${v(x)}*i`,
      not_contains: (a, x) => `${a} !~ *${v(x)}*`,
      not_contains_nocase: (a, x) => `${a} !~ *${v(x)}*i`,
      starts_with: (a, x) => `${a} ~ ^${v(x)}*`,
      starts_with_nocase: (a, x) => `${a} ~ ^${v(x)}*i`,
      not_starts_with: (a, x) => `${a} !~ ^${v(x)}*`,
      not_starts_with_nocase: (a, x) => `${a} !~ ^${v(x)}*i`,
      ends_with: (a, x) => `${a} ~ *${v(x)}$`,
      ends_with_nocase: (a, x) => `${a} ~ *${v(x)}$i`,
      not_ends_with: (a, x) => `${a} !~ *${v(x)}$`,
      not_ends_with_nocase: (a, x) => `${a} !~ *${v(x)}$i`,
    };
    const parts: string[] = [];
    for (const [key, value] of Object.entries(where)) {
      if (value === undefined) continue;
      if (key === "and" || key === "or")
        parts.push(
          (value as Record<string, unknown>[])
            .map((w) => this.#filterDisplay(type, w))
            .join(key === "and" ? " and " : " or "),
        );
      else if (key === "_change_block") parts.push(`block >= ${(value as { number_gte: number }).number_gte}`);
      else if (key.endsWith("_") && type.byName.has(key.slice(0, -1)))
        parts.push(this.#childDisplay(type.byName.get(key.slice(0, -1))!, value as Record<string, unknown>));
      else {
        const suffix = type.byName.has(key)
          ? ""
          : (SUFFIXES.find((x) => key.endsWith("_" + x) && type.byName.has(key.slice(0, -x.length - 1))) ?? "");
        parts.push((OPS[suffix] ?? OPS[""])(suffix ? key.slice(0, -suffix.length - 1) : key, value));
      }
    }
    return parts.join(" and ");
  }

  /** `field_: {...}`: filter on the referenced (or deriving) entities. */
  #childFilter(type: EntityType, alias: string, f: Field, where: Record<string, unknown>, ctx: Ctx): string {
    const ors: string[] = [];
    for (const child of this.#targets(f.type)) {
      const c = `c${++this.#alias}`;
      const range = rangeSql(c, ctx.block, ctx.params);
      const inner = this.#filter(child, c, where, ctx, true);
      let link: string;
      if (f.derivedFrom) {
        const via = child.byName.get(f.derivedFrom)!;
        link = via.list ? `${alias}.id = ANY(${c}.${q(via.name)})` : `${c}.${q(via.name)} = ${alias}.id`;
      } else {
        link = f.list ? `${c}.id = ANY(${alias}.${q(f.name)})` : `${c}.id = ${alias}.${q(f.name)}`;
      }
      ors.push(`EXISTS (SELECT 1 FROM ${this.store.table(child)} ${c} WHERE ${range} AND ${link} AND ${inner})`);
    }
    return ors.length ? `(${ors.join(" OR ")})` : "false";
  }

  #orderSql(type: EntityType, alias: string, orderBy: string | undefined, dir: string, ctx: Ctx): string {
    const d = dir === "desc" ? "DESC" : "ASC";
    if (!orderBy || orderBy === "id") return `${alias}.id ${d}`;
    const direct = type.byName.get(orderBy);
    if (direct && !direct.derivedFrom) {
      if (direct.list) throw new QueryError(`Ordering by \`${orderBy}\` fields is not supported`);
      return `${alias}.${q(direct.name)} ${d}, ${alias}.id ${d}`;
    }
    const [parentName, childName] = orderBy.split("__");
    const parent = type.byName.get(parentName);
    if (!parent || !childName || parent.list || parent.derivedFrom)
      throw new QueryError(`Ordering by \`${orderBy}\` is not supported`);
    const exprs = this.#targets(parent.type).map((child) => {
      const c = `o${++this.#alias}`;
      return `(SELECT ${c}.${q(childName)} FROM ${this.store.table(child)} ${c} WHERE ${c}.id = ${alias}.${q(parent.name)} AND ${rangeSql(c, ctx.block, ctx.params)})`;
    });
    return `COALESCE(${exprs.join(", ")}) ${d}, ${alias}.id ${d}`;
  }

  /** Runs one collection query; rows carry `__typename` for interfaces. */
  async collection(
    typeName: string,
    args: Record<string, any>,
    ctx: Ctx,
    extra?: (t: EntityType, alias: string) => string | null,
    /** ORDER BY for one entity type (replaces orderBy/orderDirection). */
    order?: (alias: string) => string,
  ): Promise<Row[]> {
    const first = args.first ?? 100;
    const skip = args.skip ?? 0;
    // graph-node's build_range: 0 < first <= max (its message still says "between 0 and").
    if (first < 1 || first > MAX_FIRST)
      throw new QueryError(`The \`first\` argument must be between 0 and ${MAX_FIRST}, but is ${first}`);
    if (skip < 0) throw new QueryError(`The \`skip\` argument must be between 0 and 4294967295, but is ${skip}`);
    const targets = this.#targets(typeName);
    const selects: string[] = [];
    ctx.params = [];
    const orderBy: string | undefined = args.orderBy;
    const dir: string = args.orderDirection ?? "asc";
    for (const t of targets) {
      const a = `t${++this.#alias}`;
      const extraCond = extra?.(t, a);
      if (extraCond === null) continue;
      const cols = storedFields(t).map((f) => `${textExpr(f, a + ".")} AS ${q(f.name)}`);
      const sortKey = orderBy && orderBy !== "id" ? this.#sortExpr(t, a, orderBy, ctx) : null;
      const where = [
        rangeSql(a, ctx.block, ctx.params),
        extraCond ?? "true",
        args.where ? this.#filter(t, a, args.where, ctx) : "true",
      ];
      if (targets.length === 1) {
        const sql = `SELECT ${cols.join(", ")} FROM ${this.store.table(t)} ${a} WHERE ${where.join(" AND ")} ORDER BY ${order ? order(a) : this.#orderSql(t, a, orderBy, dir, ctx)} LIMIT ${first} OFFSET ${skip}`;
        const rows = await this.store.db.query<Row>(sql, ctx.params);
        return rows.map((r) => ({ ...r, __typename: t.name }));
      }
      selects.push(
        `SELECT '${t.name}' AS __typename, ${a}.id::text AS __id, ${sortKey ?? "NULL"} AS __sort, to_jsonb(${a}) AS __row FROM ${this.store.table(t)} ${a} WHERE ${where.join(" AND ")}`,
      );
    }
    if (!selects.length) return [];
    // Interfaces: merge the implementers, then decode each row with its own type.
    const d = dir === "desc" ? "DESC" : "ASC";
    const unionOrder = orderBy && orderBy !== "id" ? `__sort ${d}, __id ${d}` : `__id ${d}`;
    const rows = await this.store.db.query<{ __typename: string; __id: string }>(
      `SELECT __typename, __id FROM (${selects.join(" UNION ALL ")}) u ORDER BY ${unionOrder} LIMIT ${first} OFFSET ${skip}`,
      ctx.params,
    );
    const out: Row[] = [];
    for (const r of rows) {
      const t = this.schema.entities.get(r.__typename)!;
      const [row] = await this.collection(
        t.name,
        { where: { id: r.__id.replace(/^\\x/, "0x") }, first: 1 },
        { ...ctx, params: [] },
      );
      if (row) out.push(row);
    }
    return out;
  }

  #sortExpr(t: EntityType, a: string, orderBy: string, ctx: Ctx): string {
    return this.#orderSql(t, a, orderBy, "asc", ctx).replace(/ ASC.*$/, "");
  }

  /**
   * A `@fulltext` field, as graph-node's store runs it: the document is the
   * `to_tsvector(<language>, field)` of each included field concatenated, matched
   * with `@@ to_tsquery(text)` (the server's default configuration, as graph-node
   * binds it) and ordered by `ts_rank` (`ts_rank_cd` for proximityRank) of the two,
   * ascending: the field has no orderDirection, and graph-node's default is asc.
   */
  #fulltext(f: Fulltext, args: Record<string, any>, ctx: Ctx): Promise<Row[]> {
    const type = this.schema.entities.get(f.entity)!;
    let textParam = "";
    let vector = "";
    return this.collection(
      type.name,
      { first: args.first, skip: args.skip, where: args.where },
      ctx,
      (_t, a) => {
        ctx.params.push(String(args.text));
        textParam = `$${ctx.params.length}`;
        vector = f.fields.map((name) => `to_tsvector('${f.config}', coalesce(${a}.${q(name)}, ''))`).join(" || ");
        return `(${vector}) @@ to_tsquery(${textParam})`;
      },
      (a) =>
        `${f.algorithm === "rank" ? "ts_rank" : "ts_rank_cd"}((${vector}), to_tsquery(${textParam})) ASC, ${a}.id ASC`,
    );
  }

  /** Converts a row's text cells into GraphQL output values. */
  toOutput(type: EntityType, row: Row): Row {
    const out: Row = { __typename: type.name };
    for (const f of storedFields(type)) {
      const v = row[f.name];
      out[f.name] =
        v === null || v === undefined ? null : f.list ? (v as string[]).map((x) => cell(f, x)) : cell(f, v as string);
    }
    return out;
  }

  // ---- execution

  /**
   * The block a `block:` argument asks for (null: the latest), checked like graph-node's
   * DeploymentState::block_queryable: not above the head, not below the earliest block
   * (the block before the manifest's lowest start block). Messages name the deployment.
   */
  async resolveBlock(
    arg: { number?: number; hash?: string; number_gte?: number } | undefined,
    head: BlockPtr | null,
    deployment: string,
    earliest = 0,
  ): Promise<number | null> {
    if (!arg) return null;
    const headNumber = head?.number ?? -1;
    const queryable = (n: number) => {
      if (n > headNumber)
        throw new QueryError(
          `Failed to decode \`block.number\` value: \`subgraph ${deployment} has only indexed up to block number ${headNumber} and data for block number ${n} is therefore not yet available\``,
        );
      if (n < earliest)
        throw new QueryError(
          `Failed to decode \`block.number\` value: \`subgraph ${deployment} only has data starting at block number ${earliest} and data for block number ${n} is therefore not available\``,
        );
      return n;
    };
    if (arg.hash) {
      const [row] = await this.store.db.query<{ number: number }>(
        `SELECT number FROM ${q(this.store.ns)}._blocks WHERE hash = $1`,
        [arg.hash.toLowerCase()],
      );
      if (!row) throw new QueryError(`Failed to decode \`block.hash\` value: \`no block with that hash found\``);
      return queryable(Number(row.number));
    }
    if (arg.number !== undefined && arg.number !== null) return queryable(arg.number);
    if (arg.number_gte !== undefined && arg.number_gte > headNumber) {
      throw new QueryError(
        `Failed to decode \`block.number_gte\` value: \`subgraph ${deployment} has only indexed up to block number ${headNumber} and data for block number ${arg.number_gte} is therefore not yet available\``,
      );
    }
    return null;
  }

  /** Executes a GraphQL request; always returns a graph-node style response object. */
  async run(
    request: { query?: unknown; variables?: unknown; operationName?: unknown },
    meta: {
      head: BlockPtr | null;
      deployment: string;
      hasIndexingErrors: boolean;
      name: string;
      /** graph-node's earliest_block_number: the block before the lowest start block (0 when that is 0). */
      earliestBlock?: number;
    },
  ): Promise<{ data?: unknown; errors?: { message: string; locations?: unknown; path?: unknown }[] }> {
    if (typeof request.query !== "string" || !request.query.trim())
      return { errors: [{ message: "The query is empty" }] };
    // graph-node reads the deployment state before anything else (graphql/src/runner.rs); before
    // the first block is indexed its head is null (store/postgres/src/deployment.rs).
    if (!meta.head)
      return {
        errors: [
          {
            message: `Subgraph \`${meta.deployment}\` has not started syncing yet. Wait for it to ingest a few blocks before querying it`,
          },
        ],
      };
    const earliest = meta.earliestBlock ?? 0;
    let doc;
    try {
      doc = parse(request.query);
    } catch (e) {
      return { errors: [{ message: (e as Error).message }] };
    }
    const errors = validate(this.gql, doc);
    if (errors.length) return { errors: errors.map((e) => ({ message: e.message, locations: e.locations })) };
    const engine = this;
    const fieldResolver = async (source: any, args: Record<string, any>, context: Ctx, info: GraphQLResolveInfo) => {
      const parentType = info.parentType.name;
      if (parentType === "Query") {
        if (info.fieldName === "_meta") {
          const block = args.block ? await engine.resolveBlock(args.block, meta.head, meta.deployment, earliest) : null;
          if (block !== null && block !== meta.head?.number) {
            const [b] = await engine.store.db.query<{ timestamp: string }>(
              `SELECT timestamp::text AS timestamp FROM ${q(engine.store.ns)}._blocks WHERE number = $1`,
              [block],
            );
            return {
              block: { number: block, hash: null, timestamp: b ? Number(b.timestamp) : null, parentHash: null },
              deployment: meta.deployment,
              hasIndexingErrors: meta.hasIndexingErrors,
            };
          }
          const h = meta.head;
          return {
            block: {
              number: h?.number ?? 0,
              hash: h?.hash ?? null,
              timestamp: h?.timestamp ?? null,
              parentHash: h?.parentHash ?? null,
            },
            deployment: meta.deployment,
            hasIndexingErrors: meta.hasIndexingErrors,
          };
        }
        const block = await engine.resolveBlock(args.block, meta.head, meta.deployment, earliest);
        const typeName = (info.returnType.toString().match(/\w+/) ?? [""])[0];
        const ctx: Ctx = { store: engine.store, block, params: [] };
        const fulltext = engine.schema.fulltext.find((f) => f.name === info.fieldName);
        if (fulltext) {
          const rows = await engine.#fulltext(fulltext, args, ctx);
          return rows.map((r) => engine.#withBlock(r, block));
        }
        if (info.returnType.toString().startsWith("[")) {
          const rows = await engine.collection(typeName, args, ctx);
          return rows.map((r) => engine.#withBlock(r, block));
        }
        const [row] = await engine.collection(typeName, { where: { id: args.id }, first: 1 }, ctx);
        return row ? engine.#withBlock(row, block) : null;
      }
      if (source && source.__entity) {
        const type = engine.schema.entities.get(source.__typename)!;
        const f = type.byName.get(info.fieldName);
        if (!f) return source.__output[info.fieldName];
        const isRef = f.kind === "entity" || f.kind === "interface";
        if (!isRef) return source.__output[f.name];
        const block: number | null = source.__block;
        const ctx: Ctx = { store: engine.store, block, params: [] };
        if (f.derivedFrom) {
          const rows = await engine.collection(f.type, f.list ? args : { first: 1 }, ctx, (child, a) => {
            const via = child.byName.get(f.derivedFrom!);
            if (!via) return null;
            ctx.params.push(idParam(type, source.__id));
            const p = `$${ctx.params.length}::text::${CAST[via.valueType]}`;
            return via.list ? `${p} = ANY(${a}.${q(via.name)})` : `${a}.${q(via.name)} = ${p}`;
          });
          const mapped = rows.map((r) => engine.#withBlock(r, block));
          return f.list ? mapped : (mapped[0] ?? null);
        }
        const raw = source.__raw[f.name];
        if (raw === null || raw === undefined) return null;
        if (f.list) {
          const ids = raw as string[];
          const rows = await engine.collection(f.type, args, ctx, (child, a) => {
            ctx.params.push(ids);
            return `${a}.id::text = ANY($${ctx.params.length}::text[])`;
          });
          return rows.map((r) => engine.#withBlock(r, block));
        }
        return engine.#loadRef(context, f.type, block, raw as string);
      }
      return source?.[info.fieldName];
    };
    try {
      const result = await execute({
        schema: this.gql,
        document: doc,
        variableValues: (request.variables ?? undefined) as Record<string, unknown> | undefined,
        operationName: (request.operationName ?? undefined) as string | undefined,
        contextValue: { store: this.store, block: null, params: [] },
        fieldResolver: fieldResolver as never,
      });
      const out: { data?: unknown; errors?: { message: string; locations?: unknown; path?: unknown }[] } = {};
      if (result.errors?.length) {
        out.errors = result.errors.map((e) => ({ message: e.message, locations: e.locations, path: e.path }));
        // graph-node answers without data when a root field failed.
        if (result.errors.some((e) => (e.path?.length ?? 0) <= 1)) return out;
      }
      out.data = JSON.parse(JSON.stringify(result.data)); // plain objects, as over HTTP
      return out;
    } catch (e) {
      return { errors: [{ message: (e as Error).message }] };
    }
  }

  /**
   * A single reference (e.g. `tips { from { id } }`): the references of every row of a list
   * are collected and loaded with one query per type and block, instead of one per row.
   */
  #loadRef(request: Ctx, typeName: string, block: number | null, id: string): Promise<Row | null> {
    const batches: NonNullable<Ctx["refBatches"]> = (request.refBatches ??= new Map());
    const key = `${typeName}\0${block}`;
    let batch = batches.get(key);
    if (!batch) {
      const ids = new Set<string>();
      // graphql-js resolves a list's items synchronously: wait until all of them asked.
      const rows = new Promise<void>((r) => process.nextTick(r)).then(async () => {
        batches.delete(key);
        const found = new Map<string, Row>();
        const list = [...ids];
        for (let i = 0; i < list.length; i += MAX_FIRST) {
          const chunk = list.slice(i, i + MAX_FIRST);
          const ctx: Ctx = { store: this.store, block, params: [] };
          const got = await this.collection(typeName, { first: MAX_FIRST }, ctx, (_, a) => {
            ctx.params.push(chunk);
            return `${a}.id::text = ANY($${ctx.params.length}::text[])`;
          });
          for (const r of got) found.set(String(r.id), this.#withBlock(r, block));
        }
        return found;
      });
      batch = { ids, rows };
      batches.set(key, batch);
    }
    batch.ids.add(id);
    return batch.rows.then((found) => found.get(id) ?? null);
  }

  #withBlock(row: Row, block: number | null): Row {
    const type = this.schema.entities.get(row.__typename as string)!;
    const output = this.toOutput(type, row);
    return { __entity: true, __typename: type.name, __id: output.id, __block: block, __raw: row, __output: output };
  }
}

type Row = Record<string, unknown>;

function cell(f: Field, v: string): unknown {
  switch (f.valueType) {
    case "Bytes":
      return v.replace(/^\\x/, "0x");
    case "Int":
      return Number(v);
    case "Bool":
      return v === "true" || v === "t";
    case "BigDecimal":
      return decimalToString(parseDecimal(v));
    default:
      return v;
  }
}
