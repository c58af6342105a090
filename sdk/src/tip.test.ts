/**
 * One tip type across the indexer and the live feed: its id, its order, and the feed's dedupe — the
 * feed is real (createTipFeed, the wire encoding the data channel carries), the notices are built as
 * watchTips builds them from logs.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { zeroAddress } from "viem";
import { type TipNotice, decodeTipNotice, encodeTipNotice } from "./streaming/protocol.ts";
import { createTipFeed } from "./streaming/tips.ts";
import { compareTips, tipId } from "./tip.ts";

const HASH_A = `0x${"ab".repeat(32)}` as const;
const HASH_B = `0x${"01".repeat(32)}` as const; // sorts before A as text, mined after it

const notice = (transactionHash: `0x${string}`, blockNumber: bigint, logIndex: number, message = ""): TipNotice => ({
  id: tipId(transactionHash, logIndex),
  transactionHash,
  blockNumber,
  logIndex,
  artist: "0x00000000000000000000000000000000000000a1",
  from: "0x00000000000000000000000000000000000000f1",
  streamId: 1n,
  token: zeroAddress,
  amount: 10n ** 18n,
  message,
});

describe("Tip", () => {
  it("has the subgraph's id: lowercase transaction hash, a dash, the log index in the block", () => {
    assert.equal(tipId(`0x${"AB".repeat(32)}`, 7n), `0x${"ab".repeat(32)}-7`);
    assert.equal(tipId(HASH_A, 0), `${HASH_A}-0`);
  });

  it("orders by block, then log index, from the fields (never from the id's text)", () => {
    const tips = [
      notice(HASH_A, 10n, 12),
      notice(HASH_B, 10n, 3),
      notice(HASH_A, 9n, 40),
      notice(HASH_B, 11n, 0),
      notice(HASH_A, 10n, 2),
    ];
    assert.deepEqual(
      [...tips].sort(compareTips).map((t) => [t.blockNumber, t.logIndex]),
      [
        [9n, 40],
        [10n, 2],
        [10n, 3],
        [10n, 12],
        [11n, 0],
      ],
    );
    assert.equal(compareTips(notice(HASH_A, 5n, 1), notice(HASH_B, 5n, 1)), 0);
    assert.ok(compareTips({ blockNumber: 2n, logIndex: 0 }, { blockNumber: 1n, logIndex: 99 }) > 0);
    assert.ok(compareTips({ blockNumber: 2n ** 70n, logIndex: 0 }, { blockNumber: 2n ** 70n + 1n, logIndex: 0 }) < 0);
  });
});

describe("live tip feed", () => {
  it("delivers each tip once, in chain order, whichever source repeats it", () => {
    const shown: string[] = [];
    const feed = createTipFeed((tip) => shown.push(tip.message));
    const first = notice(HASH_A, 10n, 2, "first");
    const second = notice(HASH_B, 10n, 5, "second");
    assert.equal(feed.push(first), true);
    // The same tip relayed by the artist over the data channel: the same id once decoded.
    const relayed = decodeTipNotice(JSON.parse(JSON.stringify(encodeTipNotice(first))));
    assert.deepEqual(relayed, first);
    assert.equal(feed.push(relayed!), false);
    assert.equal(feed.push(second), true);
    assert.equal(feed.push(notice(HASH_A, 9n, 80, "older block")), false);
    assert.equal(feed.push(notice(HASH_B, 10n, 4, "older log")), false);
    assert.equal(feed.push(notice(HASH_A, 11n, 0, "next block")), true);
    assert.deepEqual(shown, ["first", "second", "next block"]);
  });

  it("rebuilds the id from the hash and log index; drops malformed notices", () => {
    const wire = { ...encodeTipNotice(notice(HASH_A, 10n, 2)), id: "10:2" };
    assert.equal(decodeTipNotice(wire)?.id, `${HASH_A}-2`);
    for (const broken of [
      null,
      { ...wire, amount: 5 },
      { ...wire, blockNumber: "-1" },
      { ...wire, logIndex: "2" },
      { ...wire, transactionHash: "hash" },
      { ...wire, message: undefined },
    ])
      assert.equal(decodeTipNotice(broken), undefined, JSON.stringify(broken));
  });
});
