// A battery of queries whose answers graph-node's source defines (each case names the
// file), run against the runner's query engine over a small PGlite store.
//   node test/parity.ts [--readme]   prints the table; --readme rewrites it in README.md
import { execFileSync } from "node:child_process";
import { isDeepStrictEqual } from "node:util";
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { openDb } from "../src/db.ts";
import { QueryEngine } from "../src/graphql.ts";
import { runWithRetries } from "../src/host.ts";
import { parseSchema } from "../src/schema.ts";
import { Store, type BlockPtr } from "../src/store.ts";
import type { Entity } from "../src/values.ts";

export const SCHEMA = `
"""A user account; one per address."""
type Account @entity(immutable: false) {
  id: ID!
  "The account's public handle"
  handle: String!
  artists: [Artist!]! @derivedFrom(field: "account")
}

type Artist @entity(immutable: false) {
  id: ID!
  name: String!
  bio: String
  account: Account!
  tips: [Tip!]! @derivedFrom(field: "artist")
}

type Tip @entity(immutable: true) {
  id: ID!
  amount: BigInt!
  message: String!
  size: Size!
  artist: Artist!
}

type _Schema_
  @fulltext(
    name: "artistSearch"
    language: en
    algorithm: rank
    include: [{ entity: "Artist", fields: [{ name: "name" }, { name: "bio" }] }]
  )

"How large a tip is"
enum Size {
  "Below 100"
  SMALL
  LARGE
}
`;

const DEPLOYMENT = "QmParityDeployment";
/** The manifest's lowest start block is 5: graph-node's earliest block is 4. */
const EARLIEST = 4;

export interface ParityCase {
  name: string;
  /** Where graph-node defines the behaviour. */
  source: string;
  query: string;
  /** Run before any block is indexed. */
  unsynced?: boolean;
  /** The error graph-node answers with, or the data (after `pick`). */
  error?: string;
  data?: unknown;
  pick?: (data: any) => unknown;
  /** Why the runner is known to answer differently (the test checks that it still does). */
  known?: string;
}

const ids = (key: string) => (d: any) => d[key].map((x: { id: string }) => x.id);
const QUERY_RS = "graphql/src/store/query.rs";
const RELATIONAL = "store/postgres/src/relational_queries.rs (ColumnQual::allow_child)";
const STATE = "graph/src/data/subgraph/mod.rs (DeploymentState::block_queryable)";
const API = "graph/src/schema/api.rs, meta.graphql";
const ORDER_BY_AMOUNT = "orderBy: amount";

