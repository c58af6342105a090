import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { Validator, type Schema } from "@cfworker/json-schema";
import { InvalidIsrcError, InvalidRegistrantCodeError } from "./errors.ts";
import {
  formatIsrc,
  formatRegistrantCode,
  isrcFromTrackId,
  isValidIsrc,
  isValidRegistrantCode,
  licenseTokenId,
  parseIsrc,
  registrantCodeOf,
  trackIdFromIsrc,
} from "./isrc.ts";
import trackSchema from "./storage/schemas/track-metadata.schema.json" with { type: "json" };

interface VectorSet {
  canonical: string[];
  aliases: { input: string; canonical: string }[];
  invalid: string[];
}
/** The cases the contract's ISRC library, this SDK, the metadata schema and the DAO CLI all check. */
const vectors = JSON.parse(readFileSync(new URL("../../test/vectors/isrc.json", import.meta.url), "utf8")) as {
  isrc: VectorSet;
  registrantCode: VectorSet;
};

describe("shared ISRC vectors (test/vectors/isrc.json)", () => {
  const schemaIsrc = new Validator((trackSchema as { properties: { isrc: Schema } }).properties.isrc, "2020-12");

  it("canonical ISRCs are valid, unchanged by formatting, and round-trip through the track id", () => {
    for (const isrc of vectors.isrc.canonical) {
      assert.ok(isValidIsrc(isrc), isrc);
      assert.equal(formatIsrc(isrc), isrc);
      assert.equal(isrcFromTrackId(trackIdFromIsrc(isrc)), isrc);
      assert.ok(schemaIsrc.validate(isrc).valid, `the metadata schema refuses ${isrc}`);
    }
  });

  it("aliases normalise to their canonical form; the schema, like the contract, takes only that form", () => {
    for (const { input, canonical } of vectors.isrc.aliases) {
      assert.equal(formatIsrc(input), canonical, JSON.stringify(input));
      assert.equal(trackIdFromIsrc(input), trackIdFromIsrc(canonical));
      assert.ok(!schemaIsrc.validate(input).valid, `the metadata schema accepts ${JSON.stringify(input)}`);
    }
  });

  it("invalid ISRCs are refused by the SDK (a typed error) and by the schema", () => {
    for (const input of vectors.isrc.invalid) {
      assert.ok(!isValidIsrc(input), JSON.stringify(input));
      assert.throws(() => parseIsrc(input), InvalidIsrcError, JSON.stringify(input));
      assert.ok(!schemaIsrc.validate(input).valid, `the metadata schema accepts ${JSON.stringify(input)}`);
    }
  });

  it("registrant codes: canonical kept, aliases normalised, invalid refused", () => {
    for (const code of vectors.registrantCode.canonical) assert.equal(formatRegistrantCode(code), code);
    for (const { input, canonical } of vectors.registrantCode.aliases)
      assert.equal(formatRegistrantCode(input), canonical, JSON.stringify(input));
    for (const input of vectors.registrantCode.invalid) {
      assert.ok(!isValidRegistrantCode(input), JSON.stringify(input));
      assert.throws(() => formatRegistrantCode(input), InvalidRegistrantCodeError, JSON.stringify(input));
    }
  });
});

describe("ISRC helpers", () => {
  it("parses plain and hyphenated forms in any case", () => {
    const expected = { country: "US", registrant: "RC1", year: "76", designation: "07839" };
    assert.deepEqual(parseIsrc("USRC17607839"), expected);
    assert.deepEqual(parseIsrc("us-rc1-76-07839"), expected);
    assert.deepEqual(parseIsrc(" US-RC1-76-07839 "), expected);
  });

  it("formats canonically for the contract and hyphenated for people", () => {
    assert.equal(formatIsrc("us-rc1-76-07839"), "USRC17607839");
    assert.equal(formatIsrc("USRC17607839", { hyphens: true }), "US-RC1-76-07839");
  });

  for (const bad of [
    "",
    "USRC1760783",
    "USRC176078390",
    "U1RC17607839",
    "USR_17607839",
    "USRC1A607839",
    "US-RC1-76-0783X",
    "US--RC176-07839",
  ]) {
    it(`rejects "${bad}" with InvalidIsrcError`, () => {
      assert.equal(isValidIsrc(bad), false);
      assert.throws(
        () => parseIsrc(bad),
        (error: unknown) => error instanceof InvalidIsrcError && error.name === "InvalidIsrcError",
      );
    });
  }

  it("packs an ISRC into the contract's track id and back", () => {
    // The contract stores uint96(bytes12(isrc)): the ASCII bytes, big-endian.
    const id = trackIdFromIsrc("US-RC1-76-07839");
    assert.equal(id, BigInt(`0x${Buffer.from("USRC17607839").toString("hex")}`));
    assert.equal(isrcFromTrackId(id), "USRC17607839");
    assert.throws(() => isrcFromTrackId(42n), InvalidIsrcError);
    assert.equal(licenseTokenId(id, 3), (id << 32n) | 3n);
  });

  it("normalises registrant codes (an ISRC's first two parts) for the contract and for people", () => {
    assert.equal(formatRegistrantCode("US-RC1"), "USRC1");
    assert.equal(formatRegistrantCode(" us-rc1 "), "USRC1");
    assert.equal(formatRegistrantCode("USRC1", { hyphens: true }), "US-RC1");
    assert.equal(registrantCodeOf("us-rc1-76-07839"), "USRC1");
    assert.throws(() => registrantCodeOf("USRC1"), InvalidIsrcError);
    for (const bad of ["", "USRC", "USRC12", "U1RC1", "US-R_1", "US--RC1", "USRC17607839"]) {
      assert.equal(isValidRegistrantCode(bad), false, bad);
      assert.throws(
        () => formatRegistrantCode(bad),
        (error: unknown) => error instanceof InvalidRegistrantCodeError && error.input === bad,
      );
    }
  });
});
