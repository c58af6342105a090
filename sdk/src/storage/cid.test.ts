import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseIpfsPath, toCid } from "./cid.ts";
import { InvalidCidError } from "../errors.ts";

const v1 = "bafkreifjjcie6lypi6ny7amxnfftagclbuxndqonfipmb64f2km2devei4";

describe("CID and path parsing", () => {
  it("accepts bare CIDs, <cid>/path, /ipfs/<cid>/path and ipfs://", () => {
    assert.equal(toCid(v1).toString(), v1);
    assert.equal(toCid("QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o").version, 0);
    for (const input of [`${v1}/a/b.json`, `/ipfs/${v1}/a/b.json`, `ipfs://${v1}/a//b.json`]) {
      const { cid, path } = parseIpfsPath(input);
      assert.equal(cid.toString(), v1);
      assert.equal(path, "a/b.json");
    }
  });

  it("rejects garbage with an actionable InvalidCidError", () => {
    const err = (() => {
      try {
        toCid("not-a-cid");
      } catch (e) {
        return e;
      }
    })();
    assert.ok(err instanceof InvalidCidError);
    assert.equal(err.name, "InvalidCidError");
    assert.match(err.message, /CIDv0 \(Qm…\) or CIDv1/);
    assert.throws(() => toCid(`${v1}/with/path`), InvalidCidError);
  });
});
