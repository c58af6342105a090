import assert from "node:assert/strict";
import { describe, it } from "node:test";
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
