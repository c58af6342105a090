// The fast event decoder (src/abi.ts) must decode exactly what viem decodes, and leave to viem
// (null) whatever viem might reject.
import assert from "node:assert/strict";
import { test } from "node:test";
import { decodeAbiParameters, encodeAbiParameters, type AbiParameter } from "viem";
import { decodeFast, fastDecodable } from "../src/abi.ts";

/** viem's values in the fast decoder's representation: bytes as Uint8Array, numbers as bigint. */
function normalise(params: readonly AbiParameter[], values: readonly unknown[]): unknown[] {
  return values.map((v, i) => {
    const t = params[i].type;
    if (t === "address" || t.startsWith("bytes")) return new Uint8Array(Buffer.from((v as string).slice(2), "hex"));
    if (t.includes("int")) return BigInt(v as number | bigint);
    return v;
  });
}

test("decodeFast decodes top-level static values, strings and bytes as viem does", () => {
  const params: AbiParameter[] = [
    { type: "address", name: "a" },
    { type: "bool", name: "b" },
    { type: "uint256", name: "c" },
    { type: "uint8", name: "d" },
    { type: "int256", name: "e" },
    { type: "int32", name: "f" },
    { type: "bytes32", name: "g" },
    { type: "bytes4", name: "h" },
    { type: "string", name: "i" },
    { type: "bytes", name: "j" },
    { type: "string", name: "k" },
  ];
  assert.ok(fastDecodable(params));
  const cases: unknown[][] = [
    [
      "0x00000000000000000000000000000000000000aa",
      true,
      2n ** 256n - 1n,
      255,
      -(2n ** 255n),
      -1,
      "0x" + "ab".repeat(32),
      "0x01020304",
      "héllo 🎉",
      "0xdeadbeef",
      "",
    ],
    [
      "0xabcdef0000000000000000000000000000000001",
      false,
      0n,
      0,
      5n,
      2 ** 31 - 1,
      "0x" + "00".repeat(32),
      "0x00000000",
      "x".repeat(1000),
      "0x",
      "a",
    ],
  ];
  for (const values of cases) {
    const data = encodeAbiParameters(params, values as never);
    assert.deepEqual(decodeFast(params, data), normalise(params, decodeAbiParameters(params, data)));
  }
  // Invalid UTF-8 becomes replacement characters, as with viem's TextDecoder.
  const s = [{ type: "string" }] as const;
  const bad = "0x" + "20".padStart(64, "0") + "2".padStart(64, "0") + "ff80".padEnd(64, "0");
  assert.deepEqual(decodeFast(s, bad), decodeAbiParameters(s, bad as `0x${string}`));
});

test("decodeFast leaves to viem what viem may reject or what it does not handle", () => {
  const u = [{ type: "uint256" }] as const;
  const word = "1".padStart(64, "0");
  for (const data of ["0x", "0x" + word.slice(2), "0x" + word + "0", "0x" + word.slice(1) + "g", word]) {
    assert.equal(decodeFast(u, data), null, data);
  }
  // A bool word other than 0 or 1 (viem throws InvalidBytesBooleanError).
  assert.equal(decodeFast([{ type: "bool" }], "0x" + "2".padStart(64, "0")), null);
  assert.throws(() => decodeAbiParameters([{ type: "bool" }], ("0x" + "2".padStart(64, "0")) as `0x${string}`));
  // Offsets and lengths beyond the data.
  const s = [{ type: "string" }] as const;
  assert.equal(decodeFast(s, "0x" + "40".padStart(64, "0")), null);
  assert.equal(decodeFast(s, "0x" + "20".padStart(64, "0") + "21".padStart(64, "0") + "0".repeat(64)), null);
  assert.equal(decodeFast(s, "0x" + "f".repeat(64)), null);
  // Arrays, tuples and other types are viem's.
  assert.equal(fastDecodable([{ type: "uint256[]" }]), false);
  assert.equal(fastDecodable([{ type: "tuple", components: [] }]), false);
  assert.equal(fastDecodable([{ type: "bytes33" }]), false);
});
