import { Bytes } from "@graphprotocol/graph-ts";
import { afterEach, assert, beforeEach, clearStore, describe, test } from "matchstick-as/assembly/index";
import {
  handleProposalCanceled,
  handleProposalCreated,
  handleProposalExecuted,
  handleProposalExtended,
  handleProposalGuardianSet,
  handleProposalQueued,
  handleQuorumFloorUpdated,
  handleQuorumNumeratorUpdated,
  handleVoteCast,
  handleVoteCastWithParams,
} from "../src/governor";
import { GuardianChange, Proposal, Protocol } from "../generated/schema";
import { createEventId } from "../src/utils";
import {
  ARTIST,
  at,
  COLLABORATOR,
  createProposalCanceled,
  createProposalCreated,
  createProposalGuardianSet,
  createQuorumFloorUpdated,
  createQuorumNumeratorUpdated,
  createProposalExecuted,
  createProposalExtended,
  createProposalQueued,
  createVoteCast,
  createVoteCastWithParams,
  DAY,
  FAN,
  GUARDIAN,
  OTHER_FAN,
  OTHER_GUARDIAN,
  sentBy,
  TIMESTAMP,
  ZERO_ADDRESS,
} from "./events";

const PROPOSAL = "71429718348651287543977016323425563893812763526738498410226367335486624563745";

describe("proposals", () => {
  beforeEach(() => {
    handleProposalCreated(createProposalCreated(PROPOSAL, ARTIST, 1750000060, 1750000360));
  });

  afterEach(() => {
    clearStore();
  });

  test("creation records the proposal as pending", () => {
    assert.fieldEquals("Proposal", PROPOSAL, "proposer", ARTIST);
    assert.fieldEquals("Proposal", PROPOSAL, "status", "PENDING");
    assert.fieldEquals("Proposal", PROPOSAL, "description", "Tipping fee to 3%");
    assert.fieldEquals("Proposal", PROPOSAL, "voteEnd", "1750000360");
    assert.fieldEquals("Proposal", PROPOSAL, "voteCount", "0");
    assert.entityCount("ProposalCreated", 1);
    assert.fieldEquals("Protocol", "harmonie", "proposalCount", "1");
  });

  test("votes add up per direction", () => {
    let vote = createVoteCast(FAN, PROPOSAL, 1, "600", "lower fees");
    handleVoteCast(vote);
    handleVoteCast(createVoteCast(OTHER_FAN, PROPOSAL, 0, "300", ""));
    handleVoteCastWithParams(createVoteCastWithParams(COLLABORATOR, PROPOSAL, 2, "100", Bytes.fromHexString("0xbeef")));

    assert.fieldEquals("Proposal", PROPOSAL, "forVotes", "600");
    assert.fieldEquals("Proposal", PROPOSAL, "againstVotes", "300");
    assert.fieldEquals("Proposal", PROPOSAL, "abstainVotes", "100");
    assert.fieldEquals("Proposal", PROPOSAL, "voteCount", "3");
    assert.entityCount("VoteCast", 3);
    assert.fieldEquals("VoteCast", createEventId(vote), "support", "FOR");
    assert.fieldEquals("VoteCast", createEventId(vote), "voter", FAN);
    assert.fieldEquals("VoteCast", createEventId(vote), "reason", "lower fees");
    assert.fieldEquals("ProtocolDailyStats", DAY, "votesCast", "3");
  });

  test("late quorum extends the vote, then the proposal is queued and executed", () => {
    handleProposalExtended(createProposalExtended(PROPOSAL, 1750000420));
    assert.fieldEquals("Proposal", PROPOSAL, "voteEnd", "1750000420");

    handleProposalQueued(createProposalQueued(PROPOSAL, 1750000480));
    assert.fieldEquals("Proposal", PROPOSAL, "status", "QUEUED");
    assert.fieldEquals("Proposal", PROPOSAL, "eta", "1750000480");

    handleProposalExecuted(createProposalExecuted(PROPOSAL));
    assert.fieldEquals("Proposal", PROPOSAL, "status", "EXECUTED");
  });
});

const LATER = "39867420117291736526364402616125399098143617431224196271736394846431547296093";
const FLOOR = "1000000000000000000000"; // 1,000 hVOTE
const HIGHER_FLOOR = "5000000000000000000000";

