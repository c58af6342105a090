/**
 * The public API, pinned: every entry point's export names are compared with exports.snapshot.json,
 * so nothing leaks or vanishes by accident. After an intended change: UPDATE_SNAPSHOT=1 npm test -w sdk.
 */
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { it } from "node:test";

const SNAPSHOT = new URL("./exports.snapshot.json", import.meta.url);

it("exports exactly the recorded names from each entry point", async () => {
  const entryPoints = {
    ".": await import("./index.ts"),
    "./actions": await import("./actions/index.ts"),
    "./storage": await import("./storage/index.ts"),
    "./abis": await import("./generated/abis.ts"),
    "./indexer": await import("./indexer/index.ts"),
    "./streaming": await import("./streaming/index.ts"),
  };
  const actual = Object.fromEntries(
    Object.entries(entryPoints).map(([name, module]) => [name, Object.keys(module).sort()]),
  );
  if (process.env.UPDATE_SNAPSHOT) writeFileSync(SNAPSHOT, `${JSON.stringify(actual, null, 2)}\n`);
  assert.deepEqual(actual, JSON.parse(readFileSync(SNAPSHOT, "utf8")));
});
