// `graph-runner test`: matchstick-as tests compiled with graph-cli's asc and run by the emulator.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { statSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { test } from "node:test";
import { discoverTests, readMatchstickConfig, runMatchstickTests, selectTests } from "../src/matchstick.ts";
import { buildFixture } from "./fixtures/build.ts";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const semantics = join(root, "test", "fixtures", "matchstick");

test("good matchstick tests pass (hooks, describe, shouldFail)", async () => {
  const { dir } = buildFixture();
  const lines: string[] = [];
  const r = await runMatchstickTests({ subgraph: dir, filter: ["tipjar"], out: (l) => lines.push(l) });
  assert.equal(r.failed, 0, lines.join("\n"));
  assert.equal(r.passed, 4, lines.join("\n"));
  assert.ok(lines.some((l) => l.includes("✔ accumulates tips per artist")));
});

test("-c reports, per data source, the manifest's handlers the test modules call (matchstick's coverage)", async () => {
  const { dir } = buildFixture();
  const lines: string[] = [];
  const r = await runMatchstickTests({ subgraph: dir, filter: ["tipjar"], coverage: true, out: (l) => lines.push(l) });
  const tipJar = r.coverage!.find((s) => s.source === "TipJar")!;
  // tipjar.test.ts calls handleTipped only; the other event handlers have no test.
  assert.deepEqual(tipJar.handlers, [
    { name: "handleTipped", tested: true },
    { name: "handleArtistRenamed", tested: false },
  ]);
  assert.ok(lines.includes("Handler 'handleArtistRenamed' is not tested."), lines.join("\n"));
  assert.ok(lines.includes("Test coverage: 50.0% (1/2 handlers)."), lines.join("\n"));
  // Block handlers are not counted, as in matchstick: 1 of the 4 event handlers.
  assert.ok(lines.includes("Global test coverage: 25.0% (1/4 handlers)."), lines.join("\n"));
});

test("a deliberately wrong assertion fails with matchstick's message, and the CLI exits non-zero", () => {
  const { dir } = buildFixture();
  const res = spawnSync(process.execPath, [join(root, "bin", "graph-runner.js"), "test", "--subgraph", dir, "wrong"], {
    encoding: "utf8",
  });
  assert.equal(res.status, 1, res.stdout + res.stderr);
  assert.match(res.stdout, /✘ wrong total/);
  assert.match(res.stdout, /\(assert\.fieldEquals\) Expected field 'total' to equal '41', but was '40' instead\./);
  assert.match(res.stdout, /0 passed, 1 failed/);
});

test("discovery follows matchstick: matchstick.yaml, sub-folders, lower-cased suite names, prefix selection", () => {
  const config = readMatchstickConfig(semantics);
  assert.equal(config.testsFolder, join(semantics, "specs"));
  assert.equal(config.manifestPath, join(semantics, "manifest", "subgraph.yaml"));
  const all = discoverTests(config.testsFolder);
  assert.deepEqual([...all.keys()], ["hosts", "nested/hooks"]); // helpers.ts is not a test file
  assert.deepEqual([...selectTests(all, config.testsFolder, ["NESTED"]).keys()], ["nested/hooks"]);
  assert.deepEqual([...selectTests(all, config.testsFolder, ["nested/hooks"]).keys()], ["nested/hooks"]);
  assert.deepEqual([...selectTests(all, config.testsFolder, ["hooks"]).keys()], []); // anchored at the tests folder
});

test("matchstick host functions and hook failures: data sources, IPFS, readFile, ENS, in-block store", async () => {
  const lines: string[] = [];
  const r = await runMatchstickTests({
    subgraph: semantics,
    recompile: true,
    optimize: false,
    out: (l) => lines.push(l),
  });
  const text = lines.join("\n");
  assert.deepEqual(
    r.suites.map((s) => [s.name, s.passed, s.failed]),
    [
      ["hosts", 15, 1],
      ["nested/hooks", 1, 2],
    ],
    text,
  );
  assert.deepEqual(
    r.suites.flatMap((s) => s.failures.map((f) => f.test)),
    [
      "store > a mismatching field fails with matchstick's message",
      "broken setup > first test of the group",
      "broken setup > nested group > nested test",
    ],
  );
  assert.match(text, /\(assert\.fieldEquals\) Expected field 'name' to equal 'expected', but was 'actual' instead\./);
  assert.match(text, /beforeAll hook of "broken setup" failed: .*setup exploded/);
  assert.match(text, /✔ still runs and sees its beforeAll/);
  // logDataSources prints the template's data sources with their context; logStore the store.
  assert.match(text, /"0x00000000000000000000000000000000000000b2": \{\s+"kind": "ethereum",\s+"name": "Pool",/);
  assert.match(text, /"label": "second"/);
  assert.match(text, /"k": \{\s+"id": "k",\s+"name": "k",\s+"kind": "HUGE"\s+\}/);
  assert.match(text, /WARNING: graph-node would fail this write: .*not a value of enum Kind/);
  assert.match(text, /WARNING: \(store\.remove\) Entity with type 'Item' and id 'never-saved' does not exist\./);
  assert.match(text, /16 passed, 3 failed, 19 total/);
});

test("strict mode fails writes graph-node would reject; unchanged tests are not recompiled", async () => {
  const wasm = join(semantics, "specs", ".bin", "unoptimized", "hosts.wasm");
  const before = statSync(wasm).mtimeMs;
  const lines: string[] = [];
  const r = await runMatchstickTests({
    subgraph: semantics,
    filter: ["hosts"],
    optimize: false,
    strict: true,
    out: (l) => lines.push(l),
  });
  assert.equal(statSync(wasm).mtimeMs, before);
  assert.deepEqual(
    r.suites[0].failures.map((f) => f.test),
    [
      "store > an unknown enum value is only a warning (matchstick accepts it)",
      "store > a mismatching field fails with matchstick's message",
    ],
    lines.join("\n"),
  );
});
