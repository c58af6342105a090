/**
 * The public API, pinned: every entry point's export names are compared with exports.snapshot.json,
 * so nothing leaks or vanishes by accident. The entry points are package.json's exports (./entry-points.ts). After an intended change: UPDATE_SNAPSHOT=1 npm test -w sdk.
 */
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { it } from "node:test";
import { ENTRY_POINTS } from "./entry-points.ts";

const SNAPSHOT = new URL("./exports.snapshot.json", import.meta.url);

it("exports exactly the recorded names from each entry point", async () => {
  const entryPoints = Object.fromEntries(
    await Promise.all(
      Object.entries(ENTRY_POINTS).map(async ([subpath, source]) => [
        subpath,
        await import(new URL(`../${source}`, import.meta.url).href),
      ]),
    ),
  ) as Record<string, object>;
  const actual = Object.fromEntries(
    Object.entries(entryPoints).map(([name, module]) => [name, Object.keys(module).sort()]),
  );
  if (process.env.UPDATE_SNAPSHOT) writeFileSync(SNAPSHOT, `${JSON.stringify(actual, null, 2)}\n`);
  assert.deepEqual(actual, JSON.parse(readFileSync(SNAPSHOT, "utf8")));
});
