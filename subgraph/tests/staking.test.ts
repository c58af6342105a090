import { afterEach, assert, clearStore, describe, test } from "matchstick-as/assembly/index";
import { handleGovernorBound, handleUnstakeRequested } from "../src/staking";
import { createEventId } from "../src/utils";
import { createGovernorBound, createUnstakeRequested, FAN, TIMESTAMP } from "./events";

const GOVERNOR = "0x00000000000000000000000000000000000000e2";

describe("StakedCore (hVOTE)", () => {
  afterEach(() => {
    clearStore();
  });

  test("GovernorBound records the governor the cooldown follows", () => {
    handleGovernorBound(createGovernorBound(GOVERNOR));
    assert.fieldEquals("Protocol", "harmonie", "stakedCoreGovernor", GOVERNOR);
  });

  test("an unstake request keeps the contract's unlock time; a top-up replaces amount and time", () => {
    // 11 days: voting period + late-quorum extension + timelock delay of the mainnet defaults.
    let unlockAt = TIMESTAMP + 11 * 86400;
    let first = createUnstakeRequested(FAN, "1000", unlockAt);
    handleUnstakeRequested(first);
    assert.fieldEquals("Account", FAN, "pendingUnstake", "1000");
    assert.fieldEquals("Account", FAN, "unstakeUnlockAt", unlockAt.toString());
    assert.fieldEquals("StakeEvent", createEventId(first), "kind", "UNSTAKE_REQUESTED");
    assert.fieldEquals("StakeEvent", createEventId(first), "unlockAt", unlockAt.toString());

    let topUp = createUnstakeRequested(FAN, "1500", unlockAt + 3600);
    handleUnstakeRequested(topUp);
    assert.fieldEquals("Account", FAN, "pendingUnstake", "1500");
    assert.fieldEquals("Account", FAN, "unstakeUnlockAt", (unlockAt + 3600).toString());
    assert.fieldEquals("StakeEvent", createEventId(topUp), "amount", "1500");
    assert.entityCount("StakeEvent", 2);
  });
});
