import { afterEach, assert, beforeEach, clearStore, describe, test } from "matchstick-as/assembly/index";
import { PauseChange } from "../generated/schema";
import { handleProposalGuardianSet, handleTimelockChange } from "../src/governor";
import { handlePaused as handleLivePaused, handleUnpaused as handleLiveUnpaused } from "../src/live";
import { handlePaused as handleProfilesPaused } from "../src/profiles";
import { handlePaused as handleRegistryPaused, handleUnpaused as handleRegistryUnpaused } from "../src/registry";
import { createEventId } from "../src/utils";
import {
  createLivePaused,
  createLiveUnpaused,
  createProfilesPaused,
  createProposalGuardianSet,
  createRegistryPaused,
  createRegistryUnpaused,
  createTimelockChange,
  GUARDIAN,
  LIVE_ADDRESS,
  OTHER_GUARDIAN,
  PROFILES_ADDRESS,
  REGISTRY_ADDRESS,
  TIMELOCK,
  ZERO_ADDRESS,
} from "./events";

describe("pauses: the guardian's emergency brake and the timelock's", () => {
  beforeEach(() => {
    // What the governor's constructor emits.
    handleTimelockChange(createTimelockChange(ZERO_ADDRESS, TIMELOCK));
    handleProposalGuardianSet(createProposalGuardianSet(ZERO_ADDRESS, GUARDIAN));
  });

  afterEach(() => {
    clearStore();
  });

  test("the guardian pauses the registry: an emergency pause and a guardian action; the timelock unpauses", () => {
    let pause = createRegistryPaused(GUARDIAN);
    handleRegistryPaused(pause);
    let id = createEventId(pause);
    assert.fieldEquals("Protocol", "harmonie", "registryPaused", "true");
    assert.fieldEquals("PauseChange", id, "contract", "REGISTRY");
    assert.fieldEquals("PauseChange", id, "address", REGISTRY_ADDRESS);
    assert.fieldEquals("PauseChange", id, "paused", "true");
    assert.fieldEquals("PauseChange", id, "by", GUARDIAN);
    assert.fieldEquals("PauseChange", id, "authority", "GUARDIAN");
    assert.fieldEquals("GuardianAction", id, "kind", "PAUSE");
    assert.fieldEquals("GuardianAction", id, "guardian", GUARDIAN);
    assert.fieldEquals("GuardianAction", id, "contract", "REGISTRY");
    assert.fieldEquals("GuardianAction", id, "pause", id);

    let unpause = createRegistryUnpaused(TIMELOCK);
    handleRegistryUnpaused(unpause);
    assert.fieldEquals("Protocol", "harmonie", "registryPaused", "false");
    assert.fieldEquals("PauseChange", createEventId(unpause), "paused", "false");
    assert.fieldEquals("PauseChange", createEventId(unpause), "authority", "GOVERNANCE");
    assert.entityCount("PauseChange", 2);
    assert.entityCount("GuardianAction", 1);
  });

  test("a pause by the timelock is governance's, on each contract", () => {
    let profiles = createProfilesPaused(TIMELOCK);
    handleProfilesPaused(profiles);
    let live = createLivePaused(TIMELOCK);
    handleLivePaused(live);
    assert.fieldEquals("Protocol", "harmonie", "profilesPaused", "true");
    assert.fieldEquals("Protocol", "harmonie", "livePaused", "true");
    assert.fieldEquals("Protocol", "harmonie", "registryPaused", "false");
    assert.fieldEquals("PauseChange", createEventId(profiles), "contract", "PROFILES");
    assert.fieldEquals("PauseChange", createEventId(profiles), "address", PROFILES_ADDRESS);
    assert.fieldEquals("PauseChange", createEventId(profiles), "authority", "GOVERNANCE");
    assert.fieldEquals("PauseChange", createEventId(live), "contract", "LIVE");
    assert.fieldEquals("PauseChange", createEventId(live), "address", LIVE_ADDRESS);
    assert.fieldEquals("PauseChange", createEventId(live), "authority", "GOVERNANCE");
    assert.entityCount("GuardianAction", 0);
  });

  test("the guardian at the time of the pause counts: a replaced guardian's successor", () => {
    handleProposalGuardianSet(createProposalGuardianSet(GUARDIAN, OTHER_GUARDIAN));
    let pause = createLivePaused(OTHER_GUARDIAN);
    handleLivePaused(pause);
    assert.fieldEquals("PauseChange", createEventId(pause), "authority", "GUARDIAN");
    assert.fieldEquals("GuardianAction", createEventId(pause), "guardian", OTHER_GUARDIAN);
    handleLiveUnpaused(createLiveUnpaused(TIMELOCK));
    assert.fieldEquals("Protocol", "harmonie", "livePaused", "false");

    // With the guardian removed, every pause is the timelock's.
    handleProposalGuardianSet(createProposalGuardianSet(OTHER_GUARDIAN, ZERO_ADDRESS));
    let later = createRegistryPaused(TIMELOCK);
    handleRegistryPaused(later);
    assert.fieldEquals("PauseChange", createEventId(later), "authority", "GOVERNANCE");
    assert.entityCount("GuardianAction", 1);
  });

  test("a guardian that is the timelock itself pauses as governance", () => {
    handleProposalGuardianSet(createProposalGuardianSet(GUARDIAN, TIMELOCK));
    let pause = createRegistryPaused(TIMELOCK);
    handleRegistryPaused(pause);
    let row = PauseChange.load(createEventId(pause))!;
    assert.stringEquals(row.authority, "GOVERNANCE");
    assert.entityCount("GuardianAction", 0);
  });
});