export const cases: ParityCase[] = [
  {
    name: "`first: 0` is rejected",
    source: `${QUERY_RS} (build_range)`,
    query: "{ tips(first: 0) { id } }",
    error: "The `first` argument must be between 0 and 1000, but is 0",
  },
  {
    name: "`first: 1001` is rejected",
    source: `${QUERY_RS} (build_range)`,
    query: "{ tips(first: 1001) { id } }",
    error: "The `first` argument must be between 0 and 1000, but is 1001",
  },
  {
    name: "`skip: -1` is rejected",
    source: `${QUERY_RS} (build_range)`,
    query: "{ tips(skip: -1) { id } }",
    error: "The `skip` argument must be between 0 and 4294967295, but is -1",
  },
  {
    name: "a child filter (one level) works",
    source: `${QUERY_RS} (build_child_filter_from_object)`,
    query: `{ tips(where: { artist_: { name: "one" } }, ${ORDER_BY_AMOUNT}) { id } }`,
    data: ["t1", "t3"],
    pick: ids("tips"),
  },
  {
    name: "a child filter inside a child filter is rejected",
    source: RELATIONAL,
    query: `{ tips(where: { artist_: { account_: { handle: "alice" } } }) { id } }`,
    error: "Child filter nesting not supported by value `account`: `join on account with Account(handle = alice)`",
  },
  {
    name: "… also inside `or` within a child filter",
    source: RELATIONAL,
    query: `{ tips(where: { artist_: { or: [{ account_: { handle: "alice" } }, { name: "two" }] } }) { id } }`,
    error: "Child filter nesting not supported by value `account`: `join on account with Account(handle = alice)`",
  },
  {
    name: "… and through derived fields (the attribute is the deriving field)",
    source: RELATIONAL,
    query: `{ accounts(where: { artists_: { tips_: { amount: "10" } } }) { id } }`,
    error: "Child filter nesting not supported by value `artist`: `join on artist with Tip(amount = 10)`",
  },
  {
    name: "child filters inside a top-level `or` work",
    source: `${QUERY_RS} (build_filter_from_object)`,
    query: `{ tips(where: { or: [{ artist_: { name: "two" } }, { amount: "10" }] }, ${ORDER_BY_AMOUNT}) { id } }`,
    data: ["t4", "t1", "t2"],
    pick: ids("tips"),
  },
  {
    name: "a column filter beside `or` is rejected",
    source: `${QUERY_RS} (build_filter_from_object), graph/src/data/query/error.rs`,
    query: `{ tips(where: { amount: "10", or: [{ message: "a" }, { message: "b" }] }) { id } }`,
    error:
      "Cannot mix column filters with 'or' operator at the same level. Found column filter(s) 'amount' alongside 'or' operator.\n\nInstead of:\nwhere: { 'amount', or: [...] }\n\nUse:\nwhere: { or: [{ 'amount', ... }, { 'amount', ... }] }",
  },
  {
    name: "`_change_block` beside `or` works",
    source: `${QUERY_RS} (build_filter_from_object)`,
    query: `{ tips(where: { _change_block: { number_gte: 6 }, or: [{ amount: "7" }, { amount: "10" }] }) { id } }`,
    data: ["t4"],
    pick: ids("tips"),
  },
  {
    name: "a column filter beside `and` is rejected",
    source: `${QUERY_RS} (build_list_filter_from_object)`,
    query: `{ tips(where: { amount: "10", and: [{ message: "hi" }] }) { id } }`,
    error: "Filter must by an object",
  },
  {
    name: "`and` alone works",
    source: `${QUERY_RS} (build_filter_from_object)`,
    query: `{ tips(where: { and: [{ amount_gt: "5" }, { amount_lt: "20" }] }, ${ORDER_BY_AMOUNT}) { id } }`,
    data: ["t4", "t1"],
    pick: ids("tips"),
  },
  {
    name: "a block below the earliest block is rejected",
    source: STATE,
    query: "{ tips(block: { number: 3 }) { id } }",
    error: `Failed to decode \`block.number\` value: \`subgraph ${DEPLOYMENT} only has data starting at block number ${EARLIEST} and data for block number 3 is therefore not available\``,
  },
  {
    name: "the earliest block itself is queryable (and empty)",
    source: STATE,
    query: "{ tips(block: { number: 4 }) { id } }",
    data: [],
    pick: ids("tips"),
  },
  {
    name: "a block above the head is rejected",
    source: STATE,
    query: "{ tips(block: { number: 7 }) { id } }",
    error: `Failed to decode \`block.number\` value: \`subgraph ${DEPLOYMENT} has only indexed up to block number 6 and data for block number 7 is therefore not yet available\``,
  },
  {
    name: "`number_gte` above the head is rejected",
    source: "graphql/src/store/resolver.rs (locate_blocks)",
    query: "{ tips(block: { number_gte: 9 }) { id } }",
    error: `Failed to decode \`block.number_gte\` value: \`subgraph ${DEPLOYMENT} has only indexed up to block number 6 and data for block number 9 is therefore not yet available\``,
  },
  {
    name: "an unknown block hash is rejected",
    source: "graphql/src/store/resolver.rs (locate_blocks)",
    query: `{ tips(block: { hash: "0x${"ab".repeat(32)}" }) { id } }`,
    error: "Failed to decode `block.hash` value: `no block with that hash found`",
  },
  {
    name: "time travel to an indexed block",
    source: STATE,
    query: `{ tips(block: { number: 5 }, ${ORDER_BY_AMOUNT}) { id } }`,
    data: ["t1", "t3", "t2"],
    pick: ids("tips"),
  },
  {
    name: "an entity query before the first block is indexed",
    source: "store/postgres/src/deployment.rs (state), graphql/src/runner.rs",
    query: "{ tips { id } }",
    unsynced: true,
    error: `Subgraph \`${DEPLOYMENT}\` has not started syncing yet. Wait for it to ingest a few blocks before querying it`,
  },
  {
    name: "`_meta` before the first block is indexed",
    source: "store/postgres/src/deployment.rs (state), graphql/src/runner.rs",
    query: "{ _meta { block { number } } }",
    unsynced: true,
    error: `Subgraph \`${DEPLOYMENT}\` has not started syncing yet. Wait for it to ingest a few blocks before querying it`,
  },
  {
    name: "`_meta` at the head",
    source: "graphql/src/store/resolver.rs (lookup_meta)",
    query: "{ _meta { block { number } deployment hasIndexingErrors } }",
    data: { block: { number: 6 }, deployment: DEPLOYMENT, hasIndexingErrors: false },
    pick: (d) => d._meta,
  },
  {
    name: "introspection: the schema's type and field descriptions",
    source: "graph/src/schema/api.rs (the API schema keeps the input schema's definitions)",
    query: '{ __type(name: "Account") { description fields { name description } } }',
    data: { description: "A user account; one per address.", handle: "The account's public handle" },
    pick: (d) => ({
      description: d.__type.description,
      handle: d.__type.fields.find((f: { name: string }) => f.name === "handle").description,
    }),
  },
  {
    name: "introspection: enum and enum value descriptions",
    source: "graph/src/schema/api.rs",
    query: '{ __type(name: "Size") { description enumValues { name description } } }',
    data: {
      description: "How large a tip is",
      enumValues: [
        { name: "SMALL", description: "Below 100" },
        { name: "LARGE", description: null },
      ],
    },
    pick: (d) => d.__type,
  },
  {
    name: "introspection: graph-node's descriptions of `_meta`, `block` and `subgraphError`",
    source: API,
    query: '{ __type(name: "Query") { fields { name description args { name description } } } }',
    data: {
      meta: "Access to subgraph metadata",
      block:
        "The block at which the query should be executed. Can either be a `{ hash: Bytes }` value containing a block hash, a `{ number: Int }` containing the block number, or a `{ number_gte: Int }` containing the minimum block number. In the case of `number_gte`, the query will be executed on the latest block only if the subgraph has progressed to or past the minimum block number. Defaults to the latest block when omitted.",
      subgraphError: "Set to `allow` to receive data even if the subgraph has skipped over errors while syncing.",
    },
    pick: (d) => {
      const fields = d.__type.fields as { name: string; description: string; args: any[] }[];
      const tips = fields.find((f) => f.name === "tips")!;
      return {
        meta: fields.find((f) => f.name === "_meta")!.description,
        block: tips.args.find((a) => a.name === "block").description,
        subgraphError: tips.args.find((a) => a.name === "subgraphError").description,
      };
    },
  },
  {
    name: "introspection: `_Meta_` and `_Block_` descriptions",
    source: API,
    query:
      '{ m: __type(name: "_Meta_") { description fields { name description } } b: __type(name: "_Block_") { fields { name description } } }',
    data: {
      meta: "The type for the top-level _meta field",
      deployment: "The deployment ID",
      number: "The block number",
    },
    pick: (d) => ({
      meta: d.m.description,
      deployment: d.m.fields.find((f: { name: string }) => f.name === "deployment").description,
      number: d.b.fields.find((f: { name: string }) => f.name === "number").description,
    }),
  },
  {
    name: "introspection: the built-in `Int` scalar's description",
    source: "graph/src/schema/meta.graphql",
    query: '{ __type(name: "Int") { description } }',
    data: "4 bytes signed integer",
    pick: (d) => d.__type.description,
    known: "graphql-js keeps its own descriptions of the built-in scalars",
  },
  {
    name: "`@fulltext`: a root field matching `to_tsquery` on the included fields",
    source: "graph/src/schema/api.rs (query_field_for_fulltext), relational_queries.rs",
    query: '{ artistSearch(text: "guitar") { id } }',
    data: ["ar1", "ar2"],
    pick: ids("artistSearch"),
  },
  {
    name: "`@fulltext`: ordered by `ts_rank`, ascending (graph-node's default direction)",
    source: "store/postgres/src/relational_queries.rs (sort_key_from_value), graphql/src/store/query.rs",
    query: '{ artistSearch(text: "loud | piano") { id } }',
    data: ["ar1", "ar2"],
    pick: ids("artistSearch"),
  },
  {
    name: "`@fulltext`: stemming (language `en`), prefixes, `where`, `first`",
    source: "graph/src/schema/fulltext.rs, relational_queries.rs",
    query:
      '{ a: artistSearch(text: "sings") { id } b: artistSearch(text: "thr:*") { id } c: artistSearch(text: "guitar", where: { name: "two" }) { id } d: artistSearch(text: "guitar", first: 1) { id } }',
    data: { a: ["ar1"], b: ["ar3"], c: ["ar2"], d: ["ar1"] },
    pick: (d) => ({ a: ids("a")(d), b: ids("b")(d), c: ids("c")(d), d: ids("d")(d) }),
  },
  {
    name: "an empty query",
    source: "graph/src/data/query/error.rs (EmptyQuery)",
    query: " ",
    error: "The query is empty",
  },
];

