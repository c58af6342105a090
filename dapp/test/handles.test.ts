/** The dApp's copy of the handle rule (src/lib/handles.ts) agrees with the SDK's `isValidHandle`. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { isValidHandle as sdkRule } from "@harmonie/sdk";
import { isValidHandle } from "../src/lib/handles.ts";

test("the dApp's handle rule is the SDK's", () => {
  const samples = ["", "a", "ab", "abc", "nova", "n0va", "no_va", "Nova", "nova!", "nov a", "ñova", "@nova"];
  samples.push("x".repeat(31), "x".repeat(32), "x".repeat(33), "1".repeat(3), "_".repeat(40));
  for (const handle of samples) assert.equal(isValidHandle(handle), sdkRule(handle), JSON.stringify(handle));
});
