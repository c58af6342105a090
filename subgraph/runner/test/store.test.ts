// Store: the read cache of a store that started empty, and attribute (and id range, block_from) indexes postponed until the head.
import assert from "node:assert/strict";
import { test } from "node:test";
import { openDb } from "../src/db.ts";
import { parseSchema } from "../src/schema.ts";
import { Miss, Store, type BlockPtr } from "../src/store.ts";

const SCHEMA = `
type Artist @entity(immutable: false) { id: ID! name: String! tipCount: Int! }
type Tip @entity(immutable: true) { id: ID! artist: Artist! }
`;
const block = (n: number): BlockPtr => ({ number: n, hash: "0x" + n.toString(16).padStart(64, "0"), timestamp: n });
const artist = (name: string, tipCount: number) => ({
  name: { kind: "String" as const, value: name },
  tipCount: { kind: "Int" as const, value: tipCount },
});

/** The store's reads: a value, or "miss" when it needs the database. */
function read(store: Store, type: string, id: string): unknown {
  try {
    return store.get(type, id);
  } catch (e) {
    if (e instanceof Miss) return "miss";
    throw e;
  }
}

/** Every index a new deployment postpones: attributes, id ranges, block_from. */
const FULL = [
  "artist_a_name",
  "artist_a_tipcount",
  "artist_block_from",
  "artist_id_range",
  "tip_a_artist",
  "tip_block_from",
  "tip_id_range",
];

async function indexes(store: Store): Promise<string[]> {
  const rows = await store.db.query<{ indexname: string }>(
    `SELECT indexname FROM pg_indexes WHERE schemaname = $1 AND (indexname LIKE '%\\_a\\_%' OR indexname LIKE '%\\_id\\_range' OR indexname LIKE '%\\_block\\_from') ORDER BY indexname`,
    [store.ns],
  );
  return rows.map((r) => r.indexname);
}

test("a store that started empty answers unknown ids without the database until its cache is cleared", async () => {
  const db = await openDb({});
  try {
    const store = new Store(db, parseSchema(SCHEMA), "cache");
    await store.init("d1");
    assert.equal(read(store, "Artist", "a"), null, "nothing committed yet: no round trip");
    store.beginHandler();
    store.set("Artist", "a", artist("A", 1), 1);
    store.endHandler(true, 1);
    await store.commit(block(1));
    assert.equal((read(store, "Artist", "a") as any).tipCount.value, 1);
    assert.equal(read(store, "Artist", "b"), null);

    // A restart of the same deployment: the database has data the cache does not know.
    const restarted = new Store(db, parseSchema(SCHEMA), "cache");
    await restarted.init("d1");
    assert.equal(read(restarted, "Artist", "b"), "miss");
    assert.equal(read(restarted, "Artist", "a"), "miss");

    // A discarded batch empties the cache: the store no longer knows everything.
    store.beginHandler();
    store.set("Artist", "c", artist("C", 1), 2);
    store.endHandler(true, 2);
    store.discard();
    assert.equal(read(store, "Artist", "b"), "miss");
  } finally {
    await db.close();
  }
});

test("attribute indexes of a new deployment are built when asked (at the chain head); a restart builds them at once", async () => {
  const db = await openDb({});
  try {
    const store = new Store(db, parseSchema(SCHEMA), "ix");
    await store.init("d1", { postponeAttributeIndexes: true });
    assert.equal(store.indexesPostponed, true);
    assert.deepEqual(await indexes(store), []);
    store.beginHandler();
    store.set("Artist", "a", artist("A", 1), 1);
    store.endHandler(true, 1);
    await store.commit(block(1));
    assert.deepEqual(await indexes(store), []);
    await store.createPostponedIndexes();
    assert.equal(store.indexesPostponed, false);
    assert.deepEqual(await indexes(store), FULL);

    // Data but no attribute indexes (a restart before the head was reached): built by init.
    await db.exec(`DROP INDEX ix.artist_a_name`);
    const restarted = new Store(db, parseSchema(SCHEMA), "ix");
    await restarted.init("d1", { postponeAttributeIndexes: true });
    assert.equal(restarted.indexesPostponed, false);
    assert.deepEqual(await indexes(restarted), FULL);
  } finally {
    await db.close();
  }
});

