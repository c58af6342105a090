// File data sources (`kind: file/ipfs` templates) and `ipfs.cat` in indexing mode, against the
// project's IPFS service (the SDK's gateway on a filesystem blockstore, started here) with real CIDs,
// on a real Hardhat node: found files handled at a later block in their own causality region, a
// missing file retried without failing indexing, a restart that resumes the pending one, and
// graph-node's refusals (unlisted entity types, ipfs.cat unless non-deterministic IPFS is allowed).
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { encodeFunctionData } from "viem";
import { createFsBackend } from "../../../services/src/ipfs/fs-blockstore.ts";
import { startIpfsService } from "../../../services/src/ipfs/gateway.ts";
import { buildRegistryFixture, type Artifact } from "./fixtures/build.ts";
import { startChain, type Chain } from "./helpers.ts";
import { startRunner, type Runner, type RunnerOptions } from "../src/runner.ts";

const REGISTRY = "0x5fbdb2315678afecb367f032d93f642f64180aa3";

interface Ipfs {
  url: string;
  add(content: string): Promise<string>;
  close(): Promise<void>;
}

/** The SDK's IPFS service (what `npm run ipfs` starts) on a fresh filesystem blockstore. */
async function startIpfs(): Promise<Ipfs> {
  const dir = mkdtempSync(join(tmpdir(), "graph-runner-ipfs-"));
  const backend = await createFsBackend(dir);
  const service = await startIpfsService({ backend, port: 0 });
  return {
    url: service.url,
    async add(content) {
      const res = await fetch(`${service.url}/upload`, { method: "POST", body: content });
      assert.equal(res.status, 200, await res.clone().text());
      return ((await res.json()) as { cid: string }).cid;
    },
    async close() {
      await service.close();
      await backend.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

describe("file data sources and ipfs.cat", () => {
  let chain: Chain;
  let dir: string;
  let registry: Artifact;
  let ipfs: Ipfs;
  /** A second service: learns a file's CID without the runner's gateway having the file. */
  let elsewhere: Ipfs;
  let dataDir: string;
  const found = JSON.stringify({ title: "Found" });
  const late = JSON.stringify({ title: "Late" });
  let foundCid: string;
  let lateCid: string;
  let absentCid: string;
  const logs: string[] = [];

  const call = async (functionName: string, args: unknown[]) =>
    (await chain.send(REGISTRY, encodeFunctionData({ abi: registry.abi as never, functionName, args } as never)))
      .blockNumber;
  const options = (extra: Partial<RunnerOptions> = {}): RunnerOptions => ({
    subgraph: dir,
    rpc: chain.url,
    port: 0,
    pollMs: 50,
    ipfs: ipfs.url,
    ipfsBackoffMs: { min: 100, max: 400 },
    log: (l) => logs.push(l),
    ...extra,
  });
  /** Mines blocks until `check` holds (graph-node handles a found file with the next block it processes). */
  async function mineUntil(runner: Runner, check: () => Promise<boolean>, what: string): Promise<void> {
    const deadline = Date.now() + 30_000;
    while (!(await check())) {
      if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}; log:\n${logs.join("\n")}`);
      await chain.rpc("evm_mine");
      await runner.waitForBlock(await chain.blockNumber());
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  const q = async (runner: Runner, query: string) => {
    const { data, errors } = await runner.query(query);
    assert.equal(errors, undefined, JSON.stringify(errors));
    return data;
  };

  before(async () => {
    ({ dir, registry } = buildRegistryFixture());
    [ipfs, elsewhere, chain] = await Promise.all([startIpfs(), startIpfs(), startChain()]);
    dataDir = mkdtempSync(join(tmpdir(), "graph-runner-files-"));
    const { contractAddress } = await chain.send(null, registry.bytecode);
    assert.equal(contractAddress?.toLowerCase(), REGISTRY);
    foundCid = await ipfs.add(found);
    lateCid = await elsewhere.add(late);
    absentCid = await elsewhere.add("never on the runner's gateway");
  });
  after(async () => {
    await Promise.all([chain?.stop(), ipfs?.close(), elsewhere?.close()]);
    rmSync(dataDir, { recursive: true, force: true });
  });

  test("found files are handled in their causality region; a missing one waits; a restart resumes it", async () => {
    const first = await call("publish", [foundCid]); // publication 1
    await call("publish", [lateCid]); // 2: not on the gateway yet
    await call("publish", ["not a CID"]); // 3: graph-node ignores it (a warning)
    await call("publish", [`/ipfs/${foundCid}`]); // 4: the same file, another context: its own data source
    const published = await call("check", [1n]);

    let runner = await startRunner(options({ dataDir }));
    try {
      await runner.waitForBlock(published);
      await mineUntil(
        runner,
        async () => (await q(runner, "{ metadata_collection { id } }")).metadata_collection.length === 2,
        "the found file's two data sources",
      );
      const data = await q(
        runner,
        "{ metadata_collection(orderBy: id) { id cid title size publicationVisible } publications(orderBy: cid) { id cid metadata { title } metadataVisible } _meta { hasIndexingErrors } }",
      );
      const meta = (id: string) => ({
        id,
        cid: foundCid,
        title: "Found",
        size: found.length,
        publicationVisible: false,
      });
      // Both data sources got the bytes; each saw an empty store (not the chain's Publication).
      assert.deepEqual(data.metadata_collection, [meta("1"), meta("4")]);
      assert.equal(data._meta.hasIndexingErrors, false);
      const byId = Object.fromEntries(data.publications.map((p: { id: string }) => [p.id, p]));
      // Queries join the chain's Publication with the file's Metadata ...
      assert.deepEqual(byId["4"].metadata, { title: "Found" });
      assert.equal(byId["2"].metadata, null);
      // ... but the chain handler that ran at block `published` could not load it (it did not exist
      // yet); `check` again now that it does: still invisible to chain handlers.
      await call("check", [1n]);
      await runner.waitForBlock(await chain.blockNumber());
      assert.equal(
        (await q(runner, '{ publication(id: "1") { metadataVisible } }')).publication.metadataVisible,
        false,
      );

      const sources = runner.indexer.fileDataSources;
      assert.deepEqual(
        sources.map((d) => [d.template, d.address, d.region, d.doneAt !== null]),
        [
          ["Metadata", foundCid, 1, true],
          ["Metadata", lateCid, 2, false],
          ["Metadata", foundCid, 3, true],
        ],
      );
      const handledAt = sources[0].doneAt!;
      assert.ok(handledAt > first, "a file is handled at a block after its data source's creation");
      assert.ok(
        logs.some((l) => /file data source 'Metadata' ignored: 'not a CID' is not a valid IPFS content path/.test(l)),
      );
      assert.ok(logs.some((l) => l.includes(`/ipfs/${lateCid} not available yet`)));
      // Indexing goes on while the file is missing.
      await mineUntil(runner, async () => (runner.indexer.head?.number ?? 0) >= handledAt + 3, "three more blocks");
      assert.equal(runner.indexer.fatal, null);
    } finally {
      await runner.stop();
    }

    // The file appears on the gateway (the same CID: the same importer); a restart polls for it again.
    assert.equal(await ipfs.add(late), lateCid);
    runner = await startRunner(options({ dataDir }));
    try {
      await mineUntil(
        runner,
        async () => (await q(runner, '{ metadata(id: "2") { id } }')).metadata !== null,
        "the late file",
      );
      const data = await q(runner, '{ metadata(id: "2") { cid title publicationVisible } metadata_collection { id } }');
      assert.deepEqual(data.metadata, { cid: lateCid, title: "Late", publicationVisible: false });
      // The files handled before the restart were not handled again.
      assert.equal(data.metadata_collection.length, 3);
      assert.equal(runner.indexer.fatal, null);
    } finally {
      await runner.stop();
    }
  });

  test("a reorg removes the files' entities of orphaned blocks and polls again for files handled in them", async () => {
    const early = JSON.stringify({ title: "Created before the fork" });
    const orphaned = JSON.stringify({ title: "Orphaned" });
    const earlyCid = await elsewhere.add(early);
    const orphanedCid = await ipfs.add(orphaned);
    const runner = await startRunner(options({ dataDir }));
    try {
      // Publication 5: its file is not on the gateway yet.
      const created = await call("publish", [earlyCid]);
      await runner.waitForBlock(created);
      const snapshot = await chain.rpc<string>("evm_snapshot");
      // After the fork point: the file appears and is handled; publication 6's file too.
      assert.equal(await ipfs.add(early), earlyCid);
      await call("publish", [orphanedCid]);
      await mineUntil(
        runner,
        async () => (await q(runner, '{ a: metadata(id: "5") { id } b: metadata(id: "6") { id } }')).b !== null,
        "publication 6's file",
      );
      await mineUntil(
        runner,
        async () => (await q(runner, '{ metadata(id: "5") { id } }')).metadata !== null,
        "publication 5's file",
      );
      const before = runner.indexer.fileDataSources.find((d) => d.address === earlyCid)!;
      assert.ok(before.doneAt! > created);
      // The fork: back to the block of publication 5's creation.
      assert.equal(await chain.rpc("evm_revert", [snapshot]), true);
      const deadline = Date.now() + 30_000;
      while ((runner.indexer.head?.number ?? 0) > created || runner.indexer.fileDataSources.length !== 4) {
        if (Date.now() > deadline) assert.fail(`no rollback; log:\n${logs.join("\n")}`);
        await new Promise((r) => setTimeout(r, 50));
      }
      let data = await q(
        runner,
        '{ a: metadata(id: "5") { id } b: metadata(id: "6") { id } publication(id: "6") { id } }',
      );
      assert.deepEqual(data, { a: null, b: null, publication: null });
      const after = runner.indexer.fileDataSources;
      assert.deepEqual(
        after.map((d) => [d.address, d.doneAt === null]),
        [
          [foundCid, false],
          [lateCid, false],
          [foundCid, false],
          [earlyCid, true],
        ],
      );
      // Polled for again, and handled on the new branch.
      await mineUntil(
        runner,
        async () => (await q(runner, '{ metadata(id: "5") { id } }')).metadata !== null,
        "the file again",
      );
      data = await q(
        runner,
        '{ metadata(id: "5") { title cid } publication(id: "6") { id } _meta { hasIndexingErrors } }',
      );
      assert.deepEqual(data, {
        metadata: { title: "Created before the fork", cid: earlyCid },
        publication: null,
        _meta: { hasIndexingErrors: false },
      });
    } finally {
      await runner.stop();
    }
  });

  test("ipfs.cat reads the gateway when non-deterministic IPFS is allowed (null when missing), else fails like graph-node", async () => {
    await call("peek", [foundCid]);
    const peeked = await call("peek", [absentCid]);
    const allowed = await startRunner(options({ allowNonDeterministicIpfs: true, ipfsTimeoutMs: 2_000 }));
    try {
      await allowed.waitForBlock(peeked);
      const { peeks } = await q(allowed, "{ peeks { cid content } }");
      assert.deepEqual(
        Object.fromEntries(peeks.map((p: { cid: string; content: string | null }) => [p.cid, p.content])),
        { [foundCid]: found, [absentCid]: null },
      );
    } finally {
      await allowed.stop();
    }
    const refused = await startRunner(options({ allowNonDeterministicIpfs: false }));
    try {
      await assert.rejects(refused.waitForBlock(peeked), (e: Error) => {
        assert.match(
          e.message,
          /handler 'handlePeeked' failed at block \d+ .*`ipfs\.cat` is deprecated\. Improved support for IPFS will be added in the future/,
        );
        return true;
      });
    } finally {
      await refused.stop();
    }
  });

  test("a file handler writing an entity type its template does not list fails with graph-node's message", async () => {
    const block = await call("publish", [`unlisted:${foundCid}`]);
    const runner = await startRunner(options({ allowNonDeterministicIpfs: true }));
    try {
      await runner.waitForBlock(block);
      await assert.rejects(
        mineUntil(runner, async () => false, "the failure"),
        (e: Error) => {
          assert.match(
            e.message,
            /handler 'handleUnlisted' failed at block \d+ \(tx none: file data source \/ipfs\/\w+\): entity type `Publication` is not on the 'entities' list for data source `Unlisted`\. Hint: Add `Publication` to the 'entities' list, which currently is: `Metadata`\./,
          );
          return true;
        },
      );
    } finally {
      await runner.stop();
    }
  });

  test("without --ipfs, creating a file data source fails naming the option", async () => {
    const runner = await startRunner(options({ ipfs: undefined }));
    try {
      await assert.rejects(
        runner.waitForBlock(await chain.blockNumber()),
        /file data source template 'Metadata' needs IPFS: start graph-runner with --ipfs <gateway URL>/,
      );
    } finally {
      await runner.stop();
    }
  });
});
