// Entity store on Postgres with block-range versioning, like graph-node's
// relational layout: every row is a version valid for blocks
// [block_from, block_to) (block_to NULL = current). That gives time-travel
// queries and lets a reorg roll back by deleting/reopening versions.
//
// Handlers write into an in-memory batch; `commit` writes the batch and the
// cursor in one transaction, so a restart resumes exactly after the last
// committed block.
import { createHash } from "node:crypto";
import type { Db } from "./db.ts";
import { bytesOfHex, decimalToString, hexDigits, hexOf, parseDecimal } from "./numbers.ts";
import { storedFields, type EntityType, type Field, type Schema } from "./schema.ts";
import { idString, validateEntity, type Entity, type Value } from "./values.ts";

export interface BlockPtr {
  number: number;
  hash: string;
  timestamp: number;
  parentHash?: string;
}

export const SQL_TYPE: Record<string, string> = {
  String: "text",
  Bytes: "bytea",
  BigInt: "numeric",
  BigDecimal: "numeric",
  Int: "int4",
  Int8: "int8",
  Bool: "boolean",
  Timestamp: "int8",
};

export const q = (name: string) => '"' + name.replace(/"/g, '""') + '"';

/** SQL type of a field's column. */
export function sqlType(f: Field): string {
  return SQL_TYPE[f.valueType] + (f.list ? "[]" : "");
}

/** SQL expression that reads a column as text (or text[]), identical for both drivers. */
export function textExpr(f: Field, alias = ""): string {
  return `${alias}${q(f.name)}::text${f.list ? "[]" : ""}`;
}

/** Converts one text cell back into a store value. */
export function cellToValue(f: Field, cell: unknown): Value {
  if (cell === null || cell === undefined) return { kind: "Null" };
  if (f.list) return { kind: "Array", value: (cell as string[]).map((c) => scalarOf(f, c)) };
  return scalarOf(f, cell as string);
}

function scalarOf(f: Field, s: string): Value {
  switch (f.valueType) {
    case "String":
      return { kind: "String", value: s };
    case "Bytes":
      return { kind: "Bytes", value: bytesOfHex(s.replace(/^\\x/, "")) };
    case "BigInt":
      return { kind: "BigInt", value: BigInt(s) };
    case "BigDecimal":
      return { kind: "BigDecimal", value: parseDecimal(s) };
    case "Int":
      return { kind: "Int", value: Number(s) };
    case "Int8":
      return { kind: "Int8", value: BigInt(s) };
    case "Timestamp":
      return { kind: "Timestamp", value: BigInt(s) };
    case "Bool":
      return { kind: "Bool", value: s === "true" || s === "t" };
  }
}

/** Value as a JSON cell for json_populate_recordset. */
function valueToCell(v: Value): unknown {
  switch (v.kind) {
    case "Null":
      return null;
    case "Bytes":
      return "\\x" + hexDigits(v.value);
    case "BigDecimal":
      return decimalToString(v.value);
    case "BigInt":
    case "Int8":
    case "Timestamp":
      return v.value.toString();
    case "Array":
      return v.value.map(valueToCell);
    default:
      return v.value;
  }
}

/**
 * A cell in COPY's text format, or null when it has no exact text form there: a list (arrays keep
 * the JSON path), a string with NUL or a lone surrogate (which the JSON path rejects or keeps as it
 * does, with its messages).
 */
function copyCell(v: Value | undefined): string | null {
  if (v === undefined) return "\\N";
  switch (v.kind) {
    case "Null":
      return "\\N";
    case "Bytes":
      // bytea's hex input, its backslash escaped.
      return "\\\\x" + hexDigits(v.value);
    case "String": {
      const c = v.value;
      if (c.includes("\0") || !(c as unknown as { isWellFormed(): boolean }).isWellFormed()) return null;
      return COPY_SPECIAL.test(c) ? c.replace(COPY_ESCAPES, (ch) => COPY_ESCAPE[ch]) : c;
    }
    case "BigDecimal":
      return decimalToString(v.value);
    case "BigInt":
    case "Int8":
    case "Timestamp":
      return v.value.toString();
    case "Int":
      return String(v.value);
    case "Bool":
      return v.value ? "true" : "false";
    case "Array":
      return null;
  }
}
/** Rows in COPY's text format, or null when a cell has no text form there (see `copyCell`). */
function copyText(
  rows: { from: number; to: number | null; region: number | null; data: Entity }[],
  fields: Field[],
): string | null {
  let text = "";
  for (const row of rows) {
    let line = row.from + (row.to === null ? "\t\\N" : "\t" + row.to) + (row.region === null ? "" : "\t" + row.region);
    for (let i = 0; i < fields.length; i++) {
      const cell = copyCell(row.data[fields[i].name]);
      if (cell === null) return null;
      line += "\t" + cell;
    }
    text += line + "\n";
  }
  return text;
}
const COPY_SPECIAL = /[\\\t\n\r]/;
const COPY_ESCAPES = /[\\\t\n\r]/g;
const COPY_ESCAPE: Record<string, string> = { "\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r" };

/**
 * A key's id as a SQL parameter. Parameters are always passed as text and cast
 * in SQL (`$1::text::bytea`), so both drivers serialise them the same way.
 */
export function idParam(type: EntityType, id: string): string {
  return type.idType === "Bytes" ? "\\x" + id.replace(/^0x/, "") : id;
}

interface Version {
  block: number;
  data: Entity | null;
}
interface Pending {
  type: EntityType;
  id: string;
  /** An open version existed in the database when the batch started. */
  existed: boolean;
  versions: Version[];
}

export class StoreError extends Error {}

/** Thrown by a synchronous read that needs the database; see `Store.get`. */
export class Miss extends Error {
  readonly load: () => Promise<void>;
  constructor(load: () => Promise<void>) {
    super("store cache miss");
    this.load = load;
  }
}

export function idValue(type: EntityType, id: string): Value {
  if (type.idType === "Bytes") return { kind: "Bytes", value: bytesOfHex(id) };
  if (type.idType === "Int8") return { kind: "Int8", value: BigInt(id) };
  return { kind: "String", value: id };
}

/** A data source created from a template by `dataSource.create*` (graph-node's dynamic data source). */
export interface DynamicDataSource {
  template: string;
  /**
   * The first parameter: the contract address for ethereum templates (lower case), the content
   * path (`<cid>[/<path>]`, canonical CID) for file templates.
   */
  address: string;
  context: Entity | null;
  /** Block of the trigger that created it; it handles that block's later triggers too. */
  block: number;
  /** Row id once committed. */
  seq?: number;
  /** File data sources: the block at which the file was handled (graph-node's `done_at`), or null. */
  doneAt?: number | null;
  /** File data sources: their causality region (graph-node numbers them from 1; 0 is the chain's). */
  region?: number;
}

/** A file data source's entity write (its causality region; see `Store.writeOffchain`). */
interface IsolatedWrite {
  type: EntityType;
  id: string;
  data: Entity;
  block: number;
  region: number;
}

/** JSON for an entity's values (bigints and bytes as strings). */
function entityToJson(e: Entity): unknown {
  const v = (x: Value): unknown => {
    switch (x.kind) {
      case "Null":
        return { kind: "Null" };
      case "Array":
        return { kind: "Array", value: x.value.map(v) };
      case "Bytes":
        return { kind: "Bytes", value: hexOf(x.value) };
      case "BigDecimal":
        return { kind: "BigDecimal", value: decimalToString(x.value) };
      case "BigInt":
      case "Int8":
      case "Timestamp":
        return { kind: x.kind, value: x.value.toString() };
      default:
        return x;
    }
  };
  return Object.fromEntries(Object.entries(e).map(([k, x]) => [k, v(x)]));
}

function entityFromJson(json: Record<string, { kind: string; value?: unknown }>): Entity {
  const v = (x: { kind: string; value?: unknown }): Value => {
    switch (x.kind) {
      case "Array":
        return { kind: "Array", value: (x.value as { kind: string; value?: unknown }[]).map(v) };
      case "Bytes":
        return { kind: "Bytes", value: bytesOfHex(x.value as string) };
      case "BigDecimal":
        return { kind: "BigDecimal", value: parseDecimal(x.value as string) };
      case "BigInt":
      case "Int8":
      case "Timestamp":
        return { kind: x.kind, value: BigInt(x.value as string) } as Value;
      default:
        return x as Value;
    }
  };
  return Object.fromEntries(Object.entries(json).map(([k, x]) => [k, v(x)]));
}

const NO_FIELDS: string[] = [];

/** The read cache's bound (entities); see `Store.cacheFull`. */
const CACHE_ENTRIES = 200_000;

export class Store {
  readonly db: Db;
  readonly schema: Schema;
  readonly ns: string;
  /** Latest known state per `Type\0id` (null = absent), including the pending batch. */
  #current = new Map<string, Entity | null>();
  /**
   * Whether `#current` knows every committed entity (true from an empty store until the cache is
   * cleared): a read of an id it lacks is then null without a database round trip and handler re-run.
   */
  #complete = false;
  /** Attribute, id range and block_from indexes not created yet (postponed while a new deployment catches up; see `init`). */
  #postponedIndexes: string[] = [];
  #pending = new Map<string, Pending>();
  /** Commits being written (see `commit`). */
  #inflight = 0;
  #overlay = new Map<string, { type: EntityType; id: string; data: Entity | null }>();
  /** Committed rows behind derived fields, per `Target\0field\0id`. */
  #related = new Map<string, Entity[]>();
  #blocks: BlockPtr[] = [];
  #dataSources: DynamicDataSource[] = [];
  #isolated: IsolatedWrite[] = [];
  #done: { d: DynamicDataSource; block: number }[] = [];
  /**
   * Entity types file data sources may write (their templates' `entities`): their tables have a
   * `causality_region` column, and chain handlers only read rows of region 0, as in graph-node.
   */
  readonly regionTypes: Set<string>;

  constructor(db: Db, schema: Schema, namespace: string, regionTypes: Iterable<string> = []) {
    this.db = db;
    this.schema = schema;
    this.ns = namespace;
    this.regionTypes = new Set(regionTypes);
  }

  /** SQL condition for a chain handler's read of `type` (only the chain's causality region). */
  #chainRegion(type: EntityType, alias = ""): string {
    return this.regionTypes.has(type.name) ? ` AND ${alias}causality_region = 0` : "";
  }

  table(type: EntityType): string {
    return `${q(this.ns)}.${q(type.table)}`;
  }

  /**
   * Creates the tables. `deployment` identifies the build (schema, manifest, wasm);
   * when it changed since the data was written, the namespace is wiped and
   * indexing starts over, as graph-node does for a new deployment.
   */
  async init(deployment: string, opts: { postponeAttributeIndexes?: boolean } = {}): Promise<{ reset: boolean }> {
    await this.db.exec(`CREATE SCHEMA IF NOT EXISTS ${q(this.ns)}`);
    await this.db.exec(`CREATE TABLE IF NOT EXISTS ${q(this.ns)}._meta (key text PRIMARY KEY, value text NOT NULL)`);
    const [row] = await this.db.query<{ value: string }>(
      `SELECT value FROM ${q(this.ns)}._meta WHERE key = 'deployment'`,
    );
    let reset = false;
    if (row && row.value !== deployment) {
      reset = true;
      await this.db.exec(`DROP SCHEMA ${q(this.ns)} CASCADE; CREATE SCHEMA ${q(this.ns)};
        CREATE TABLE ${q(this.ns)}._meta (key text PRIMARY KEY, value text NOT NULL)`);
    }
    const postponable: string[] = [];
    const ddl: string[] = [
      `CREATE TABLE IF NOT EXISTS ${q(this.ns)}._blocks (number int PRIMARY KEY, hash text NOT NULL, parent_hash text, timestamp bigint NOT NULL)`,
      `CREATE TABLE IF NOT EXISTS ${q(this.ns)}._data_sources (seq serial PRIMARY KEY, template text NOT NULL, address text NOT NULL, context text, block int NOT NULL)`,
      `ALTER TABLE ${q(this.ns)}._data_sources ADD COLUMN IF NOT EXISTS done_at int, ADD COLUMN IF NOT EXISTS causality_region int NOT NULL DEFAULT 0`,
    ];
    for (const type of this.schema.entities.values()) {
      const cols = storedFields(type).map((f) => `${q(f.name)} ${sqlType(f)}${f.name === "id" ? " NOT NULL" : ""}`);
      const t = this.table(type);
      ddl.push(
        `CREATE TABLE IF NOT EXISTS ${t} (vid bigserial PRIMARY KEY, block_from int NOT NULL, block_to int, ${cols.join(", ")})`,
      );
      if (this.regionTypes.has(type.name))
        ddl.push(`ALTER TABLE ${t} ADD COLUMN IF NOT EXISTS causality_region int NOT NULL DEFAULT 0`);
      const ix = (suffix: string) => q(`${type.table}_${suffix}`);
      // Immutable ids are unique forever; mutable ids are unique among current versions.
      ddl.push(
        type.immutable
          ? `CREATE UNIQUE INDEX IF NOT EXISTS ${ix("id")} ON ${t} (id)`
          : `CREATE UNIQUE INDEX IF NOT EXISTS ${ix("id_current")} ON ${t} (id) WHERE block_to IS NULL`,
      );
      // For time travel and rollbacks; postponed with the attribute indexes (a third of the inserts' cost).
      postponable.push(`CREATE INDEX IF NOT EXISTS ${ix("id_range")} ON ${t} (id, block_from)`);
      postponable.push(`CREATE INDEX IF NOT EXISTS ${ix("block_from")} ON ${t} (block_from)`);
      // Attribute indexes (graph-node indexes every attribute) for filters and orderings.
      for (const f of storedFields(type)) {
        if (f.name !== "id" && !f.list)
          postponable.push(`CREATE INDEX IF NOT EXISTS ${ix("a_" + f.name.toLowerCase())} ON ${t} (${q(f.name)})`);
      }
    }
    await this.db.exec(ddl.join(";\n"));
    await this.db.query(`INSERT INTO ${q(this.ns)}._meta VALUES ('deployment', $1) ON CONFLICT (key) DO NOTHING`, [
      deployment,
    ]);
    const empty = (await this.head()) === null;
    this.#complete = empty;
    // Maintaining every attribute index row by row costs about twice the inserts themselves; a new
    // deployment builds them once it reaches the chain head (`createPostponedIndexes`), as graph-node's
    // GRAPH_POSTPONE_ATTRIBUTE_INDEX_CREATION does for copies. Queries before that are answered the same, unindexed.
    if (empty && opts.postponeAttributeIndexes) this.#postponedIndexes = postponable;
    else await this.db.exec(postponable.join(";\n"));
    return { reset };
  }

  /** Whether attribute indexes wait for `createPostponedIndexes`. */
  get indexesPostponed(): boolean {
    return this.#postponedIndexes.length > 0;
  }

  /** Creates the attribute indexes `init` postponed (once the indexer caught up with the chain). */
  async createPostponedIndexes(): Promise<void> {
    const list = this.#postponedIndexes;
    if (!list.length) return;
    await this.db.exec(list.join(";\n"));
    this.#postponedIndexes = [];
  }

  async getMeta(key: string): Promise<string | null> {
    const [row] = await this.db.query<{ value: string }>(`SELECT value FROM ${q(this.ns)}._meta WHERE key = $1`, [key]);
    return row?.value ?? null;
  }

  async setMeta(key: string, value: string): Promise<void> {
    await this.db.query(
      `INSERT INTO ${q(this.ns)}._meta VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
      [key, value],
    );
  }

  /** The last committed block, or null before the first commit. */
  async head(): Promise<BlockPtr | null> {
    const v = await this.getMeta("head");
    return v ? (JSON.parse(v) as BlockPtr) : null;
  }

  /** Recorded block hashes, newest first, for finding a common ancestor after a reorg. */
  async recentBlocks(limit = 1000): Promise<BlockPtr[]> {
    const rows = await this.db.query<{ number: number; hash: string; timestamp: string }>(
      `SELECT number, hash, timestamp::text AS timestamp FROM ${q(this.ns)}._blocks ORDER BY number DESC LIMIT $1`,
      [limit],
    );
    return rows.map((r) => ({ number: Number(r.number), hash: r.hash, timestamp: Number(r.timestamp) }));
  }

  entityType(name: string): EntityType {
    const type = this.schema.entities.get(name);
    if (!type) throw new StoreError(`Entity type \`${name}\` is not defined in the schema`);
    return type;
  }

  // ---------------------------------------------------------------- reads
  //
  // Host functions are synchronous (wasm can't await), the database is not.
  // A read that misses the cache throws `Miss`; the runtime then awaits
  // `miss.load()` and re-runs the handler from the start with a warm cache.
  // Handler writes go to an overlay that is applied only when the handler
  // completes, so a re-run never sees its own half-done writes.

  rowToEntity(type: EntityType, row: Record<string, unknown>): Entity {
    const e: Entity = {};
    for (const f of storedFields(type)) {
      const v = cellToValue(f, row[f.name]);
      if (v.kind !== "Null") e[f.name] = v;
    }
    return e;
  }

  async #load(type: EntityType, id: string): Promise<void> {
    const fields = storedFields(type);
    const rows = await this.db.query<Record<string, unknown>>(
      `SELECT ${fields.map((f) => `${textExpr(f)} AS ${q(f.name)}`).join(", ")} FROM ${this.table(type)} WHERE id = $1::text::${SQL_TYPE[type.idType]} AND block_to IS NULL${this.#chainRegion(type)}`,
      [idParam(type, id)],
    );
    const key = `${type.name}\0${id}`;
    if (!this.#current.has(key)) this.#current.set(key, rows[0] ? this.rowToEntity(type, rows[0]) : null);
  }

  /** store.get: latest state including this batch's and this handler's changes. */
  get(typeName: string, id: string): Entity | null {
    const type = this.entityType(typeName);
    const key = `${typeName}\0${id}`;
    const o = this.#overlay.get(key);
    if (o) return o.data;
    if (this.#current.has(key)) return this.#current.get(key)!;
    if (this.#complete) return null;
    throw new Miss(() => this.#load(type, id));
  }

  /** store.get_in_block: only entities written in the current block. */
  getInBlock(typeName: string, id: string, block: number): Entity | null {
    this.entityType(typeName);
    const key = `${typeName}\0${id}`;
    const o = this.#overlay.get(key);
    if (o) return o.data;
    const p = this.#pending.get(key);
    const last = p?.versions[p.versions.length - 1];
    return last && last.block === block ? last.data : null;
  }

  /** store.loadRelated: the entities behind a @derivedFrom field of `typeName[id]`. */
  loadRelated(typeName: string, id: string, fieldName: string): Entity[] {
    const type = this.entityType(typeName);
    const field = type.byName.get(fieldName);
    if (!field?.derivedFrom) throw new StoreError(`Entity ${typeName}: field \`${fieldName}\` is not a derived field`);
    const targets = this.schema.entities.has(field.type)
      ? [this.entityType(field.type)]
      : (this.schema.interfaces.get(field.type)?.implementers ?? []).map((n) => this.entityType(n));
    const out: Entity[] = [];
    for (const target of targets) {
      const via = target.byName.get(field.derivedFrom)!;
      const cacheKey = `${target.name}\0${via.name}\0${id}`;
      const committed = this.#related.get(cacheKey);
      if (!committed) throw new Miss(() => this.#loadRelated(target, via, type, id, cacheKey));
      const byId = new Map(committed.map((e) => [idString(e.id), e]));
      // Overlay changes not in the database yet: the batch's, then the handler's.
      const overlay = (key: string, tid: string, data: Entity | null) => {
        if (!key.startsWith(target.name + "\0")) return;
        const ref = data?.[via.name];
        const points = ref && (ref.kind === "Array" ? ref.value.some((x) => idString(x) === id) : idString(ref) === id);
        if (points) byId.set(tid, data!);
        else byId.delete(tid);
      };
      for (const [key, p] of this.#pending) overlay(key, p.id, p.versions[p.versions.length - 1].data);
      for (const [key, o] of this.#overlay) overlay(key, o.id, o.data);
      out.push(...byId.values());
    }
    return out;
  }

  async #loadRelated(target: EntityType, via: Field, owner: EntityType, id: string, cacheKey: string): Promise<void> {
    const fields = storedFields(target);
    const p = `$1::text::${SQL_TYPE[owner.idType]}`;
    const cond = via.list ? `${p} = ANY(${q(via.name)})` : `${q(via.name)} = ${p}`;
    const rows = await this.db.query<Record<string, unknown>>(
      `SELECT ${fields.map((f) => `${textExpr(f)} AS ${q(f.name)}`).join(", ")} FROM ${this.table(target)} WHERE ${cond} AND block_to IS NULL${this.#chainRegion(target)} ORDER BY id`,
      [idParam(owner, id)],
    );
    this.#related.set(
      cacheKey,
      rows.map((r) => this.rowToEntity(target, r)),
    );
  }

  // --------------------------------------------------------------- writes

  /** Starts a handler: its writes stay in an overlay until `endHandler(true)`. */
  beginHandler(): void {
    this.#overlay.clear();
  }

  /** Applies (commit=true) or drops the handler's writes. */
  endHandler(commit: boolean, block: number): void {
    if (commit) this.#overlay.forEach((o, key) => this.#track(key, o.type, o.id, block, o.data));
    this.#overlay.clear();
  }

  /** `key`: `Type\0id`, as the overlay has it. */
  #track(key: string, type: EntityType, id: string, block: number, data: Entity | null): void {
    let p = this.#pending.get(key);
    if (!p) {
      // Only mutable entities are looked up before a write, so only they can have an open version.
      p = { type, id, existed: (this.#current.get(key) ?? null) !== null, versions: [] };
      this.#pending.set(key, p);
    }
    const last = p.versions[p.versions.length - 1];
    if (last && last.block === block) last.data = data;
    else p.versions.push({ block, data });
    this.#current.set(key, data);
    // Derived-field caches hold committed rows only, overlaid at read time: still valid.
  }

  /** store.set: merges `data` into the current entity, validates, and records the change. */
  set(typeName: string, id: string, data: Entity, block: number): void {
    const type = this.entityType(typeName);
    if (data.id && data.id.kind !== "Null" && idString(data.id) !== id) {
      throw new StoreError(
        `Value of ${typeName} attribute 'id' conflicts with ID passed to \`store.set()\`: ${idString(data.id)} != ${id}`,
      );
    }
    const key = `${typeName}\0${id}`;
    // Immutable entities are insert-only, so (like graph-node) they are not looked up;
    // a duplicate across blocks is caught here or by the unique index at commit.
    let current: Entity | null = null;
    if (type.immutable) {
      const p = this.#pending.get(key);
      const last = p?.versions[p.versions.length - 1];
      if (last && last.data && last.block !== block) {
        if (type.skipDuplicates) return;
        throw new StoreError(
          `entity ${typeName}[${id}] is immutable; inserting it at block ${block} is not possible as it was already inserted at block ${last.block}`,
        );
      }
      current = this.#overlay.get(key)?.data ?? (last?.block === block ? last.data : null);
    } else {
      current = this.get(typeName, id);
    }
    // `{ ...current }`, then data's values set and its nulls deleted, in that key order, without
    // `delete` (which would turn the object into a slow dictionary). Unknown fields are noted here.
    const merged: Entity = {};
    let unknown: string[] | null = null;
    if (current) {
      for (const k in current) {
        const v = data[k];
        if (v === undefined) merged[k] = current[k];
        else if (v.kind !== "Null") merged[k] = v;
      }
    }
    for (const k in data) {
      const v = data[k];
      if (v.kind === "Null" || (current && k in current)) continue;
      merged[k] = v;
      if (!type.byName.has(k)) (unknown ??= []).push(k);
    }
    merged.id ??= idValue(type, id);
    validateEntity(type, id, merged, this.schema.enums, unknown ?? NO_FIELDS);
    this.#overlay.set(key, { type, id, data: merged });
  }

  /** store.remove */
  remove(typeName: string, id: string): void {
    const type = this.entityType(typeName);
    if (type.immutable)
      throw new StoreError(`immutable entity type ${typeName} only allows inserts, not removal of ${typeName}[${id}]`);
    const current = this.get(typeName, id);
    const key = `${typeName}\0${id}`;
    if (current === null && !this.#pending.has(key) && !this.#overlay.has(key)) return;
    this.#overlay.set(key, { type, id, data: null });
  }

  /** Number of entity changes waiting for `commit`. */
  get pendingCount(): number {
    return this.#pending.size;
  }

  /** Records a processed block (hash for reorg detection, timestamp for _meta). */
  noteBlock(b: BlockPtr): void {
    this.#blocks.push(b);
  }

  /** Records a dynamic data source, committed with the batch. */
  noteDataSource(d: DynamicDataSource): void {
    this.#dataSources.push(d);
  }

  /** Records that a file data source was handled at `block` (committed with the batch). */
  noteDone(d: DynamicDataSource, block: number): void {
    this.#done.push({ d, block });
  }

  /**
   * A file data source handler's writes, in its own causality region: invisible to chain handlers
   * (and to other file data sources, whose store starts empty), visible to queries. An id its type
   * already has, in any region, fails like graph-node's store, whose id constraint spans regions.
   */
  writeOffchain(writes: { type: string; id: string; data: Entity | null }[], block: number, region: number): void {
    for (const w of writes) {
      const type = this.entityType(w.type);
      const key = `${type.name}\0${w.id}`;
      const chain = this.#pending.get(key);
      if (
        (chain && chain.versions[chain.versions.length - 1].data) ||
        this.#isolated.some((x) => x.type === type && x.id === w.id)
      ) {
        throw new StoreError(`entity ${type.name}[${w.id}] already exists: file data sources write new entities only`);
      }
      if (w.data) this.#isolated.push({ type, id: w.id, data: w.data, block, region });
    }
  }

  /** The committed dynamic data sources, in creation order. */
  async dataSources(): Promise<DynamicDataSource[]> {
    const rows = await this.db.query<{
      seq: number;
      template: string;
      address: string;
      context: string | null;
      block: number;
      done_at: number | null;
      causality_region: number;
    }>(
      `SELECT seq, template, address, context, block, done_at, causality_region FROM ${q(this.ns)}._data_sources ORDER BY seq`,
    );
    return rows.map((r) => ({
      seq: Number(r.seq),
      template: r.template,
      address: r.address,
      context: r.context === null ? null : entityFromJson(JSON.parse(r.context)),
      block: Number(r.block),
      doneAt: r.done_at === null ? null : Number(r.done_at),
      region: Number(r.causality_region),
    }));
  }

  #clearCache(): void {
    this.#current.clear();
    this.#complete = false;
  }

  /** Drops uncommitted changes (after a failed handler or before a retry). */
  discard(): void {
    // The read cache is committed state plus this batch's changes: keep it when there are none,
    // and within its bound (committed state can always be reloaded, once no commit is in flight).
    if (this.#pending.size || this.#overlay.size || (this.cacheFull && this.#inflight === 0)) this.#clearCache();
    this.#pending.clear();
    this.#overlay.clear();
    this.#related.clear();
    this.#blocks = [];
    this.#dataSources = [];
    this.#isolated = [];
    this.#done = [];
  }

  /** Whether the read cache outgrew its bound: `discard` empties it once no commit is in flight. */
  get cacheFull(): boolean {
    return this.#current.size > CACHE_ENTRIES;
  }

  /**
   * Writes the batch and moves the cursor to `head`, atomically. The batch is taken at the call:
   * the next range's handlers may run while it is written, reading it from the cache (both drivers
   * run a statement issued after this call after the commit, so a read the cache lacks, or a
   * derived field's rows, see the batch). On failure the cache is emptied.
   */
  commit(head: BlockPtr): Promise<void> {
    const pending = [...this.#pending.values()];
    const blocks = [...this.#blocks, head];
    const isolated = this.#isolated;
    const dataSources = this.#dataSources;
    const doneList = this.#done;
    this.#pending = new Map();
    // Derived-field caches hold committed rows: the batch is about to be, and no longer overlaid.
    this.#related.clear();
    this.#blocks = [];
    this.#dataSources = [];
    this.#isolated = [];
    this.#done = [];
    this.#inflight++;
    return this.#write(head, pending, blocks, isolated, dataSources, doneList).then(
      () => {
        this.#inflight--;
        for (const { d, block } of doneList) d.doneAt = block;
      },
      (e) => {
        this.#inflight--;
        this.#clearCache();
        this.#related.clear();
        throw e;
      },
    );
  }

  #write(
    head: BlockPtr,
    pending: Pending[],
    blocks: BlockPtr[],
    isolated: IsolatedWrite[],
    dataSources: DynamicDataSource[],
    doneList: { d: DynamicDataSource; block: number }[],
  ): Promise<void> {
    return this.db.transaction(async (tx) => {
      const byType = new Map<EntityType, Pending[]>();
      for (const p of pending) {
        if (!byType.has(p.type)) byType.set(p.type, []);
        byType.get(p.type)!.push(p);
      }
      for (const w of isolated) if (!byType.has(w.type)) byType.set(w.type, []);
      for (const [type, list] of byType) {
        const regional = this.regionTypes.has(type.name);
        const t = this.table(type);
        const idType = SQL_TYPE[type.idType];
        const close = list.filter((p) => p.existed).map((p) => ({ id: idParam(type, p.id), b: p.versions[0].block }));
        if (close.length) {
          await tx.query(
            `UPDATE ${t} SET block_to = v.b FROM json_to_recordset($1::json) AS v(id ${idType}, b int) WHERE ${t}.id = v.id AND ${t}.block_to IS NULL`,
            [JSON.stringify(close)],
          );
        }
        // Rows in column order: block_from, block_to, causality_region (regional types), fields.
        const fields = storedFields(type);
        const rows: { from: number; to: number | null; region: number | null; data: Entity }[] = [];
        for (const p of list) {
          const versions = p.versions;
          for (let i = 0; i < versions.length; i++) {
            const data = versions[i].data;
            if (data)
              rows.push({
                from: versions[i].block,
                to: versions[i + 1]?.block ?? null,
                region: regional ? 0 : null,
                data,
              });
          }
        }
        for (const w of isolated) {
          if (w.type === type) rows.push({ from: w.block, to: null, region: regional ? w.region : null, data: w.data });
        }
        if (rows.length) {
          const names = [
            "block_from",
            "block_to",
            ...(regional ? ["causality_region"] : []),
            ...fields.map((f) => f.name),
          ];
          const cols = names.map(q).join(", ");
          // PGlite: COPY from text (when every cell has a text form there); else one insert from JSON.
          const copy = tx.copy ? copyText(rows, fields) : null;
          try {
            if (copy !== null) await tx.copy!(`COPY ${t} (${cols}) FROM '/dev/blob'`, copy);
            else {
              const objects = rows.map((row) => {
                const o: Record<string, unknown> = { block_from: row.from, block_to: row.to };
                if (regional) o.causality_region = row.region;
                for (const f of fields) o[f.name] = valueToCell(row.data[f.name] ?? { kind: "Null" });
                return o;
              });
              await tx.query(
                `INSERT INTO ${t} (${cols}) SELECT ${cols} FROM json_populate_recordset(NULL::${t}, $1::json)`,
                [JSON.stringify(objects)],
              );
            }
          } catch (e) {
            if (type.immutable && /unique|duplicate/i.test(String((e as Error).message))) {
              throw new StoreError(
                `entity ${type.name} is immutable; an entity with one of the ids written in this batch was already inserted at an earlier block`,
              );
            }
            if (regional && /unique|duplicate/i.test(String((e as Error).message))) {
              throw new StoreError(
                `entity ${type.name}: an id written in this batch already exists in another causality region (a file data source's entity and a chain entity, or two file data sources, share ids)`,
              );
            }
            throw e;
          }
        }
      }
      const seen = new Set<number>();
      const blockRows = blocks.filter((b) => !seen.has(b.number) && seen.add(b.number));
      await tx.query(
        `INSERT INTO ${q(this.ns)}._blocks SELECT * FROM json_to_recordset($1::json) AS v(number int, hash text, parent_hash text, timestamp bigint)
         ON CONFLICT (number) DO UPDATE SET hash = excluded.hash, parent_hash = excluded.parent_hash, timestamp = excluded.timestamp`,
        [
          JSON.stringify(
            blockRows.map((b) => ({
              number: b.number,
              hash: b.hash,
              parent_hash: b.parentHash ?? null,
              timestamp: b.timestamp,
            })),
          ),
        ],
      );
      const done = new Map(doneList.map(({ d, block }) => [d, block]));
      for (const d of dataSources) {
        const [row] = await tx.query<{ seq: number }>(
          `INSERT INTO ${q(this.ns)}._data_sources (template, address, context, block, done_at, causality_region) VALUES ($1, $2, $3, $4, $5, $6) RETURNING seq`,
          [
            d.template,
            d.address,
            d.context ? JSON.stringify(entityToJson(d.context)) : null,
            d.block,
            done.get(d) ?? null,
            d.region ?? 0,
          ],
        );
        d.seq = Number(row.seq);
      }
      for (const { d, block } of doneList) {
        if (!dataSources.includes(d))
          await tx.query(`UPDATE ${q(this.ns)}._data_sources SET done_at = $1 WHERE seq = $2`, [block, d.seq]);
      }
      await tx.query(
        `INSERT INTO ${q(this.ns)}._meta VALUES ('head', $1) ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
        [JSON.stringify(head)],
      );
    });
  }

  /** Reverts everything after `block` (a reorg's common ancestor), atomically with the cursor. */
  async rollback(block: BlockPtr | null): Promise<void> {
    const n = block?.number ?? -1;
    this.discard();
    this.#clearCache();
    await this.db.transaction(async (tx) => {
      for (const type of this.schema.entities.values()) {
        const t = this.table(type);
        await tx.query(`DELETE FROM ${t} WHERE block_from > $1`, [n]);
        if (!type.immutable) await tx.query(`UPDATE ${t} SET block_to = NULL WHERE block_to > $1`, [n]);
      }
      await tx.query(`DELETE FROM ${q(this.ns)}._blocks WHERE number > $1`, [n]);
      await tx.query(`DELETE FROM ${q(this.ns)}._data_sources WHERE block > $1`, [n]);
      // File data sources handled in the orphaned blocks wait for their file again (graph-node resets done_at).
      await tx.query(`UPDATE ${q(this.ns)}._data_sources SET done_at = NULL WHERE done_at > $1`, [n]);
      if (block)
        await tx.query(`UPDATE ${q(this.ns)}._meta SET value = $1 WHERE key = 'head'`, [JSON.stringify(block)]);
      else await tx.query(`DELETE FROM ${q(this.ns)}._meta WHERE key = 'head'`);
    });
  }
}

/** A stable id for a build: changes whenever schema, manifest or mappings change. */
export function deploymentId(parts: (string | Uint8Array)[]): string {
  const h = createHash("sha256");
  for (const p of parts) h.update(p);
  return "local-" + h.digest("hex").slice(0, 40);
}

export { hexOf };
