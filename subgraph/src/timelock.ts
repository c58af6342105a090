import { store } from "@graphprotocol/graph-ts";
import {
  CallExecuted,
  CallSalt,
  CallScheduled,
  Cancelled,
  MinDelayChange,
  RoleGranted,
  RoleRevoked,
} from "../generated/TimelockController/TimelockController";
import { TimelockCall, TimelockOperation, TimelockRole } from "../generated/schema";
import { loadProtocol } from "./utils";

// TimelockController: the treasury and the protocol's only admin. Operations scheduled by the
// governor are queued proposals; join them through Proposal.queuedTransaction = scheduledTransaction.

/** Names of the roles the deployment uses (their hashes are keccak256 of `<NAME>_ROLE`; admin is 0). */
function roleName(role: string): string {
  if (role == "0x0000000000000000000000000000000000000000000000000000000000000000") return "DEFAULT_ADMIN";
  if (role == "0xb09aa5aeb3702cfd50b6b62bc4532604938f21248a27a1d5ca736082b6819cc1") return "PROPOSER";
  if (role == "0xd8aa0f3194971a2a116679f7c2090f6939c8d4e01a2a8d7e41d55e5351469e63") return "EXECUTOR";
  if (role == "0xfd643c72710c63c0180259aba6b2d05451e3591a24e58b62239378085726f783") return "CANCELLER";
  return role;
}

export function handleCallScheduled(event: CallScheduled): void {
  // One event per call of the batch, all with the same operation fields. A cancelled operation can
  // be scheduled again under the same id, so every field is (re)set rather than kept.
  let id = event.params.id.toHexString();
  let operation = TimelockOperation.load(id);
  if (operation == null) operation = new TimelockOperation(id);
  operation.predecessor = event.params.predecessor;
  operation.delay = event.params.delay;
  operation.status = "SCHEDULED";
  operation.scheduledAt = event.block.timestamp;
  operation.readyAt = event.block.timestamp.plus(event.params.delay);
  operation.scheduledTransaction = event.transaction.hash;
  operation.salt = null; // CallSalt follows the last CallScheduled when the salt is not zero
  operation.executedAt = null;
  operation.cancelledAt = null;
  operation.save();

  let call = new TimelockCall(id + "-" + event.params.index.toString());
  call.operation = id;
  call.index = event.params.index.toI32();
  call.target = event.params.target;
  call.value = event.params.value;
  call.data = event.params.data;
  call.save();
}

export function handleCallSalt(event: CallSalt): void {
  let operation = TimelockOperation.load(event.params.id.toHexString())!;
  operation.salt = event.params.salt;
  operation.save();
}

export function handleCallExecuted(event: CallExecuted): void {
  // One event per call; the first marks the operation executed, the rest change nothing.
  let operation = TimelockOperation.load(event.params.id.toHexString())!;
  operation.status = "EXECUTED";
  operation.executedAt = event.block.timestamp;
  operation.save();
}

export function handleCancelled(event: Cancelled): void {
  let operation = TimelockOperation.load(event.params.id.toHexString())!;
  operation.status = "CANCELLED";
  operation.cancelledAt = event.block.timestamp;
  operation.save();
}

export function handleMinDelayChange(event: MinDelayChange): void {
  let protocol = loadProtocol();
  protocol.timelockMinDelay = event.params.newDuration;
  protocol.save();
}

export function handleRoleGranted(event: RoleGranted): void {
  let role = event.params.role.toHexString();
  let member = new TimelockRole(role + "-" + event.params.account.toHexString());
  member.role = event.params.role;
  member.name = roleName(role);
  member.account = event.params.account;
  member.grantedAt = event.block.timestamp;
  member.save();
}

export function handleRoleRevoked(event: RoleRevoked): void {
  store.remove("TimelockRole", event.params.role.toHexString() + "-" + event.params.account.toHexString());
}