describe("quorum floor and numerator at each proposal's snapshot", () => {
  beforeEach(() => {
    // What the governor's constructor emits.
    handleQuorumNumeratorUpdated(createQuorumNumeratorUpdated(0, 4));
    handleQuorumFloorUpdated(createQuorumFloorUpdated("0", FLOOR));
  });

  afterEach(() => {
    clearStore();
  });

  test("the constructor's settings are the protocol's, and a new proposal takes them", () => {
    assert.fieldEquals("Protocol", "harmonie", "quorumFloor", FLOOR);
    assert.fieldEquals("Protocol", "harmonie", "quorumNumerator", "4");
    handleProposalCreated(createProposalCreated(PROPOSAL, ARTIST, TIMESTAMP + 60, TIMESTAMP + 360));
    assert.fieldEquals("Proposal", PROPOSAL, "quorumFloor", FLOOR);
    assert.fieldEquals("Proposal", PROPOSAL, "quorumNumerator", "4");
    assert.fieldEquals("Protocol", "harmonie", "upcomingSnapshots", "[" + PROPOSAL + "]");
  });

  test("a change applies to proposals whose snapshot is at or after it, not to earlier snapshots", () => {
    // PROPOSAL's snapshot is 60 s away, LATER's 600 s.
    handleProposalCreated(createProposalCreated(PROPOSAL, ARTIST, TIMESTAMP + 60, TIMESTAMP + 360));
    handleProposalCreated(createProposalCreated(LATER, FAN, TIMESTAMP + 600, TIMESTAMP + 900));

    // At PROPOSAL's snapshot exactly: the governor's checkpoint lookup includes it.
    handleQuorumNumeratorUpdated(at(createQuorumNumeratorUpdated(4, 10), TIMESTAMP + 60));
    assert.fieldEquals("Proposal", PROPOSAL, "quorumNumerator", "10");
    assert.fieldEquals("Proposal", LATER, "quorumNumerator", "10");

    // One second later PROPOSAL's snapshot has passed: it keeps its floor, LATER gets the new one.
    handleQuorumFloorUpdated(at(createQuorumFloorUpdated(FLOOR, HIGHER_FLOOR), TIMESTAMP + 61));
    assert.fieldEquals("Protocol", "harmonie", "quorumFloor", HIGHER_FLOOR);
    assert.fieldEquals("Proposal", PROPOSAL, "quorumFloor", FLOOR);
    assert.fieldEquals("Proposal", LATER, "quorumFloor", HIGHER_FLOOR);
    assert.fieldEquals("Proposal", LATER, "quorumNumerator", "10");
    assert.fieldEquals("Protocol", "harmonie", "upcomingSnapshots", "[" + LATER + "]");

    // After every snapshot: nothing left to update.
    handleQuorumFloorUpdated(at(createQuorumFloorUpdated(HIGHER_FLOOR, "0"), TIMESTAMP + 601));
    assert.fieldEquals("Proposal", LATER, "quorumFloor", HIGHER_FLOOR);
    assert.fieldEquals("Protocol", "harmonie", "upcomingSnapshots", "[]");
    assert.fieldEquals("Protocol", "harmonie", "quorumFloor", "0");
  });
});

describe("the proposal guardian", () => {
  afterEach(() => {
    clearStore();
  });

  test("set by the constructor, replaced, then removed: GuardianChange rows and Protocol.guardian", () => {
    let first = createProposalGuardianSet(ZERO_ADDRESS, GUARDIAN);
    handleProposalGuardianSet(first);
    assert.fieldEquals("Protocol", "harmonie", "guardian", GUARDIAN);
    assert.fieldEquals("Protocol", "harmonie", "guardianSetAt", TIMESTAMP.toString());
    assert.fieldEquals("GuardianChange", createEventId(first), "guardian", GUARDIAN);
    assert.assertTrue(Protocol.load("harmonie")!.guardian !== null);

    let replaced = at(createProposalGuardianSet(GUARDIAN, OTHER_GUARDIAN), TIMESTAMP + 100);
    handleProposalGuardianSet(replaced);
    assert.fieldEquals("Protocol", "harmonie", "guardian", OTHER_GUARDIAN);
    assert.fieldEquals("Protocol", "harmonie", "guardianSetAt", (TIMESTAMP + 100).toString());
    assert.fieldEquals("GuardianChange", createEventId(replaced), "previousGuardian", GUARDIAN);
    assert.fieldEquals("GuardianChange", createEventId(replaced), "guardian", OTHER_GUARDIAN);

    let removed = createProposalGuardianSet(OTHER_GUARDIAN, ZERO_ADDRESS);
    handleProposalGuardianSet(removed);
    assert.assertTrue(Protocol.load("harmonie")!.guardian === null);
    assert.fieldEquals("GuardianChange", createEventId(removed), "previousGuardian", OTHER_GUARDIAN);
    assert.assertTrue(GuardianChange.load(createEventId(removed))!.guardian === null);
    assert.assertTrue(GuardianChange.load(createEventId(first))!.previousGuardian === null);
    assert.entityCount("GuardianChange", 3);
    assert.entityCount("GuardianAction", 0);
  });
});

