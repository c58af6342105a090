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
