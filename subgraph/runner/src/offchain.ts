// File data sources' store: graph-node runs a file data source handler against an empty store
// (core/src/subgraph/runner/mod.rs, handle_offchain_triggers: "a makeshift way to get causality
// region isolation"), so it reads only what it wrote itself, and it may only touch the entity types
// its template lists under `entities` (runtime/wasm/src/host_exports.rs, check_entity_type_access).
// Its writes then go to the deployment's store in the data source's own causality region.
import type { EntityStore } from "./host.ts";
import { MappingAbort } from "./host.ts";
import type { Schema } from "./schema.ts";
import { idValue, StoreError } from "./store.ts";
import { idString, validateEntity, type Entity } from "./values.ts";

export class IsolatedStore implements EntityStore {
  readonly schema: Schema;
  readonly dataSource: string;
  readonly entities: string[];
  #writes = new Map<string, { type: string; id: string; data: Entity | null }>();
  #overlay = new Map<string, { type: string; id: string; data: Entity | null }>();

  constructor(schema: Schema, dataSource: string, entities: string[]) {
    this.schema = schema;
    this.dataSource = dataSource;
    this.entities = entities;
  }

  /** graph-node's entity type access check, with its message. */
  #access(type: string): void {
    if (!this.schema.entities.has(type)) throw new StoreError(`Entity type \`${type}\` is not defined in the schema`);
    if (!this.entities.includes(type)) {
      throw new MappingAbort(
        `entity type \`${type}\` is not on the 'entities' list for data source \`${this.dataSource}\`. ` +
          `Hint: Add \`${type}\` to the 'entities' list, which currently is: \`${this.entities.join(", ")}\`.`,
      );
    }
  }

  #current(key: string): Entity | null {
    return (this.#overlay.get(key) ?? this.#writes.get(key))?.data ?? null;
  }

  get(type: string, id: string): Entity | null {
    this.#access(type);
    return this.#current(`${type}\0${id}`);
  }

  getInBlock(type: string, id: string): Entity | null {
    return this.get(type, id);
  }

  loadRelated(typeName: string, id: string, fieldName: string): Entity[] {
    this.#access(typeName);
    const type = this.schema.entities.get(typeName)!;
    const field = type.byName.get(fieldName);
    if (!field?.derivedFrom) throw new StoreError(`Entity ${typeName}: field \`${fieldName}\` is not a derived field`);
    const targets = this.schema.entities.has(field.type)
      ? [field.type]
      : (this.schema.interfaces.get(field.type)?.implementers ?? []);
    const all = new Map([...this.#writes, ...this.#overlay]);
    const out: Entity[] = [];
    for (const target of targets) {
      this.#access(target);
      for (const w of all.values()) {
        const ref = w.type === target ? w.data?.[field.derivedFrom] : undefined;
        if (ref && (ref.kind === "Array" ? ref.value.some((x) => idString(x) === id) : idString(ref) === id))
          out.push(w.data!);
      }
    }
    return out;
  }

  set(typeName: string, id: string, data: Entity): void {
    this.#access(typeName);
    const type = this.schema.entities.get(typeName)!;
    if (data.id && data.id.kind !== "Null" && idString(data.id) !== id) {
      throw new StoreError(
        `Value of ${typeName} attribute 'id' conflicts with ID passed to \`store.set()\`: ${idString(data.id)} != ${id}`,
      );
    }
    const key = `${typeName}\0${id}`;
    const merged: Entity = { ...(this.#current(key) ?? {}) };
    for (const [k, v] of Object.entries(data)) {
      if (v.kind === "Null") delete merged[k];
      else merged[k] = v;
    }
    merged.id ??= idValue(type, id);
    validateEntity(type, id, merged, this.schema.enums);
    this.#overlay.set(key, { type: typeName, id, data: merged });
  }

  remove(typeName: string, id: string): void {
    this.#access(typeName);
    this.#overlay.set(`${typeName}\0${id}`, { type: typeName, id, data: null });
  }

  beginHandler(): void {
    this.#overlay.clear();
  }

  endHandler(commit: boolean): void {
    if (commit) for (const [k, w] of this.#overlay) this.#writes.set(k, w);
    this.#overlay.clear();
  }

  /** What the handler wrote (null: removed), for `Store.writeOffchain`. */
  get writes(): { type: string; id: string; data: Entity | null }[] {
    return [...this.#writes.values()];
  }
}
