// Unit tests: numbers, naming, validation, import checks.
import assert from "node:assert/strict";
import { test } from "node:test";
import { buildImports } from "../src/host.ts";
import { rootFieldNames } from "../src/graphql.ts";
import { bigIntFromSignedLE, bigIntToSignedLE, decimal, decimalToString, parseDecimal } from "../src/numbers.ts";
import { parseSchema } from "../src/schema.ts";
import { validateEntity } from "../src/values.ts";

test("BigInt signed little-endian round trip", () => {
  for (const n of [0n, 1n, -1n, 127n, 128n, -128n, -129n, 255n, 2n ** 255n, -(2n ** 200n)]) {
    assert.equal(bigIntFromSignedLE(bigIntToSignedLE(n)), n);
  }
  assert.deepEqual([...bigIntToSignedLE(128n)], [0x80, 0]);
});

test("BigDecimal arithmetic and formatting", () => {
  assert.equal(decimalToString(parseDecimal("1.500")), "1.5");
  assert.equal(
    decimalToString(decimal.dividedBy(parseDecimal("1"), parseDecimal("3"))),
    "0.3333333333333333333333333333333333",
  );
  assert.equal(decimalToString(decimal.plus(parseDecimal("0.1"), parseDecimal("0.2"))), "0.3");
  assert.equal(decimalToString(parseDecimal("1e3")), "1000");
});

test("root field names follow graph-node", () => {
  assert.deepEqual(rootFieldNames("Tip"), ["tip", "tips"]);
  assert.deepEqual(rootFieldNames("Category"), ["category", "categories"]);
  assert.deepEqual(rootFieldNames("Address"), ["address", "addresses"]);
  assert.deepEqual(rootFieldNames("TokenHolder"), ["tokenHolder", "tokenHolders"]);
});

test("entity validation: required, types, enums, derived, unknown fields", () => {
  const schema = parseSchema(`
    enum Kind { A B }
    type Thing @entity { id: ID! n: Int! big: BigInt kind: Kind tags: [String!] owner: Owner }
    type Owner @entity { id: ID! things: [Thing!]! @derivedFrom(field: "owner") }`);
  const thing = schema.entities.get("Thing")!;
  const owner = schema.entities.get("Owner")!;
  const ok = { id: { kind: "String", value: "x" }, n: { kind: "Int", value: 1 } } as const;
  validateEntity(thing, "x", { ...ok }, schema.enums);
  assert.throws(
    () => validateEntity(thing, "x", { id: ok.id }, schema.enums),
    /Entity Thing\[x\]: missing value for non-nullable field `n`/,
  );
  assert.throws(
    () => validateEntity(thing, "x", { ...ok, big: { kind: "String", value: "1" } }, schema.enums),
    /the value `1` for field `big` must have type BigInt but has type String/,
  );
  assert.throws(
    () => validateEntity(thing, "x", { ...ok, kind: { kind: "String", value: "C" } }, schema.enums),
    /not a value of enum Kind/,
  );
  assert.throws(
    () =>
      validateEntity(thing, "x", { ...ok, tags: { kind: "Array", value: [{ kind: "Int", value: 1 }] } }, schema.enums),
    /contains a Int at index 0/,
  );
  assert.throws(
    () => validateEntity(thing, "x", { ...ok, nope: { kind: "Int", value: 1 } }, schema.enums),
    /Attempted to set undefined fields \[nope\]/,
  );
  assert.throws(
    () =>
      validateEntity(
        owner,
        "o",
        { id: { kind: "String", value: "o" }, things: { kind: "Array", value: [] } },
        schema.enums,
      ),
    /field `things` is derived and cannot be set/,
  );
});

test("a call to an unimplemented host function throws with its name", () => {
  const name = (s: string) => [s.length, ...Buffer.from(s)];
  const imports = [1, ...name("index"), ...name("ens.nameByHash"), 0, 0];
  const module = new WebAssembly.Module(
    Buffer.from([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, 1, 6, 1, 0x60, 1, 0x7f, 1, 0x7f, 2, imports.length, ...imports]),
  );
  const { imports: obj, missing } = buildImports(module, {});
  assert.deepEqual(missing, ["ens.nameByHash"]);
  assert.throws(
    () => (obj.index as Record<string, () => void>)["ens.nameByHash"](),
    /host function 'ens.nameByHash' is not implemented/,
  );
});
