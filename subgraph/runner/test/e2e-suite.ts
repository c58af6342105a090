// End-to-end: a real Hardhat node, the fixture subgraph built by graph-cli,
// indexing into a store (PGlite, or a real PostgreSQL server) and queries over HTTP.
import assert from "node:assert/strict";
import { cpSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { startRunner, type Runner, type RunnerOptions } from "../src/runner.ts";
import { ARTIST_A, ARTIST_B, deployTipJar, startChain, type Chain, type Factory, type TipJar } from "./helpers.ts";

const quiet = () => {};

/** Where a runner keeps its data: a fresh store, or one that outlives a runner (restart). */
export interface Storage {
  fresh(): Promise<Partial<RunnerOptions>>;
  persistent(): Promise<{ options: Partial<RunnerOptions>; cleanup: () => Promise<void> }>;
}

/** PGlite, in memory (fresh) or in a temporary data directory (persistent). */
export const pglite: Storage = {
  fresh: async () => ({}),
  persistent: async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "graph-runner-data-"));
    return { options: { dataDir }, cleanup: async () => rmSync(dataDir, { recursive: true, force: true }) };
  },
};

export function e2eSuite(label: string, storage: Storage): void {
  describe(label, () => {
    let chain: Chain;
    let tipjar: TipJar;
    let factory: Factory;
    let tipjarAbi: unknown[];
    let dir: string;
    let snapshot: string;

    async function withRunner<T>(opts: Partial<RunnerOptions>, fn: (r: Runner) => Promise<T>): Promise<T> {
      const runner = await startRunner({
        subgraph: dir,
        rpc: chain.url,
        port: 0,
        pollMs: 50,
        log: quiet,
        name: "tipjar",
        // A fresh store per runner unless the test passes one.
        ...(opts.dataDir || opts.databaseUrl ? {} : await storage.fresh()),
        ...opts,
      });
      try {
        return await fn(runner);
      } finally {
        await runner.stop();
      }
    }
    async function post(url: string, query: string, variables?: unknown): Promise<any> {
      const res = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ query, variables }),
      });
      assert.equal(res.status, 200);
      return res.json();
    }
    /** Back to the chain right after the deployment, for an independent test. */
    async function resetChain(): Promise<void> {
      assert.equal(await chain.rpc("evm_revert", [snapshot]), true);
      snapshot = await chain.rpc("evm_snapshot");
    }

    before(async () => {
      chain = await startChain();
      let artifact: { abi: unknown[] };
      ({ dir, tipjar, factory, artifact } = await deployTipJar(chain));
      tipjarAbi = artifact.abi;
      snapshot = await chain.rpc("evm_snapshot");
    });
    after(async () => {
      await chain?.stop();
    });

    describe("indexing and queries", () => {
      let last: number;
      before(async () => {
        await resetChain();
        await tipjar.tip(ARTIST_A, 10n, "hello world", "0x1234");
        await tipjar.tip(ARTIST_B, 500n, "Big Tip");
        await tipjar.tip(ARTIST_A, 30n, "again");
        await tipjar.tip(ARTIST_A, 200n, "wow");
        last = (await tipjar.rename("Alice")).blockNumber;
      });

      test("entities, filters, orderings, derived fields, pagination, _meta", async () => {
        await withRunner({}, async (r) => {
          await r.waitForBlock(last);
          assert.match(r.url, /^http:\/\/127\.0\.0\.1:\d+\/subgraphs\/name\/tipjar$/);
          const q = (query: string, variables?: unknown) => post(r.url, query, variables);

          let res = await q(
            "{ tips(orderBy: amount, orderDirection: desc) { amount message kind data artist { id } } }",
          );
          assert.equal(res.errors, undefined);
          assert.deepEqual(
            res.data.tips.map((t: any) => t.amount),
            ["500", "200", "30", "10"],
          );
          assert.deepEqual(res.data.tips[3], {
            amount: "10",
            message: "hello world",
            kind: "SMALL",
            data: "0x1234",
            artist: { id: ARTIST_A },
          });

          res = await q(
            `{ artist(id: "${ARTIST_A}") { total tipCount average verified name tips(orderBy: amount, first: 2) { amount } } }`,
          );
          assert.deepEqual(res.data.artist, {
            total: "240",
            tipCount: 3,
            average: "80",
            verified: false,
            name: null,
            tips: [{ amount: "10" }, { amount: "30" }],
          });

          res = await q(
            '{ a: tips(where: { amount_gt: "20", amount_lte: "200" }) { amount } b: tips(where: { message_contains_nocase: "big" }) { amount } c: tips(where: { message_starts_with: "ag" }) { amount } d: tips(where: { message_not_in: ["wow", "again"] }, orderBy: amount) { amount } e: tips(where: { kind: LARGE }, orderBy: amount) { amount } }',
          );
          assert.deepEqual(res.data.a.map((t: any) => t.amount).sort(), ["200", "30"]);
          assert.deepEqual(res.data.b, [{ amount: "500" }]);
          assert.deepEqual(res.data.c, [{ amount: "30" }]);
          assert.deepEqual(res.data.d, [{ amount: "10" }, { amount: "500" }]);
          assert.deepEqual(res.data.e, [{ amount: "200" }, { amount: "500" }]);

          res = await q(
            `{ tips(where: { or: [{ amount: "10" }, { artist_: { total_gt: "400" } }] }, orderBy: amount) { amount } }`,
          );
          assert.deepEqual(res.data.tips, [{ amount: "10" }, { amount: "500" }]);

          res = await q(
            '{ tips(orderBy: artist__total, orderDirection: desc, first: 1) { amount } artists(where: { tips_: { amount: "200" } }) { id } }',
          );
          assert.deepEqual(res.data.tips, [{ amount: "500" }]);
          assert.deepEqual(res.data.artists, [{ id: ARTIST_A }]);

          res = await q(
            "query($n: Int!) { page1: tips(first: $n, orderBy: amount) { amount } page2: tips(first: 2, skip: 2, orderBy: amount) { amount } }",
            { n: 2 },
          );
          assert.deepEqual(
            [...res.data.page1, ...res.data.page2].map((t: any) => t.amount),
            ["10", "30", "200", "500"],
          );

          res = await q(`{ artists(where: { name: "Alice" }) { verified tipCount } }`);
          assert.deepEqual(res.data.artists, [{ verified: true, tipCount: 0 }]);

          // Time travel: before the last two tips of artist A.
          const head = await chain.rpc("eth_getBlockByNumber", ["0x" + last.toString(16), false]);
          res = await q(
            `{ artist(id: "${ARTIST_A}", block: { number: ${last - 3} }) { total } _meta { block { number hash timestamp } deployment hasIndexingErrors } }`,
          );
          assert.deepEqual(res.data.artist, { total: "10" });
          assert.deepEqual(res.data._meta.block, { number: last, hash: head.hash, timestamp: Number(head.timestamp) });
          assert.equal(res.data._meta.hasIndexingErrors, false);
          assert.match(res.data._meta.deployment, /^local-/);
        });
      });

      test("bad queries get GraphQL errors, never a crash", async () => {
        await withRunner({}, async (r) => {
          await r.waitForBlock(last);
          const cases: [string, RegExp][] = [
            ["{ tips { ", /Syntax Error/],
            ["{ tips { nope } }", /Cannot query field "nope"/],
            ["{ tips(first: 1001) { id } }", /The `first` argument must be between 0 and 1000, but is 1001/],
            ["{ tips(where: { nope: 1 }) { id } }", /nope/],
            ["{ tips(block: { number: 99999 }) { id } }", /has only indexed up to block number/],
            ['{ tips(where: { amount: "abc" }) { id } }', /BigInt/],
            ["", /The query is empty/],
          ];
          for (const [query, message] of cases) {
            const res = await post(r.url, query);
            assert.ok(Array.isArray(res.errors) && res.errors.length > 0, `expected errors for ${query}`);
            assert.match(res.errors[0].message, message);
          }
          const bad = await fetch(r.url, { method: "POST", body: "not json" });
          assert.equal(bad.status, 400);
          assert.ok((await bad.json()).errors[0].message);
          // Still serving afterwards.
          assert.equal((await post(r.url, "{ tips { id } }")).data.tips.length, 4);
          // graph-node's routes: by deployment id, GraphiQL for browsers, the index.
          const origin = new URL(r.url).origin;
          const byId = await post(`${origin}/subgraphs/id/${r.deployment}`, "{ tips { id } }");
          assert.equal(byId.data.tips.length, 4);
          const redirect = await fetch(r.url, { redirect: "manual" });
          assert.equal(redirect.status, 307);
          assert.equal(redirect.headers.get("location"), `${new URL(r.url).pathname}/graphql`);
          const page = await fetch(`${r.url}/graphql`);
          assert.equal(page.status, 200);
          assert.match(page.headers.get("content-type") ?? "", /^text\/html/);
          assert.match(await page.text(), /GraphiQL\.createFetcher/);
          assert.match((await (await fetch(origin)).json()).message, /\/subgraphs\/id\/<ID>/);
        });
      });
    });

    describe("mapping failures", () => {
      test("schema validation rejects a bad write (handler, block, message)", async () => {
        await resetChain();
        await tipjar.tip(ARTIST_A, 1n, "ok");
        const bad = await tipjar.tip(ARTIST_A, 1n, "invalid");
        await withRunner({}, async (r) => {
          await assert.rejects(r.waitForBlock(bad.blockNumber, 20_000), (e: Error) => {
            assert.match(e.message, new RegExp(`handler 'handleTipped' failed at block ${bad.blockNumber}`));
            assert.match(e.message, /Entity Artist\[0xdead\]: missing value for non-nullable field `total`/);
            return true;
          });
          // The failed block was not committed; earlier data is served, flagged as failed.
          const res = await r.query("{ tips { message } _meta { block { number } hasIndexingErrors } }");
          assert.deepEqual(res.data.tips, [{ message: "ok" }]);
          assert.equal(res.data._meta.block.number, bad.blockNumber - 1);
          assert.equal(res.data._meta.hasIndexingErrors, true);
        });
      });

      test("log.critical aborts the handler", async () => {
        await resetChain();
        const boom = await tipjar.tip(ARTIST_A, 1n, "boom");
        await withRunner({}, async (r) => {
          await assert.rejects(
            r.waitForBlock(boom.blockNumber, 20_000),
            /handler 'handleTipped' failed at block \d+.*Critical error logged in mapping: tip rejected: boom/,
          );
        });
      });

      test("ipfs.cat fails the handler with graph-node's message (it is refused there by default)", async () => {
        await resetChain();
        const bad = await tipjar.tip(ARTIST_A, 1n, "ipfs");
        await withRunner({}, async (r) => {
          await assert.rejects(
            r.waitForBlock(bad.blockNumber, 20_000),
            /handler 'handleTipped' failed at block \d+.*`ipfs\.cat` is deprecated\. Improved support for IPFS will be added in the future/,
          );
        });
      });

      test("an unimplemented host function fails loudly with its name", async () => {
        const tmp = mkdtempSync(join(tmpdir(), "graph-runner-"));
        try {
          cpSync(join(dir, "build"), join(tmp, "build"), { recursive: true });
          // A minimal mapping that imports `arweave.transactionData`, which graph-runner does not implement.
          const name = (s: string) => [s.length, ...Buffer.from(s)];
          const imports = [1, ...name("index"), ...name("arweave.transactionData"), 0, 0];
          const wasm = Buffer.from([
            0,
            0x61,
            0x73,
            0x6d,
            1,
            0,
            0,
            0,
            1,
            6,
            1,
            0x60,
            1,
            0x7f,
            1,
            0x7f,
            2,
            imports.length,
            ...imports,
          ]);
          writeFileSync(join(tmp, "build", "TipJar", "TipJar.wasm"), wasm);
          await assert.rejects(
            startRunner({ subgraph: tmp, rpc: chain.url, port: 0, log: quiet }),
            /imports host functions graph-runner does not implement: arweave\.transactionData/,
          );
        } finally {
          rmSync(tmp, { recursive: true, force: true });
        }
      });
    });

    describe("restart and reorg", () => {
      test("restart mid-catch-up resumes with nothing lost or duplicated", async () => {
        await resetChain();
        let last = 0;
        for (let i = 0; i < 20; i++) last = (await tipjar.tip(ARTIST_A, BigInt(i + 1), `tip ${i}`)).blockNumber;
        const persist = await storage.persistent();
        try {
          // One block per batch, so stopping lands in the middle of catching up.
          await withRunner({ ...persist.options, maxRange: 1 }, async (r) => {
            await r.waitForBlock(last - 12);
          });
          await withRunner({ ...persist.options, maxRange: 1 }, async (r) => {
            const res0 = await r.query("{ _meta { block { number } } }");
            assert.ok(res0.data._meta.block.number < last, "stopped before catching up");
            await r.waitForBlock(last);
            const res = await r.query(`{ tips(first: 1000) { message } artist(id: "${ARTIST_A}") { tipCount total } }`);
            assert.equal(res.data.tips.length, 20);
            assert.equal(new Set(res.data.tips.map((t: any) => t.message)).size, 20);
            assert.deepEqual(res.data.artist, { tipCount: 20, total: String((20 * 21) / 2) });
          });
        } finally {
          await persist.cleanup();
        }
      });

      test("reorg: rolls back to the common ancestor and follows the new chain", async () => {
        await resetChain();
        await tipjar.tip(ARTIST_A, 5n, "common");
        const fork = await chain.rpc("evm_snapshot");
        await tipjar.tip(ARTIST_A, 100n, "orphaned 1");
        const oldHead = (await tipjar.tip(ARTIST_B, 100n, "orphaned 2")).blockNumber;
        await withRunner({}, async (r) => {
          await r.waitForBlock(oldHead);
          assert.equal((await r.query("{ tips { id } }")).data.tips.length, 3);
          assert.equal(await chain.rpc("evm_revert", [fork]), true);
          await tipjar.tip(ARTIST_A, 7n, "new 1");
          await tipjar.tip(ARTIST_A, 8n, "new 2");
          const newHead = await tipjar.tip(ARTIST_A, 9n, "new 3");
          const block = await chain.rpc("eth_getBlockByNumber", ["0x" + newHead.blockNumber.toString(16), false]);
          await r.indexer.waitFor(() => r.indexer.head?.hash === block.hash, 20_000);
          const res = await r.query(
            `{ tips(orderBy: amount) { message } a: artist(id: "${ARTIST_A}") { total tipCount } b: artist(id: "${ARTIST_B}") { id } }`,
          );
          assert.deepEqual(
            res.data.tips.map((t: any) => t.message),
            ["common", "new 1", "new 2", "new 3"],
          );
          assert.deepEqual(res.data.a, { total: "29", tipCount: 4 });
          assert.equal(res.data.b, null);
        });
        snapshot = await chain.rpc("evm_snapshot"); // the old snapshot id was consumed by the fork's revert
      });

      describe("data source templates", () => {
        test("a factory's jars are followed from their creation block (a tip in that block included), with their context; a restart keeps them", async () => {
          await resetChain();
          const persist = await storage.persistent();
          try {
            const a = await factory.create("first");
            await factory.tipJar(a.jar, ARTIST_A, 5n, "to first", tipjarAbi);
            const b = await factory.createAndTip("second", ARTIST_B, 7n, "same block");
            await withRunner({ ...persist.options }, async (r) => {
              await r.waitForBlock(b.blockNumber);
              const res = await r.query(
                `{ jars(orderBy: createdAt) { id label createdAt tips { amount label message } } tips(where: { message_in: ["to first", "same block"] }) { id } }`,
              );
              assert.deepEqual(res.data.jars, [
                {
                  id: a.jar,
                  label: "first",
                  createdAt: String(a.blockNumber),
                  tips: [{ amount: "5", label: "first", message: "to first" }],
                },
                {
                  id: b.jar,
                  label: "second",
                  createdAt: String(b.blockNumber),
                  tips: [{ amount: "7", label: "second", message: "same block" }],
                },
              ]);
              assert.deepEqual(res.data.tips, [], "the TipJar data source follows its own address only");
              // Block handlers: `once` at the creation block (before that block's events), every
              // block from the creation block, `polling` every 2 blocks counted from it.
              const blocks = await r.query(
                "{ jarBlocks(first: 100) { jar number kind } jarTips { message afterInit } }",
              );
              const A = a.blockNumber;
              const B = b.blockNumber;
              const expected = [
                [a.jar, A, "once"],
                [a.jar, A, "block"],
                [a.jar, A + 1, "block"],
                [a.jar, A + 2, "block"],
                [a.jar, A, "poll"],
                [a.jar, A + 2, "poll"],
                [b.jar, B, "once"],
                [b.jar, B, "block"],
                [b.jar, B, "poll"],
              ];
              const key = (x: unknown[]) => x.join(" ");
              assert.equal(B, A + 2);
              assert.deepEqual(
                blocks.data.jarBlocks.map((x: any) => key([x.jar, Number(x.number), x.kind])).sort(),
                expected.map(key).sort(),
              );
              assert.deepEqual(blocks.data.jarTips.map((t: any) => [t.message, t.afterInit]).sort(), [
                ["same block", true],
                ["to first", true],
              ]);
              assert.deepEqual(
                r.indexer.dataSources.map((d) => [d.template, d.address, d.block]),
                [
                  ["Jar", a.jar, a.blockNumber],
                  ["JarPoll", a.jar, a.blockNumber],
                  ["Jar", b.jar, b.blockNumber],
                  ["JarPoll", b.jar, b.blockNumber],
                ],
              );
            });
            const later = await factory.tipJar(a.jar, ARTIST_A, 9n, "after restart", tipjarAbi);
            await withRunner({ ...persist.options }, async (r) => {
              await r.waitForBlock(later.blockNumber);
              const res = await r.query('{ jarTips(where: { message: "after restart" }) { amount jar { label } } }');
              assert.deepEqual(res.data.jarTips, [{ amount: "9", jar: { label: "first" } }]);
            });
          } finally {
            await persist.cleanup();
          }
        });

        test("a reorg drops the data sources created in orphaned blocks", async () => {
          await resetChain();
          const fork = await chain.rpc("evm_snapshot");
          const orphaned = await factory.create("orphaned");
          await withRunner({}, async (r) => {
            await r.waitForBlock(orphaned.blockNumber);
            assert.equal(r.indexer.dataSources.length, 2);
            assert.equal(await chain.rpc("evm_revert", [fork]), true);
            await tipjar.tip(ARTIST_A, 1n, "moves the chain on");
            const other = await factory.create("other"); // the same factory nonce: the same jar address
            const tipped = await factory.tipJar(other.jar, ARTIST_A, 3n, "to other", tipjarAbi);
            const block = await chain.rpc("eth_getBlockByNumber", ["0x" + tipped.blockNumber.toString(16), false]);
            await r.indexer.waitFor(() => r.indexer.head?.hash === block.hash, 20_000);
            assert.deepEqual(
              r.indexer.dataSources.map((d) => [d.address, d.block]),
              [
                [other.jar, other.blockNumber],
                [other.jar, other.blockNumber],
              ],
            );
            const res = await r.query("{ jars { label } jarTips { label amount } }");
            assert.deepEqual(res.data, { jars: [{ label: "other" }], jarTips: [{ label: "other", amount: "3" }] });
          });
          snapshot = await chain.rpc("evm_snapshot");
        });
      });
    });
  });
}
