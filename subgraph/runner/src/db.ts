// One small interface over embedded Postgres (PGlite) and a real server (pg).
// Everything the runner reads is cast to text in SQL, so both drivers return
// the same JavaScript values.
export interface Db {
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  exec(sql: string): Promise<void>;
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

async function openPglite(dataDir?: string): Promise<Db> {
  const { PGlite } = await import("@electric-sql/pglite");
  const pg = await PGlite.create(dataDir ? { dataDir } : undefined);
  type Q = { query: typeof pg.query; exec: typeof pg.exec };
  const wrap = (q: Q): Db => ({
    kind: "pglite",
    async query(sql, params) {
      return (await q.query(sql, params as unknown[])).rows as never[];
    },
    async exec(sql) {
      await q.exec(sql);
    },
    transaction: (fn) => pg.transaction((tx) => fn(wrap(tx as unknown as Q))),
    close: () => pg.close(),
  });
  return wrap(pg);
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
