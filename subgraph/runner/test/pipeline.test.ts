// A range's commit is written (PGlite on its worker thread) while the next range's handlers run:
// what a failed commit, a reorg during a commit in flight and a rollback must leave behind.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { openDb, type Db } from "../src/db.ts";
import { Indexer } from "../src/indexer.ts";
import { loadManifest } from "../src/manifest.ts";
import { Rpc } from "../src/rpc.ts";
import { parseSchema } from "../src/schema.ts";
import { deploymentId, Miss, Store, type BlockPtr } from "../src/store.ts";
import { deployTipJar, startChain, type Chain, type TipJar } from "./helpers.ts";

const SCHEMA = `
type Artist @entity(immutable: false) { id: ID! name: String! tipCount: Int! }
type Tip @entity(immutable: true) { id: ID! artist: Artist! }
`;
const block = (n: number): BlockPtr => ({ number: n, hash: "0x" + n.toString(16).padStart(64, "0"), timestamp: n });
const artist = (name: string) => ({
  name: { kind: "String" as const, value: name },
  tipCount: { kind: "Int" as const, value: 1 },
});
const tip = (artistId: string) => ({ artist: { kind: "String" as const, value: artistId } });

function read(store: Store, type: string, id: string): unknown {
  try {
    return (store.get(type, id) as { name?: { value: string } } | null)?.name?.value ?? null;
  } catch (e) {
    if (e instanceof Miss) return "miss";
    throw e;
  }
}
/** A handler's writes, re-run after loading what the cache missed (as `runWithRetries` does). */
async function write(store: Store, n: number, f: () => void): Promise<void> {
  for (;;) {
    store.beginHandler();
    try {
      f();
      store.endHandler(true, n);
      return;
    } catch (e) {
      store.endHandler(false, n);
      if (!(e instanceof Miss)) throw e;
      await e.load();
    }
  }
}

test("statements issued after commit() see its batch; a failed commit writes nothing and empties the cache; a rollback too", async () => {
  const db = await openDb({});
  try {
    const store = new Store(db, parseSchema(SCHEMA), "pipe");
    await store.init("d1");
    await write(store, 1, () => store.set("Artist", "a", artist("A"), 1));
    const first = store.commit(block(1));
    // Not awaited: the next batch is built from the cache while the worker writes.
    const [{ n }] = await db.query<{ n: string }>(`SELECT count(*)::text AS n FROM pipe.artist`);
    assert.equal(n, "1");
    await first;
    await write(store, 2, () => store.set("Tip", "t", tip("a"), 2));
    await store.commit(block(2));
    // The same immutable id at a later block, in a later batch: refused by the unique index at commit.
    await write(store, 3, () => {
      store.set("Artist", "b", artist("B"), 3);
      store.set("Tip", "t", tip("a"), 3);
    });
    assert.equal(read(store, "Artist", "b"), "B");
    await assert.rejects(store.commit(block(3)), /immutable/);
    assert.equal((await store.head())?.number, 2);
    assert.equal(read(store, "Artist", "b"), "miss", "the failed batch's entity is no longer cached");
    assert.equal(read(store, "Artist", "a"), "miss");
    store.discard();
    await write(store, 3, () => store.set("Artist", "b", artist("B"), 3));
    await store.commit(block(3));
    assert.equal((await store.head())?.number, 3);
    // A rollback (reorg) forgets cached entities of the orphaned blocks.
    await store.rollback(block(2));
    assert.equal(read(store, "Artist", "b"), "miss");
    const rows = await db.query(`SELECT id FROM pipe.artist WHERE block_to IS NULL ORDER BY id`);
    assert.deepEqual(rows, [{ id: "a" }]);
  } finally {
    await db.close();
  }
});

let chain: Chain;
let dir: string;
let tipjar: TipJar;
before(async () => {
  chain = await startChain();
  ({ dir, tipjar } = await deployTipJar(chain));
});
after(() => chain?.stop());

const ARTISTS = [1, 2, 3, 4, 5, 6].map((i) => "0x" + String(i).padStart(2, "0").repeat(20));
/** Tips per artist on the chain (the tests share it). */
const onChain = new Map<string, number>();
const tipMany = async (artist: string, count: number) => {
  await tipjar.tipMany(artist, count, 1n);
  onChain.set(artist, (onChain.get(artist) ?? 0) + count);
};