export interface ParityRow {
  case: ParityCase;
  matches: boolean;
  got: string;
}

const str = (s: string) => ({ kind: "String" as const, value: s });

/** A store with data at blocks 5 and 6 (start block 5), and a query engine over it (PGlite unless `databaseUrl`). */
export async function setup(
  databaseUrl?: string,
): Promise<{ run: (c: ParityCase) => Promise<ParityRow>; close: () => Promise<void> }> {
  const db = await openDb({ databaseUrl });
  const schema = parseSchema(SCHEMA);
  const store = new Store(db, schema, "parity");
  await store.init(DEPLOYMENT);
  const write = async (block: number, rows: [string, string, Entity][]) => {
    for (const [type, id, data] of rows) await runWithRetries(store, block, () => store.set(type, id, data, block));
    const head: BlockPtr = { number: block, hash: "0x" + block.toString(16).padStart(64, "0"), timestamp: block * 12 };
    await store.commit(head);
    return head;
  };
  const tip = (amount: string, message: string, artist: string): Entity => ({
    amount: { kind: "BigInt", value: BigInt(amount) },
    message: str(message),
    size: str(BigInt(amount) < 100n ? "SMALL" : "LARGE"),
    artist: str(artist),
  });
  await write(5, [
    ["Account", "a1", { handle: str("alice") }],
    ["Account", "a2", { handle: str("bob") }],
    ["Artist", "ar1", { name: str("one"), bio: str("Singing guitars and a quiet piano"), account: str("a1") }],
    ["Artist", "ar2", { name: str("two"), bio: str("Loud guitar, loud drums, loud guitar"), account: str("a2") }],
    ["Artist", "ar3", { name: str("three"), account: str("a2") }],
    ["Tip", "t1", tip("10", "hi", "ar1")],
    ["Tip", "t2", tip("500", "big", "ar2")],
    ["Tip", "t3", tip("30", "again", "ar1")],
  ]);
  const head = await write(6, [["Tip", "t4", tip("7", "late", "ar2")]]);
  const engine = new QueryEngine(store);
  const run = async (c: ParityCase): Promise<ParityRow> => {
    const res = await engine.run(
      { query: c.query },
      {
        head: c.unsynced ? null : head,
        deployment: DEPLOYMENT,
        hasIndexingErrors: false,
        name: "parity",
        earliestBlock: EARLIEST,
      },
    );
    if (c.error !== undefined) {
      const message = res.errors?.[0]?.message;
      return { case: c, matches: message === c.error && res.data === undefined, got: message ?? "(no error)" };
    }
    if (res.errors?.length) return { case: c, matches: false, got: res.errors[0].message };
    const picked = c.pick ? c.pick(res.data) : res.data;
    return { case: c, matches: isDeepStrictEqual(picked, c.data), got: JSON.stringify(picked) };
  };
  return { run, close: () => db.close() };
}