describe("who canceled a proposal", () => {
  // Voting starts 60 s after TIMESTAMP: until then the proposal is pending.
  beforeEach(() => {
    handleProposalCreated(createProposalCreated(PROPOSAL, ARTIST, TIMESTAMP + 60, TIMESTAMP + 360));
  });

  afterEach(() => {
    clearStore();
  });

  test("without a guardian, only the proposer can: PROPOSER, at any stage", () => {
    let cancel = at(createProposalCanceled(PROPOSAL), TIMESTAMP + 200);
    handleProposalCanceled(cancel);
    assert.fieldEquals("Proposal", PROPOSAL, "status", "CANCELED");
    assert.fieldEquals("Proposal", PROPOSAL, "canceledBy", "PROPOSER");
    assert.fieldEquals("Proposal", PROPOSAL, "canceledAt", (TIMESTAMP + 200).toString());
    assert.fieldEquals("Proposal", PROPOSAL, "canceledTransaction", cancel.transaction.hash.toHexString());
    assert.entityCount("GuardianAction", 0);
  });

  test("with a guardian, once voting has started only the guardian can: GUARDIAN, whoever sent it", () => {
    handleProposalGuardianSet(createProposalGuardianSet(ZERO_ADDRESS, GUARDIAN));
    // Relayed: neither the sender nor the recipient is the guardian; the timing decides.
    let cancel = at(sentBy(createProposalCanceled(PROPOSAL), FAN, OTHER_FAN), TIMESTAMP + 61);
    handleProposalCanceled(cancel);
    assert.fieldEquals("Proposal", PROPOSAL, "canceledBy", "GUARDIAN");
    let action = createEventId(cancel);
    assert.fieldEquals("GuardianAction", action, "kind", "CANCEL");
    assert.fieldEquals("GuardianAction", action, "guardian", GUARDIAN);
    assert.fieldEquals("GuardianAction", action, "proposal", PROPOSAL);
    assert.fieldEquals("GuardianAction", action, "timestamp", (TIMESTAMP + 61).toString());
  });

  test("while pending, the proposer's own transaction is PROPOSER", () => {
    handleProposalGuardianSet(createProposalGuardianSet(ZERO_ADDRESS, GUARDIAN));
    handleProposalCanceled(at(sentBy(createProposalCanceled(PROPOSAL), ARTIST, FAN), TIMESTAMP + 60));
    assert.fieldEquals("Proposal", PROPOSAL, "canceledBy", "PROPOSER");
    assert.entityCount("GuardianAction", 0);
  });

  test("while pending, a transaction to the guardian multisig is GUARDIAN", () => {
    handleProposalGuardianSet(createProposalGuardianSet(ZERO_ADDRESS, GUARDIAN));
    handleProposalCanceled(sentBy(createProposalCanceled(PROPOSAL), FAN, GUARDIAN));
    assert.fieldEquals("Proposal", PROPOSAL, "canceledBy", "GUARDIAN");
    assert.entityCount("GuardianAction", 1);
  });

  test("while pending, a transaction naming neither is left unknown", () => {
    handleProposalGuardianSet(createProposalGuardianSet(ZERO_ADDRESS, GUARDIAN));
    handleProposalCanceled(sentBy(createProposalCanceled(PROPOSAL), FAN, OTHER_FAN));
    assert.fieldEquals("Proposal", PROPOSAL, "status", "CANCELED");
    assert.assertTrue(Proposal.load(PROPOSAL)!.canceledBy === null);
    assert.entityCount("GuardianAction", 0);
  });
});
