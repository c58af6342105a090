// One small interface over embedded Postgres (PGlite) and a real server (pg).
// Everything the runner reads is cast to text in SQL, so both drivers return
// the same JavaScript values.
export interface Db {
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  exec(sql: string): Promise<void>;
  /**
   * PGlite only: `COPY <table> (<columns>) FROM '/dev/blob'` (`sql`) with `data` in COPY's text
   * format: cheaper than a multi-row insert from JSON.
   */
  copy?(sql: string, data: string): Promise<void>;
  /** Runs `fn` in a transaction; other statements wait until it finishes. */
  transaction<T>(fn: (tx: Db) => Promise<T>): Promise<T>;
  close(): Promise<void>;
  readonly kind: "pglite" | "postgres";
}

/** Opens Postgres at DATABASE_URL if given, else PGlite in `dataDir` (in memory when undefined). */
export async function openDb(opts: { databaseUrl?: string; dataDir?: string }): Promise<Db> {
  if (opts.databaseUrl) return openPg(opts.databaseUrl);
  return openPglite(opts.dataDir);
}

/**
 * PGlite runs on a worker thread (src/pglite-worker.ts), so that SQL, notably a range's commit,
 * runs while the main thread runs the next range's handlers.
 */
async function openPglite(dataDir?: string): Promise<Db> {
  const { Worker } = await import("node:worker_threads");
  const worker = new Worker(new URL("./pglite-worker.ts", import.meta.url), { workerData: { dataDir } });
  const waiting = new Map<number, { resolve: (rows: never[]) => void; reject: (e: Error) => void }>();
  let failed: Error | null = null;
  let ids = 0;
  let txs = 0;
  const ready = new Promise<void>((resolve, reject) => {
    worker.on(
      "message",
      (m: { ready?: true; id: number; rows?: never[]; error?: { message: string; code?: string } }) => {
        if (m.ready) return resolve();
        const w = waiting.get(m.id)!;
        waiting.delete(m.id);
        if (m.error) w.reject(Object.assign(new Error(m.error.message), m.error.code ? { code: m.error.code } : {}));
        else w.resolve(m.rows!);
      },
    );
    const die = (e: Error) => {
      failed = e;
      reject(e);
      for (const w of waiting.values()) w.reject(e);
      waiting.clear();
    };
    worker.on("error", die);
    worker.on("exit", (code) => die(new Error(`PGlite worker exited (code ${code})`)));
  });
  await ready;
  const call = (msg: { op: string; sql?: string; params?: unknown[]; tx?: number; data?: string }): Promise<never[]> =>
    new Promise((resolve, reject) => {
      if (failed) return reject(failed);
      const id = ++ids;
      waiting.set(id, { resolve, reject });
      worker.postMessage({ id, ...msg });
    });
  const wrap = (tx?: number): Db => ({
    kind: "pglite",
    query: (sql, params) => call({ op: "query", sql, params, tx }),
    async exec(sql) {
      await call({ op: "exec", sql, tx });
    },
    async copy(sql, data) {
      await call({ op: "copy", sql, data, tx });
    },
    async transaction(fn) {
      if (tx !== undefined) return fn(this);
      const id = ++txs;
      await call({ op: "begin", tx: id });
      let result;
      try {
        result = await fn(wrap(id));
      } catch (e) {
        await call({ op: "rollback", tx: id }).catch(() => {});
        throw e;
      }
      await call({ op: "commit", tx: id });
      return result;
    },
    async close() {
      if (tx !== undefined) return;
      if (!failed) await call({ op: "close" });
      await worker.terminate();
    },
  });
  return wrap();
}

async function openPg(url: string): Promise<Db> {
  const { default: pg } = await import("pg");
  const pool = new pg.Pool({ connectionString: url, max: 4 });
  // Serialise transactions like PGlite does, so both behave the same.
  let chain: Promise<unknown> = Promise.resolve();
  type Client = { query: (sql: string, params?: unknown[]) => Promise<{ rows: unknown[] }> };
  const wrap = (c: Client): Omit<Db, "transaction" | "close"> => ({
    kind: "postgres",
    async query(sql, params) {
      return (await c.query(sql, params)).rows as never[];
    },
    async exec(sql) {
      await c.query(sql);
    },
  });
  const db: Db = {
    ...wrap(pool),
    // A statement waits for the transactions issued before it, as on PGlite (Store.commit relies on it).
    async query(sql, params) {
      await chain;
      return (await pool.query(sql, params)).rows as never[];
    },
    async exec(sql) {
      await chain;
      await pool.query(sql);
    },
    transaction<T>(fn: (tx: Db) => Promise<T>): Promise<T> {
      const run = chain.then(async () => {
        const client = await pool.connect();
        try {
          await client.query("BEGIN");
          const inner: Db = { ...wrap(client), transaction: (f) => f(inner), close: async () => {} };
          const result = await fn(inner);
          await client.query("COMMIT");
          return result;
        } catch (e) {
          await client.query("ROLLBACK").catch(() => {});
          throw e;
        } finally {
          client.release();
        }
      });
      chain = run.catch(() => {});
      return run;
    },
    close: () => pool.end(),
  };
  return db;
}
