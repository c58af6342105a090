import { Address, BigInt, ethereum } from "@graphprotocol/graph-ts";
import {
  DelegateChanged,
  DelegateVotesChanged,
  GovernorBound,
  Staked,
  Transfer,
  UnstakeCancelled,
  Unstaked,
  UnstakeRequested,
} from "../generated/StakedCore/StakedCore";
import { Delegate, StakeEvent } from "../generated/schema";
import { createEventId, loadOrCreateAccount, loadProtocol, setEventFields } from "./utils";

// StakedCore (hVOTE): balances come from Transfer, voting power from the ERC20Votes events; the
// staking events only add history and the pending unstake. UnstakeRequested carries the unlock time the
// contract computed (its cooldown covers the bound governor's vote lifetime and timelock delay).

export function handleStaked(event: Staked): void {
  newStakeEvent(event, event.params.account, "STAKED", event.params.amount).save();
}

export function handleUnstakeRequested(event: UnstakeRequested): void {
  let account = loadOrCreateAccount(event.params.account);
  account.pendingUnstake = event.params.amount; // the whole pending amount: requests add up
  account.unstakeUnlockAt = event.params.unlockAt;
  account.save();

  let row = newStakeEvent(event, event.params.account, "UNSTAKE_REQUESTED", event.params.amount);
  row.unlockAt = event.params.unlockAt;
  row.save();
}

export function handleUnstakeCancelled(event: UnstakeCancelled): void {
  clearPendingUnstake(event.params.account);
  newStakeEvent(event, event.params.account, "UNSTAKE_CANCELLED", event.params.amount).save();
}

export function handleUnstaked(event: Unstaked): void {
  clearPendingUnstake(event.params.account);
  newStakeEvent(event, event.params.account, "UNSTAKED", event.params.amount).save();
}

export function handleGovernorBound(event: GovernorBound): void {
  let protocol = loadProtocol();
  protocol.stakedCoreGovernor = event.params.governor;
  protocol.save();
}

export function handleTransfer(event: Transfer): void {
  let value = event.params.value;
  // Mints and burns (stake, completed unstake) change the supply; everything else moves balances.
  if (event.params.from.equals(Address.zero()) || event.params.to.equals(Address.zero())) {
    let protocol = loadProtocol();
    protocol.stakedSupply = event.params.from.equals(Address.zero())
      ? protocol.stakedSupply.plus(value)
      : protocol.stakedSupply.minus(value);
    protocol.save();
  }
  if (!event.params.from.equals(Address.zero())) {
    let from = loadOrCreateAccount(event.params.from);
    from.stCoreBalance = from.stCoreBalance.minus(value);
    from.save();
  }
  if (!event.params.to.equals(Address.zero())) {
    let to = loadOrCreateAccount(event.params.to);
    to.stCoreBalance = to.stCoreBalance.plus(value);
    to.save();
  }
}

export function handleDelegateChanged(event: DelegateChanged): void {
  if (!event.params.fromDelegate.equals(Address.zero())) {
    let previous = loadOrCreateDelegate(event.params.fromDelegate);
    previous.delegatorCount -= 1;
    previous.save();
  }
  let delegateId: string | null = null;
  if (!event.params.toDelegate.equals(Address.zero())) {
    let next = loadOrCreateDelegate(event.params.toDelegate);
    next.delegatorCount += 1;
    next.save();
    delegateId = next.id;
  }
  // After the delegates: delegating to oneself, the delegate loader saves the same account.
  let delegator = loadOrCreateAccount(event.params.delegator);
  delegator.delegate = delegateId;
  delegator.save();
}

export function handleDelegateVotesChanged(event: DelegateVotesChanged): void {
  let delegate = loadOrCreateDelegate(event.params.delegate);
  delegate.delegatedVotes = event.params.newVotes;
  delegate.save();
}

/** An unsaved StakeEvent row (the caller may add `unlockAt`: an immutable row is saved once). */
function newStakeEvent(event: ethereum.Event, account: Address, kind: string, amount: BigInt): StakeEvent {
  let row = new StakeEvent(createEventId(event));
  setEventFields(row, event);
  row.account = loadOrCreateAccount(account).id;
  row.kind = kind;
  row.amount = amount;
  return row;
}

function clearPendingUnstake(address: Address): void {
  let account = loadOrCreateAccount(address);
  account.pendingUnstake = BigInt.zero();
  account.unstakeUnlockAt = null;
  account.save();
}

function loadOrCreateDelegate(address: Address): Delegate {
  let account = loadOrCreateAccount(address);
  let delegate = Delegate.load(account.id);
  if (delegate == null) {
    delegate = new Delegate(account.id);
    delegate.account = account.id;
    delegate.delegatedVotes = BigInt.zero();
    delegate.delegatorCount = 0;
  }
  return delegate as Delegate;
}
