import assert from "node:assert/strict";
import { it } from "node:test";
import { HarmonieError } from "../errors.ts";
import { loadStorage, STORAGE_PEER_DEPENDENCIES, StorageDependencyError } from "./optional.ts";

it("a missing storage package becomes StorageDependencyError naming every package to install", async () => {
  const error = await loadStorage(() => import("ipfs-unixfs-importer-not-installed" as string)).catch((e) => e);
  assert.ok(error instanceof StorageDependencyError && error instanceof HarmonieError);
  assert.match(error.message, new RegExp(`npm install ${STORAGE_PEER_DEPENDENCIES.join(" ")}`));
  assert.deepEqual(error.packages, STORAGE_PEER_DEPENDENCIES);
  await assert.rejects(
    loadStorage(async () => Promise.reject(new TypeError("other"))),
    TypeError,
  );
});

it("STORAGE_PEER_DEPENDENCIES are exactly package.json's optional peer dependencies", async () => {
  const pkg = (await import("../../package.json", { with: { type: "json" } })).default as {
    peerDependenciesMeta: Record<string, { optional: boolean }>;
  };
  assert.deepEqual([...STORAGE_PEER_DEPENDENCIES].sort(), Object.keys(pkg.peerDependenciesMeta).sort());
});
