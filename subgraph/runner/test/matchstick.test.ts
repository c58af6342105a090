// `graph-runner test`: matchstick-as tests compiled with graph-cli's asc and run by the emulator.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { test } from "node:test";
import { runMatchstickTests } from "../src/matchstick.ts";
import { buildFixture } from "./fixtures/build.ts";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");

test("good matchstick tests pass (hooks, describe, shouldFail)", async () => {
  const { dir } = buildFixture();
  const lines: string[] = [];
  const r = await runMatchstickTests({ subgraph: dir, filter: ["tipjar.test"], out: (l) => lines.push(l) });
  assert.deepEqual(r, { passed: 4, failed: 0 }, lines.join("\n"));
  assert.ok(lines.some((l) => l.includes("✔ accumulates tips per artist")));
});

test("a deliberately wrong assertion fails, and the CLI exits non-zero", () => {
  const { dir } = buildFixture();
  const res = spawnSync(
    process.execPath,
    [join(root, "bin", "graph-runner.js"), "test", "--subgraph", dir, "wrong.test"],
    { encoding: "utf8" },
  );
  assert.equal(res.status, 1, res.stdout + res.stderr);
  assert.match(res.stdout, /✘ wrong total/);
  assert.match(res.stdout, /is '40', expected '41'/);
  assert.match(res.stdout, /0 passed, 1 failed/);
});
