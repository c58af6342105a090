import { Bytes } from "@graphprotocol/graph-ts";
import { afterEach, assert, beforeEach, clearStore, describe, test } from "matchstick-as/assembly/index";
import {
  handleProposalCreated,
  handleProposalExecuted,
  handleProposalExtended,
  handleProposalQueued,
  handleVoteCast,
  handleVoteCastWithParams,
} from "../src/governor";
import { createEventId } from "../src/utils";
import {
  ARTIST,
  COLLABORATOR,
  createProposalCreated,
  createProposalExecuted,
  createProposalExtended,
  createProposalQueued,
  createVoteCast,
  createVoteCastWithParams,
  DAY,
  FAN,
  OTHER_FAN,
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
