import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { it } from "node:test";
import { ENTRY_POINTS } from "./entry-points.ts";

const SDK = new URL("../", import.meta.url);
const read = (path: string) => readFileSync(new URL(path, SDK), "utf8");

it("every package.json export is built from a source file", () => {
  for (const [subpath, source] of Object.entries(ENTRY_POINTS))
    assert.ok(existsSync(new URL(source, SDK)), `${subpath}: ${source} exists`);
});

it("TypeDoc documents exactly the exported entry points", () => {
  const docs = (JSON.parse(read("package.json")) as { scripts: { docs: string } }).scripts.docs;
  const documented = docs.split(/\s+/).filter((word) => word.startsWith("src/"));
  assert.deepEqual(documented.sort(), Object.values(ENTRY_POINTS).sort());
});

it("the export snapshot has one entry per export", () => {
  assert.deepEqual(Object.keys(JSON.parse(read("src/exports.snapshot.json"))).sort(), Object.keys(ENTRY_POINTS).sort());
});

it("the dApp's tsconfig paths point each @harmonie/sdk subpath at its entry point's source", () => {
  const { compilerOptions } = JSON.parse(read("../dapp/tsconfig.json")) as {
    compilerOptions: { paths: Record<string, string[]> };
  };
  for (const [specifier, [target]] of Object.entries(compilerOptions.paths)) {
    if (!specifier.startsWith("@harmonie/sdk")) continue;
    const subpath = `.${specifier.slice("@harmonie/sdk".length)}`;
    assert.ok(subpath in ENTRY_POINTS, `${specifier} is exported by package.json`);
    assert.equal(target, `../sdk/${ENTRY_POINTS[subpath]}`, specifier);
  }
});
