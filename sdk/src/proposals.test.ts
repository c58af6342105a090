import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { type Address, decodeFunctionData, getAddress, parseEther, zeroAddress } from "viem";
import type { ContractName, Deployment } from "./deployments.ts";
import { InvalidInputError, InvalidIsrcError, InvalidRegistrantCodeError } from "./errors.ts";
import { contentRegistryAbi, harmonieTippingAbi } from "./generated/abis.ts";
import { protocolLimits } from "./generated/protocol.ts";
import { trackIdFromIsrc } from "./isrc.ts";
import {
  describeProposal,
  planProposal,
  PROPOSAL_KINDS,
  type ProposalInput,
  sentenceText,
  type SentencePart,
  settingChange,
} from "./proposals.ts";

// Encoding and decoding need addresses, not a chain: each contract gets a distinct one. The DAO CLI's
// tests (test/dao.test.ts) pass the same plans through a real governor, timelock and execution.
const NAMES: ContractName[] = [
  "HarmonieTipping",
  "ContentRegistry",
  "ArtistProfiles",
  "LiveStreams",
  "StakedCore",
  "HarmonieGovernor",
  "TimelockController",
];
const deployment: Deployment = {
  chainId: 31337,
  contracts: Object.fromEntries(
    NAMES.map((name, i) => [name, { address: getAddress(`0x${String(i + 1).repeat(40)}`), blockNumber: 1 }]),
  ) as Deployment["contracts"],
};
const nova = getAddress("0x000000000000000000000000000000000000a11e");
const label = getAddress("0x000000000000000000000000000000000000beef");
const usdc = { address: getAddress("0x000000000000000000000000000000000000cafe"), symbol: "USDC", decimals: 6 };
const vectors = JSON.parse(readFileSync(new URL("../../test/vectors/isrc.json", import.meta.url), "utf8"));

/** The plan's actions read back the way voters see them, with accounts and tokens by name. */
function voterText(input: ProposalInput): string {
  const plan = planProposal(deployment, input);
  const names = {
    account: (a: Address) => (a === nova ? "@nova" : a === label ? "@label" : a),
    token: (t: Address, amount?: bigint) =>
      t === usdc.address ? (amount === undefined ? "USDC" : `${Number(amount) / 1e6} USDC`) : t,
  };
  return describeProposal(deployment, plan)
    .map((action) => sentenceText(action.sentence as SentencePart[], names))
    .join("; ");
}