test("a commit's rows are the same written by PGlite's COPY as inserted from JSON (every scalar type, COPY's special characters; lists keep JSON)", async () => {
  const schema = parseSchema(`
    type Thing @entity(immutable: true) {
      id: Bytes! s: String n: Int i8: Int8 b: BigInt d: BigDecimal f: Boolean t: Timestamp x: Bytes
    }
    type Listy @entity(immutable: false) { id: ID! tags: [String!] label: String }
  `);
  const db = await openDb({});
  try {
    // The same PGlite, with COPY (counted) and without (the JSON path, as on PostgreSQL).
    const copied: string[] = [];
    const viaCopy: typeof db = {
      ...db,
      transaction: (fn) =>
        db.transaction((tx) => fn({ ...tx, copy: (sql, data) => (copied.push(sql), tx.copy!(sql, data)) })),
    };
    const viaJson: typeof db = {
      ...db,
      copy: undefined,
      transaction: (fn) => db.transaction((tx) => fn({ ...tx, copy: undefined })),
    };
    const strings = [
      "plain",
      "tab\there",
      "new\nline",
      "cr\rx",
      "back\\slash",
      "\\x41",
      "\\N",
      "\\.",
      "ünï 🎉",
      "",
      "a\\\\b\t\n",
    ];
    const stores = [new Store(viaCopy, schema, "copy"), new Store(viaJson, schema, "json")];
    for (const store of stores) {
      await store.init("d1");
      store.beginHandler();
      strings.forEach((s, i) => {
        store.set(
          "Thing",
          "0x" + (i + 1).toString(16).padStart(4, "0"),
          {
            s: { kind: "String", value: s },
            n: { kind: "Int", value: i % 2 ? -i * 1000 : i },
            i8: { kind: "Int8", value: -(2n ** 62n) + BigInt(i) },
            b: { kind: "BigInt", value: (i % 2 ? -1n : 1n) * 10n ** BigInt(10 * i) },
            d: { kind: "BigDecimal", value: { digits: BigInt(i * 7 - 30), exp: i - 5 } },
            f: { kind: "Bool", value: i % 2 === 0 },
            t: { kind: "Timestamp", value: 1_700_000_000_000_000n + BigInt(i) },
            ...(i % 3 ? { x: { kind: "Bytes" as const, value: Uint8Array.from([i, 0, 255, 92, 9]) } } : {}),
          },
          1,
        );
        store.set(
          "Listy",
          `l${i}`,
          { tags: { kind: "Array", value: [{ kind: "String", value: s }] }, label: { kind: "String", value: s } },
          1,
        );
      });
      store.endHandler(true, 1);
      await store.commit(block(1));
    }
    const dump = async (ns: string, table: string) =>
      (await db.query<{ r: string }>(`SELECT (t.*)::text AS r FROM ${ns}.${table} t ORDER BY vid`)).map((x) => x.r);
    assert.deepEqual(copied, [
      `COPY "copy"."thing" ("block_from", "block_to", "id", "s", "n", "i8", "b", "d", "f", "t", "x") FROM '/dev/blob'`,
    ]);
    const things = await dump("copy", "thing");
    assert.equal(things.length, strings.length);
    assert.deepEqual(things, await dump("json", "thing"));
    assert.deepEqual(await dump("copy", "listy"), await dump("json", "listy"));
    const rows = await db.query<{ s: string }>(`SELECT s FROM copy.thing ORDER BY vid`);
    assert.deepEqual(
      rows.map((r) => r.s),
      strings,
    );
  } finally {
    await db.close();
  }
});
