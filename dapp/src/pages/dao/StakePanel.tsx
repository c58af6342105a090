import { cancelUnstake, completeUnstake, delegate, getStake, requestUnstake, stake } from "@harmonie/sdk";
import { useQuery } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { type Address, isAddress, parseEther } from "viem";
import { core, dateOf, shortAddress } from "../../lib/format.ts";
import { useHarmonie } from "../../lib/harmonie.tsx";
import { useReader, useWallet } from "../../lib/wallet.ts";
import { TxStatus, useTx } from "../../lib/tx.tsx";
import { LoadError, Unknown } from "../../lib/states.tsx";

const ZERO = /^0x0{40}$/;

function parse(amount: string) {
  try {
    const value = parseEther(amount);
    return value > 0n ? value : undefined;
  } catch {
    return undefined;
  }
}

/** Stake CORE into hVOTE (votes), unstake after the cooldown, delegate votes. */
export function StakePanel({ account }: { account: Address }) {
  const { deployment } = useHarmonie();
  const reader = useReader();
  const wallet = useWallet();
  const tx = useTx();
  const [amount, setAmount] = useState("");
  const [delegatee, setDelegatee] = useState("");
  const [countVotes, setCountVotes] = useState(true);
  const position = useQuery({ queryKey: ["stake", account], queryFn: () => getStake(reader, { deployment, account }) });
  const value = parse(amount);
  const p = position.data;
  const now = BigInt(Math.floor(Date.now() / 1000));

  // hVOTE counts as votes only once delegated (ERC20Votes): the first stake offers to delegate to yourself.
  const undelegated = !!p && ZERO.test(p.delegatee);
  const onStake = (event: FormEvent) => {
    event.preventDefault();
    if (!wallet || !value) return;
    const alsoDelegate = undelegated && countVotes;
    tx.run(alsoDelegate ? "Stake and delegate to yourself" : "Stake", async () => {
      const staked = await stake(wallet, { deployment, amount: value });
      return alsoDelegate ? delegate(wallet, { deployment, delegatee: account }) : staked;
    }).then((r) => r && setAmount(""));
  };
  const onDelegate = (event: FormEvent) => {
    event.preventDefault();
    const to = (delegatee || account) as Address;
    if (wallet && isAddress(to)) tx.run("Delegate", () => delegate(wallet, { deployment, delegatee: to }));
  };

  return (
    <section className="panel" aria-labelledby="stake-heading">
      <h2 id="stake-heading">Your stake</h2>
      {position.isError && !p && (
        <LoadError what="Your stake" error={position.error} retry={() => void position.refetch()} />
      )}
      <dl className="stats">
        <div>
          <dt>Staked</dt>
          <dd data-testid="staked">{p ? core(p.balance, "hVOTE") : position.isError ? <Unknown /> : "…"}</dd>
        </div>
        <div>
          <dt>Voting power</dt>
          <dd data-testid="votes">{p ? core(p.votes, "votes") : position.isError ? <Unknown /> : "…"}</dd>
        </div>
        <div>
          <dt>Delegated to</dt>
          <dd data-testid="delegatee">
            {!p ? (
              position.isError ? (
                <Unknown />
              ) : (
                "…"
              )
            ) : ZERO.test(p.delegatee) ? (
              "nobody"
            ) : p.delegatee.toLowerCase() === account.toLowerCase() ? (
              "yourself"
            ) : (
              shortAddress(p.delegatee)
            )}
          </dd>
        </div>
      </dl>
      <form className="form inline" onSubmit={onStake}>
        <label>
          Amount (CORE)
          <input
            inputMode="decimal"
            value={amount}
            onChange={(e) => setAmount(e.target.value)}
            aria-invalid={amount !== "" && !value}
          />
        </label>
        <button type="submit" disabled={!wallet || !value || tx.busy}>
          Stake
        </button>
        {undelegated && (
          <label className="check" data-testid="delegate-on-stake">
            <input type="checkbox" checked={countVotes} onChange={(e) => setCountVotes(e.target.checked)} />
            Also delegate to myself, so my hVOTE counts as votes (a second confirmation)
          </label>
        )}
        <button
          type="button"
          disabled={!wallet || !value || tx.busy}
          onClick={() =>
            wallet && value && tx.run("Request unstake", () => requestUnstake(wallet, { deployment, amount: value }))
          }
        >
          Request unstake
        </button>
      </form>
      {p && p.pendingUnstake > 0n && (
        <div className="pending">
          <p>
            {core(p.pendingUnstake)} unstaking{" "}
            {p.unlockAt > now ? `— cooldown ends ${dateOf(p.unlockAt)}` : "— ready to withdraw"}
          </p>
          <div className="buttons">
            <button
              type="button"
              disabled={!wallet || tx.busy || p.unlockAt > now}
              onClick={() => tx.run("Withdraw unstaked CORE", () => completeUnstake(wallet!, { deployment }))}
            >
              Withdraw CORE
            </button>
            <button
              type="button"
              disabled={!wallet || tx.busy}
              onClick={() => tx.run("Cancel unstake", () => cancelUnstake(wallet!, { deployment }))}
            >
              Cancel unstake
            </button>
          </div>
        </div>
      )}
      {p && undelegated && p.balance > 0n && (
        <p className="banner" data-testid="undelegated-hint">
          Your {core(p.balance, "hVOTE")} doesn't count as votes yet: delegate it, to yourself (leave the field empty)
          or to someone you trust.
        </p>
      )}
      <form className="form inline" onSubmit={onDelegate}>
        <label>
          Delegate votes to (empty = yourself)
          <input
            value={delegatee}
            onChange={(e) => setDelegatee(e.target.value.trim())}
            placeholder="0x…"
            aria-invalid={delegatee !== "" && !isAddress(delegatee)}
            spellCheck={false}
          />
        </label>
        <button type="submit" disabled={!wallet || tx.busy || (delegatee !== "" && !isAddress(delegatee))}>
          Delegate
        </button>
      </form>
      <TxStatus state={tx.state} />
    </section>
  );
}
