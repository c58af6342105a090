// buildIfChanged: a restart with unchanged subgraph sources reuses the build.
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { buildIfChanged, hashInputs } from "../src/build-cache.ts";

test("the build runs again only when an input, an extra key or the output changed, or the last build failed", async () => {
  const dir = mkdtempSync(join(tmpdir(), "graph-runner-cache-"));
  try {
    const src = join(dir, "src");
    const out = join(dir, "out");
    mkdirSync(join(src, "node_modules"), { recursive: true });
    writeFileSync(join(dir, "schema.graphql"), "type A @entity(immutable: true) { id: ID! }");
    writeFileSync(join(src, "a.ts"), "export const a = 1;");
    writeFileSync(join(src, "node_modules", "ignored.ts"), "1");
    let builds = 0;
    let fail = false;
    const build = async () => {
      builds++;
      if (fail) throw new Error("build failed");
      mkdirSync(out, { recursive: true });
      writeFileSync(join(out, "subgraph.yaml"), `build ${builds}`);
    };
    const run = (extra = ["graph-cli 0.98.1"]) =>
      buildIfChanged({ inputs: [join(dir, "schema.graphql"), src], outDir: out, build, extra });

    assert.equal((await run()).rebuilt, true);
    assert.equal((await run()).rebuilt, false);
    assert.equal(builds, 1);

    writeFileSync(join(src, "node_modules", "ignored.ts"), "2"); // not an input
    assert.equal((await run()).rebuilt, false);

    writeFileSync(join(src, "a.ts"), "export const a = 2;");
    assert.equal((await run()).rebuilt, true);
    assert.equal((await run()).rebuilt, false);

    writeFileSync(join(src, "b.ts"), ""); // a new file
    assert.equal((await run()).rebuilt, true);

    assert.equal((await run(["graph-cli 0.99.0"])).rebuilt, true);

    rmSync(join(out, "subgraph.yaml"));
    assert.equal((await run(["graph-cli 0.99.0"])).rebuilt, true);

    writeFileSync(join(src, "a.ts"), "export const a = 3;");
    fail = true;
    await assert.rejects(run(["graph-cli 0.99.0"]), /build failed/);
    fail = false;
    assert.equal((await run(["graph-cli 0.99.0"])).rebuilt, true, "a failed build is not reused");
    assert.equal(builds, 7);
    assert.notEqual(hashInputs([src]), hashInputs([src], ["x"]));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
