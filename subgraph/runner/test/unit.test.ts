// Unit tests: numbers, naming, validation, import checks.
import assert from "node:assert/strict";
import { test } from "node:test";
import { buildImports } from "../src/host.ts";
import { rootFieldNames } from "../src/graphql.ts";
import {
  bigIntFromSignedLE,
  bigIntToSignedLE,
  decimal,
  decimalToString,
  normalizeDecimal,
  parseDecimal,
  type Decimal,
} from "../src/numbers.ts";
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

test("normalizeDecimal: 34 significant digits half-even, then no trailing zeros (as one zero at a time)", () => {
  // The plain definition, dividing by ten per trailing zero.
  const reference = ({ digits, exp }: Decimal): Decimal => {
    if (digits === 0n) return { digits: 0n, exp: 0 };
    const len = (digits < 0n ? -digits : digits).toString().length;
    if (len > 34) {
      const div = 10n ** BigInt(len - 34);
      let q = digits / div;
      const r = digits % div;
      const twice = (r < 0n ? -r : r) * 2n;
      if (twice > div || (twice === div && (q & 1n) === 1n)) q += digits < 0n ? -1n : 1n;
      digits = q;
      exp += len - 34;
    }
    while (digits % 10n === 0n) {
      digits /= 10n;
      exp += 1;
    }
    return { digits, exp };
  };
  const cases: Decimal[] = [
    { digits: 10n ** 34n - 1n, exp: 0 },
    { digits: 10n ** 35n - 1n, exp: -3 },
    { digits: -(10n ** 40n), exp: 2 },
    { digits: 125n * 10n ** 33n + 5n, exp: 0 },
    { digits: 7n, exp: 0 },
    { digits: -700n, exp: -5 },
  ];
  let seed = 7;
  const rnd = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31);
  for (let i = 0; i < 500; i++) {
    const len = 1 + (rnd() % 45);
    let s = "";
    for (let j = 0; j < len; j++) s += rnd() % 3 === 0 ? "0" : String(rnd() % 10);
    cases.push({ digits: (rnd() % 2 ? -1n : 1n) * BigInt(s), exp: (rnd() % 40) - 20 });
  }
  for (const c of cases) assert.deepEqual(normalizeDecimal(c), reference(c), `${c.digits}e${c.exp}`);
});