describe("proposals: planned in domain terms, read back in the words voters use", () => {
  const cases: [ProposalInput, string, RegExp][] = [
    [{ kind: "tip-fee", bps: 200 }, "Set the tipping fee to 2%", /^Set the platform fee on tips to 2% \(200 basis/],
    [{ kind: "license-fee", bps: 450 }, "Set the licence fee to 4.5%", /licence sales to 4.5%/],
    [
      { kind: "flag", isrc: "us-rc1-76-07839", reason: "sampled without clearance" },
      "Flag US-RC1-76-07839 as disputed: sampled without clearance",
      /^Flag track US-RC1-76-07839 as disputed \(sampled without clearance\): it is frozen/,
    ],
    [
      { kind: "unflag", trackId: trackIdFromIsrc("GBAYE0601498") },
      "Lift the dispute flag on GB-AYE-06-01498",
      /^Lift the dispute flag on track GB-AYE-06-01498\.$/,
    ],
    [{ kind: "revoke", isrc: "USRC17607839", reason: "stolen" }, "Revoke US-RC1-76-07839: stolen", /stops selling/],
    [
      { kind: "reassign", isrc: "USRC17607839", artist: nova, reason: "the rightful artist" },
      "Reassign US-RC1-76-07839 to @nova: the rightful artist",
      /^Reassign track US-RC1-76-07839 to 0x0+A11e with new splits \(the rightful artist\)/i,
    ],
    [
      {
        kind: "reassign",
        isrc: "USRC17607839",
        artist: nova,
        splits: [
          { recipient: nova, bps: 8_000 },
          { recipient: label, bps: 2_000 },
        ],
        metadataCid: "bafkreifjjcie6lypi6ny7amxnfftagclbuxndqonfipmb64f2km2devei4",
        reason: "label deal",
      },
      "Reassign US-RC1-76-07839 to @nova with splits @nova 80%, @label 20% and new metadata: label deal",
      /label deal/,
    ],
    [{ kind: "registrant", code: "us-rc1", registrant: label }, "Give registrant code US-RC1 to @label", /need its/],
    [
      { kind: "registrant", code: "USRC1", registrant: zeroAddress },
      "Take registrant code US-RC1 back (unclaimed)",
      /^Unclaim registrant code US-RC1: its ISRCs become first-come again/,
    ],
    [
      { kind: "grant", to: nova, amount: parseEther("12.5") },
      "Send 12.5 CORE from the treasury to @nova",
      /^Pay a grant of 12.5 CORE from the treasury to 0x/,
    ],
    [{ kind: "pause", contract: "profiles" }, "Pause artist profiles", /^Pause artist profiles until a later/],
    [{ kind: "unpause", contract: "live" }, "Unpause live sessions", /^Unpause live sessions\.$/],
    [{ kind: "guardian", guardian: label }, "Set the guardian to @label", /the guardian: it can cancel any proposal/],
    [{ kind: "guardian", guardian: zeroAddress }, "Remove the guardian", /^Remove the guardian: only the timelock/],
    [
      { kind: "quorum-floor", votes: parseEther("100000") },
      "Require at least 100000 votes for a proposal to pass",
      /^Require at least 100000 votes \(for or abstain\)/,
    ],
    [
      { kind: "allow-token", token: usdc, minimum: 500_000n },
      "Allow USDC for tips and licences (minimum tip 0.5 USDC)",
      /^Accept USDC \(0x0+CAfE\) for tips, with a minimum tip of 0.5 USDC\.$/i,
    ],
    [{ kind: "remove-token", token: usdc }, "Stop accepting USDC for tips and licences", /can still be withdrawn/],
  ];

  for (const [input, sentence, summary] of cases) {
    it(`${input.kind}: "${sentence}"`, () => {
      assert.equal(voterText(input), sentence);
      assert.match(planProposal(deployment, input).summary, summary);
    });
  }

  it("a fee change reads before → after when the value in force is known, and not once executed", () => {
    const [action] = describeProposal(deployment, planProposal(deployment, { kind: "tip-fee", bps: 200 }));
    const parts = action!.sentence as SentencePart[];
    assert.equal(sentenceText(parts, { setting: () => 250 }), "Set the tipping fee 2.5% → 2%");
    assert.equal(sentenceText(parts, { setting: () => 200 }), "Set the tipping fee to 2%");
    assert.equal(sentenceText(parts), "Set the tipping fee to 2%");
    const [licence] = describeProposal(deployment, planProposal(deployment, { kind: "license-fee", bps: 450 }));
    assert.equal(
      sentenceText(licence!.sentence as SentencePart[], { setting: (s) => (s === "licenceFee" ? 500 : undefined) }),
      "Set the licence fee 5% → 4.5%",
    );
    assert.equal(settingChange(100, 1_000), "10% → 1%");
  });

  it("covers every kind it offers", () => {
    assert.deepEqual(new Set(cases.map(([input]) => input.kind)), new Set(Object.keys(PROPOSAL_KINDS)));
  });

  it("a grant is a plain CORE transfer from the treasury: no calldata", () => {
    const plan = planProposal(deployment, { kind: "grant", to: nova, amount: 5n });
    assert.deepEqual(plan, { ...plan, targets: [nova], values: [5n], calldatas: ["0x"] });
  });

  it("fees up to each contract's cap (read from its source) pass; one basis point more does not", () => {
    for (const [kind, contract, abi] of [
      ["tip-fee", "HarmonieTipping", harmonieTippingAbi],
      ["license-fee", "ContentRegistry", contentRegistryAbi],
    ] as const) {
      const cap = protocolLimits[contract].MAX_FEE_BPS;
      const plan = planProposal(deployment, { kind, bps: cap });
      assert.equal(plan.targets[0], deployment.contracts[contract].address);
      assert.deepEqual(decodeFunctionData({ abi, data: plan.calldatas[0]! }).args, [cap]);
      for (const bps of [cap + 1, -1, 2.5, Number.NaN]) {
        assert.throws(() => planProposal(deployment, { kind, bps }), InvalidInputError, `${kind} ${bps}`);
      }
    }
  });

  it("every ISRC form the SDK accepts names the same track; invalid ones never reach a vote", () => {
    for (const { input, canonical } of vectors.isrc.aliases) {
      assert.deepEqual(
        planProposal(deployment, { kind: "unflag", isrc: input }).calldatas,
        planProposal(deployment, { kind: "unflag", isrc: canonical }).calldatas,
      );
    }
    for (const input of vectors.isrc.invalid) {
      assert.throws(() => planProposal(deployment, { kind: "unflag", isrc: input }), InvalidIsrcError, input);
    }
    for (const input of vectors.registrantCode.invalid) {
      assert.throws(
        () => planProposal(deployment, { kind: "registrant", code: input, registrant: label }),
        InvalidRegistrantCodeError,
        input,
      );
    }
  });

  it("refuses what would fail at execution: no reason, bad addresses, empty grants, bad splits, zero minimums", () => {
    const bad: ProposalInput[] = [
      { kind: "flag", isrc: "USRC17607839", reason: "  " },
      { kind: "revoke", isrc: "USRC17607839", reason: "" },
      { kind: "reassign", isrc: "USRC17607839", artist: "0x123" as Address, reason: "r" },
      { kind: "reassign", isrc: "USRC17607839", artist: nova, reason: "" },
      { kind: "reassign", isrc: "USRC17607839", artist: nova, reason: "r", splits: [{ recipient: nova, bps: 5_000 }] },
      { kind: "grant", to: nova, amount: 0n },
      { kind: "grant", to: "nova" as Address, amount: 1n },
      { kind: "guardian", guardian: "0xguardian" as Address },
      { kind: "quorum-floor", votes: -1n },
      { kind: "allow-token", token: usdc, minimum: 0n },
      { kind: "pause", contract: "tipping" as "live" },
      { kind: "mint" } as unknown as ProposalInput,
    ];
    for (const input of bad) assert.throws(() => planProposal(deployment, input), InvalidInputError, input.kind);
  });

  it("a call it has no sentence for is shown as code, an unknown target by address", () => {
    const [known, unknown] = describeProposal(deployment, {
      targets: [deployment.contracts.HarmonieTipping.address, nova],
      values: [0n, 0n],
      calldatas: ["0x3ccfd60b", "0x12345678"],
    });
    assert.equal(known!.call, undefined);
    assert.match(sentenceText(known!.sentence), /^Call HarmonieTipping with data 0x3ccfd60b/);
    assert.equal(sentenceText(unknown!.sentence), `Call ${nova} with data 0x12345678…`);
  });
});
