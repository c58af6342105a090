// The end-to-end, restart and reorg tests of e2e-suite.ts on a real PostgreSQL server
// (Debian's postgresql, an unprivileged cluster in a temporary directory on a free port).
import assert from "node:assert/strict";
import { after, test } from "node:test";
import { openDb } from "../src/db.ts";
import { e2eSuite } from "./e2e-suite.ts";
import { runAll } from "./parity.ts";
import { startPostgres } from "./postgres.ts";

const server = await startPostgres();
after(() => server.stop());

test("the server is a real PostgreSQL", async () => {
  const db = await openDb({ databaseUrl: await server.createDatabase() });
  try {
    assert.equal(db.kind, "postgres");
    const [row] = await db.query<{ version: string }>("SELECT version()");
    assert.match(row.version, /^PostgreSQL \d+/);
  } finally {
    await db.close();
  }
});

test("the query parity battery gives the same answers on PostgreSQL", async () => {
  for (const r of await runAll(await server.createDatabase())) {
    if (r.case.known) assert.equal(r.matches, false, r.case.name);
    else assert.ok(r.matches, `${r.case.name}: got ${r.got}`);
  }
});

e2eSuite("PostgreSQL", {
  fresh: async () => ({ databaseUrl: await server.createDatabase() }),
  persistent: async () => ({ options: { databaseUrl: await server.createDatabase() }, cleanup: async () => {} }),
});