export function table(rows: ParityRow[]): string {
  const cell = (s: string) => s.replace(/\|/g, "\\|").replace(/\s+/g, " ");
  const expected = (c: ParityCase) => (c.error !== undefined ? `error: ${c.error}` : `data`);
  return [
    "| check | graph-node (source) | graph-node answers | runner matches |",
    "| --- | --- | --- | --- |",
    ...rows.map(
      (r) =>
        `| ${cell(r.case.name)} | \`${r.case.source}\` | ${cell(expected(r.case))} | ${r.matches ? "yes" : `**no** (${cell(r.case.known ?? "")}): ${cell(r.got)}`} |`,
    ),
    `| **${rows.filter((r) => r.matches).length} of ${rows.length} match** | | | |`,
  ].join("\n");
}

export const BEGIN = "<!-- parity:begin (generated by `node test/parity.ts --readme`) -->";
export const END = "<!-- parity:end -->";
export const README = join(dirname(fileURLToPath(import.meta.url)), "..", "README.md");

/** Every case, on PGlite or on the PostgreSQL server at `databaseUrl`. */
export async function runAll(databaseUrl?: string): Promise<ParityRow[]> {
  const { run, close } = await setup(databaseUrl);
  try {
    const rows: ParityRow[] = [];
    for (const c of cases) rows.push(await run(c));
    return rows;
  } finally {
    await close();
  }
}

export function readmeSection(): string {
  const text = readFileSync(README, "utf8");
  const start = text.indexOf(BEGIN);
  const end = text.indexOf(END);
  if (start < 0 || end < 0) throw new Error(`README.md has no ${BEGIN} … ${END} section`);
  return text.slice(start + BEGIN.length, end).trim();
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const rows = await runAll();
  const t = table(rows);
  console.log(t);
  if (process.argv.includes("--readme")) {
    const text = readFileSync(README, "utf8");
    const start = text.indexOf(BEGIN);
    const end = text.indexOf(END);
    writeFileSync(README, text.slice(0, start + BEGIN.length) + "\n\n" + t + "\n\n" + text.slice(end));
    // The repository's prettier check aligns markdown tables.
    execFileSync(join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..", "node_modules", ".bin", "prettier"), [
      "--write",
      README,
    ]);
  }
}
