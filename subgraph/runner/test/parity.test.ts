// Query parity with graph-node: the battery of test/parity.ts, and the README table it generates.
import assert from "node:assert/strict";
import { test } from "node:test";
import { readmeSection, runAll, table } from "./parity.ts";

test("queries are answered as graph-node's source defines, and the README table is current", async () => {
  const rows = await runAll();
  for (const r of rows) {
    if (r.case.known) assert.equal(r.matches, false, `${r.case.name}: now matches; drop \`known\``);
    else assert.ok(r.matches, `${r.case.name}: got ${r.got}`);
  }
  // prettier aligns the table's columns: compare cell contents.
  const cells = (t: string) =>
    t
      .split("\n")
      .map((l) =>
        l
          .trim()
          .replace(/\s*\|\s*/g, "|")
          .replace(/-{3,}/g, "---"),
      )
      .filter(Boolean);
  assert.deepEqual(
    cells(readmeSection()),
    cells(table(rows)),
    "README.md is stale: run `node test/parity.ts --readme`",
  );
});
