/** Guards the SDK's shape: a client only — browser-safe storage, no server and nothing test-only in src. */
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL(".", import.meta.url));
const sources = (dir: string): string[] =>
  readdirSync(join(root, dir), { recursive: true, encoding: "utf8" })
    .filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts"))
    .map((f) => join(dir, f));
const importsOf = (file: string): string[] =>
  [...readFileSync(join(root, file), "utf8").matchAll(/^\s*(?:import|export)[^'"]*from\s+['"]([^'"]+)['"]/gm)].map(
    (m) => m[1] as string,
  );

describe("module layout", () => {
  it("src/storage is browser-safe: no node: builtins, no Node-only packages", () => {
    for (const file of sources("storage")) {
      for (const spec of importsOf(file)) {
        assert.ok(!spec.startsWith("node:"), `${file} imports ${spec}`);
        assert.ok(!["blockstore-fs", "fs", "path", "http"].includes(spec), `${file} imports ${spec}`);
      }
    }
  });

  it("ships no server and nothing test-only: no server packages, no imports of services/ or testkit/", () => {
    const serverOnly = ["ws", "blockstore-fs", "livepeer", "@livepeer/core", "node:http", "node:net", "werift"];
    for (const file of sources(".")) {
      assert.ok(!/(^|\/)(node|test-support|testing)\//.test(file), `${file} is server-side or test-only`);
      for (const spec of importsOf(file)) {
        assert.ok(!serverOnly.includes(spec), `${file} imports ${spec}`);
        assert.ok(!/(^|\/)(services|testkit)\//.test(spec), `${file} imports ${spec}`);
      }
    }
  });

  it("public index modules load and export the documented API", async () => {
    const storage = await import("./storage/index.ts");
    for (const name of [
      "addFile",
      "addDirectory",
      "addTrackPackage",
      "addProfilePackage",
      "createEmbeddedBackend",
      "createKuboBackend",
      "createPinningServiceClient",
      "createTrustlessGatewayReader",
      "encryptTrackAudio",
      "decryptTrackAudio",
      "HarmonieError",
    ]) {
      assert.equal(typeof (storage as Record<string, unknown>)[name], "function", name);
    }
  });
});