/** Indexes the fixture with ranges of 4 blocks on `db` until the chain head's hash is the indexed head. */
async function index(
  db: Db,
  ns: string,
  onCommit: (n: number) => Promise<void>,
): Promise<{ store: Store; overlapped: number }> {
  const manifest = loadManifest(dir);
  let commits = 0;
  let overlapped = 0;
  const wrapped: Db = {
    ...db,
    kind: db.kind,
    query: db.query.bind(db),
    exec: db.exec.bind(db),
    close: db.close.bind(db),
    transaction: async (fn) => {
      await onCommit(++commits);
      // A slow commit: the next range's handlers run meanwhile (their batch is then pending).
      await new Promise((r) => setTimeout(r, 50));
      const result = await db.transaction(fn);
      if (store.pendingCount > 0) overlapped++;
      return result;
    },
  };
  const store = new Store(wrapped, manifest.schema, ns);
  await store.init(deploymentId(manifest.fingerprint), { postponeAttributeIndexes: true });
  const indexer = new Indexer(manifest, store, new Rpc(chain.url), { pollMs: 20, maxRange: 4, log: () => {} });
  const running = indexer.run();
  try {
    const rpc = new Rpc(chain.url);
    for (const deadline = Date.now() + 60_000; ; await new Promise((r) => setTimeout(r, 50))) {
      if (indexer.fatal) throw indexer.fatal;
      // Null when the chain reorganised between the two calls.
      const head = await rpc.block(await rpc.blockNumber());
      if (head && indexer.head?.hash === head.hash) break;
      if (Date.now() > deadline) throw new Error(`indexer at ${indexer.head?.number}, chain at ${head?.number}`);
    }
  } finally {
    indexer.stop();
    await running;
  }
  return { store, overlapped };
}

/** Tips per artist as the chain has them vs. as indexed: Tip rows and the Artist aggregates' open versions. */
async function check(store: Store, expected: Map<string, number>): Promise<void> {
  const tips = await store.db.query<{ artist: string; n: string }>(
    `SELECT '0x' || encode(artist, 'hex') AS artist, count(*)::text AS n FROM ${store.ns}.tip GROUP BY artist ORDER BY artist`,
  );
  assert.deepEqual(
    tips.map((r) => [r.artist, Number(r.n)]),
    [...expected].sort(),
  );
  const artists = await store.db.query<{ id: string; tips: number; open: string }>(
    `SELECT '0x' || encode(id, 'hex') AS id, max("tipCount") FILTER (WHERE block_to IS NULL) AS tips, count(*) FILTER (WHERE block_to IS NULL)::text AS open FROM ${store.ns}.artist GROUP BY id ORDER BY id`,
  );
  assert.deepEqual(
    artists.map((r) => [r.id, Number(r.tips), Number(r.open)]),
    [...expected].sort().map(([a, n]) => [a, n, 1]),
  );
}

test("a commit that fails while the next range's handlers run: indexing resumes at the committed head, nothing lost or doubled", async () => {
  for (let i = 0; i < 40; i++) await tipMany(ARTISTS[i % 3], 2);
  const db = await openDb({});
  try {
    let failed = false;
    const { store, overlapped } = await index(db, "sg_fail", async (n) => {
      if (n === 4 && !failed) {
        failed = true;
        throw new Error("connection lost before COMMIT");
      }
    });
    assert.ok(failed);
    assert.ok(overlapped > 0, "no range was handled while a commit was in flight");
    await check(store, onChain);
  } finally {
    await db.close();
  }
});

test("a reorg while a commit is in flight rolls back to the common ancestor, committed and in-flight blocks alike", async () => {
  for (let i = 0; i < 10; i++) await tipMany(ARTISTS[3], 1);
  const fork = await chain.rpc("evm_snapshot");
  // Orphaned below: not counted in onChain.
  for (let i = 0; i < 30; i++) await tipjar.tipMany(ARTISTS[4], 1, 1n);
  const db = await openDb({});
  try {
    let reorged = false;
    const { store, overlapped } = await index(db, "sg_reorg", async (n) => {
      if (n !== 6 || reorged) return;
      // While this commit waits, the chain drops the 30 blocks after the fork for 12 others.
      reorged = true;
      assert.equal(await chain.rpc("evm_revert", [fork]), true);
      for (let i = 0; i < 12; i++) await tipMany(ARTISTS[5], 1);
    });
    assert.ok(reorged);
    assert.ok(overlapped > 0, "no range was handled while a commit was in flight");
    await check(store, onChain);
  } finally {
    await db.close();
  }
});
