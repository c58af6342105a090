// PGlite on its own thread (see db.ts `openPglite`): SQL runs while the main thread runs
// handlers. Messages: { id, op, sql?, params?, tx?, data? }; each is answered with { id, rows } or
// { id, error }. A transaction is `begin`, then statements tagged with its `tx`, then `commit` or
// `rollback`; PGlite makes every other statement wait until it ends.
import { parentPort, workerData } from "node:worker_threads";
import { PGlite, type Transaction } from "@electric-sql/pglite";

interface Message {
  id: number;
  op: "query" | "exec" | "copy" | "begin" | "commit" | "rollback" | "close";
  sql?: string;
  params?: unknown[];
  tx?: number;
  /** `copy`: the rows in COPY's text format, read by the statement from '/dev/blob'. */
  data?: string;
}

const port = parentPort!;
const pg = await PGlite.create(workerData?.dataDir ? { dataDir: workerData.dataDir } : undefined);
const reply = (id: number, rows: unknown[] = []) => port.postMessage({ id, rows });
const fail = (id: number, e: unknown) =>
  port.postMessage({ id, error: { message: (e as Error)?.message ?? String(e), code: (e as { code?: string }).code } });

class Rollback extends Error {}

/** Statements of open transactions, delivered in order to the transaction's loop. */
const open = new Map<number, { queue: Message[]; wake: (() => void) | null }>();

async function next(tx: number): Promise<Message> {
  const t = open.get(tx)!;
  while (!t.queue.length) await new Promise<void>((r) => (t.wake = r));
  return t.queue.shift()!;
}

async function run(db: PGlite | Transaction, m: Message): Promise<unknown[]> {
  if (m.op === "exec") {
    await db.exec(m.sql!);
    return [];
  }
  if (m.op === "copy") {
    await db.query(m.sql!, [], { blob: new Blob([m.data!]) });
    return [];
  }
  return (await db.query(m.sql!, m.params)).rows;
}

function begin(m: Message): void {
  const tx = m.tx!;
  open.set(tx, { queue: [], wake: null });
  let last: Message | null = null;
  pg.transaction(async (t) => {
    reply(m.id);
    for (;;) {
      const s = await next(tx);
      if (s.op === "commit" || s.op === "rollback") {
        last = s;
        if (s.op === "rollback") throw new Rollback();
        return;
      }
      try {
        reply(s.id, await run(t, s));
      } catch (e) {
        fail(s.id, e);
      }
    }
  })
    .then(
      () => reply(last!.id),
      (e) => (last?.op === "rollback" ? reply(last.id) : fail(last?.id ?? m.id, e)),
    )
    .finally(() => open.delete(tx));
}

port.on("message", (m: Message) => {
  if (m.op === "begin") return begin(m);
  if (m.tx !== undefined) {
    const t = open.get(m.tx);
    if (!t) return fail(m.id, new Error(`transaction ${m.tx} is not open`));
    t.queue.push(m);
    t.wake?.();
    t.wake = null;
    return;
  }
  if (m.op === "close") {
    pg.close().then(
      () => reply(m.id),
      (e) => fail(m.id, e),
    );
    return;
  }
  run(pg, m).then(
    (rows) => reply(m.id, rows),
    (e) => fail(m.id, e),
  );
});
port.postMessage({ ready: true });
