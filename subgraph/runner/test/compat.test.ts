// Public subgraphs' matchstick suites (compat/suites.ts, committed fixtures) on graph-runner.
import assert from "node:assert/strict";
import { test } from "node:test";
import { runSuite, type CompatResult } from "../compat/run.ts";
import { suites } from "../compat/suites.ts";

const results: CompatResult[] = [];

for (const suite of suites) {
  test(`${suite.repo}@${suite.commit.slice(0, 10)}: only its known failures fail`, async () => {
    // Without --optimize (4× faster to compile); `node compat/run.ts` uses matchstick's flags.
    const r = await runSuite(suite, { optimize: false });
    results.push(r);
    const failing = r.result.suites.filter((s) => s.failed).map((s) => s.name);
    const known = Object.keys(suite.knownFailures ?? {});
    assert.deepEqual(failing, known, r.log.join("\n"));
    assert.ok(r.result.passed > 0);
  });
}

test("at least 95% of the public suites' tests pass", () => {
  const passed = results.reduce((n, r) => n + r.result.passed, 0);
  const total = results.reduce((n, r) => n + r.result.passed + r.result.failed, 0);
  assert.equal(results.length, suites.length);
  assert.ok(passed / total >= 0.95, `${passed}/${total}`);
});
