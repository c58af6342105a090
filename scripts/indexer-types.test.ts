import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, describe, it } from "node:test";
import { Kind, parse } from "graphql";
import { apiSchemaSdl } from "../subgraph/runner/src/graphql.ts";
import { parseSchema } from "../subgraph/runner/src/schema.ts";
import { generate } from "./indexer-types.ts";

const ROOT = path.resolve(import.meta.dirname, "..");
const SCHEMA = path.join(ROOT, "subgraph/schema.graphql");
const GENERATED = path.join(ROOT, "sdk/src/generated/subgraph.ts");
const dir = mkdtempSync(path.join(tmpdir(), "indexer-types-"));
after(() => rmSync(dir, { recursive: true, force: true }));

const run = (...args: string[]) =>
  spawnSync(process.execPath, ["scripts/indexer-types.ts", ...args], { cwd: ROOT, encoding: "utf8" });

/** Members of a generated `export interface <name> { … }` or `export type <name> = | "a" | "b";`. */
function members(source: string, name: string): string[] {
  const body = new RegExp(`export (?:interface ${name} \\{([\\s\\S]*?)\\n\\}|type ${name} =([^;]*);)`).exec(source);
  assert.ok(body, `${name} is not generated`);
  if (body[1] !== undefined) return [...body[1].matchAll(/^\s+(\w+)\??:/gm)].map((m) => m[1]);
  return [...body[2].matchAll(/"(\w+)"/g)].map((m) => m[1]);
}

describe("indexer types generator", () => {
  it("--check passes on the committed file and fails once the schema changes", () => {
    assert.equal(run("--check").status, 0);
    const schema = path.join(dir, "schema.graphql");
    const out = path.join(dir, "subgraph.ts");
    copyFileSync(SCHEMA, schema);
    copyFileSync(GENERATED, out);
    assert.equal(run("--check", "--schema", schema, "--out", out).status, 0);

    writeFileSync(
      schema,
      readFileSync(schema, "utf8").replace("  message: String!\n}", "  message: String!\n  referrer: Bytes\n}"),
    );
    const stale = run("--check", "--schema", schema, "--out", out);
    assert.equal(stale.status, 1);
    assert.match(stale.stderr, /Stale .*subgraph\.ts/);
    assert.equal(run("--schema", schema, "--out", out).status, 0);
    assert.equal(run("--check", "--schema", schema, "--out", out).status, 0);
    assert.match(readFileSync(out, "utf8"), /export interface Tip \{[^]*?referrer: `0x\$\{string\}` \| null;/);
  });

  it("types values as graph-node's JSON returns them", () => {
    const source = readFileSync(GENERATED, "utf8");
    const tip = /export interface Tip \{([^]*?)\n\}/.exec(source)![1];
    assert.match(tip, /blockNumber: string;/); // BigInt
    assert.match(tip, /transactionHash: `0x\$\{string\}`;/); // Bytes
    assert.match(tip, /stream: \{ id: string \} \| null;/); // nullable relation
    assert.match(source, /export type TrackStatus = "ACTIVE" \| "FLAGGED" \| "REVOKED";/);
    assert.match(/export interface Proposal \{([^]*?)\n\}/.exec(source)![1], /values: string\[\];/);
    assert.match(/export interface Track_filter \{([^]*?)\n\}/.exec(source)![1], /status_in\?: TrackStatus\[\];/);
  });

  it("names exactly the filters and orderings the runner's GraphQL API accepts", () => {
    const source = generate(readFileSync(SCHEMA, "utf8"));
    const api = parse(apiSchemaSdl(parseSchema(readFileSync(SCHEMA, "utf8"))));
    let compared = 0;
    for (const definition of api.definitions) {
      const name =
        definition.kind === Kind.INPUT_OBJECT_TYPE_DEFINITION || definition.kind === Kind.ENUM_TYPE_DEFINITION
          ? definition.name.value
          : "";
      if (!/_(filter|orderBy)$/.test(name) || name === "Block_height") continue;
      const expected =
        definition.kind === Kind.INPUT_OBJECT_TYPE_DEFINITION
          ? (definition.fields ?? []).map((f) => f.name.value)
          : definition.kind === Kind.ENUM_TYPE_DEFINITION
            ? (definition.values ?? []).map((v) => v.name.value)
            : [];
      assert.deepEqual(members(source, name).sort(), expected.sort(), name);
      compared++;
    }
    assert.ok(compared > 60, `compared ${compared} types`);
  });
});
