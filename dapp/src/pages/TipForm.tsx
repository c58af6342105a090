import {
  CORE,
  MAX_TIP_MESSAGE_BYTES,
  type PaymentToken,
  type TipSession,
  getMinimumTip,
  paymentTokens,
  resumeTipSession,
  startTipSession,
  tip,
} from "@harmonie/sdk";
import { useQuery } from "@tanstack/react-query";
import { type FormEvent, useEffect, useState } from "react";
import { custom, parseUnits } from "viem";
import { useFiatEstimate } from "../lib/fiat.ts";
import { amountOf } from "../lib/format.ts";
import { useHarmonie } from "../lib/harmonie.tsx";
import { recordSentTip } from "../lib/sent-tips.ts";
import { TxStatus, useTx } from "../lib/tx.tsx";
import { useAccount, useConnect, useReader, useWallet, useWalletState } from "../lib/wallet.ts";

/** Amount chips, in whole units of the chosen token. */
const CHIPS = ["1", "5", "10"];

/**
 * Tip an artist in CORE or a stablecoin, with a message, showing the artist's minimum before sending.
 * In a live session (`streamId`) a fan can set a budget once and tip without wallet pop-ups for the set.
 */
export function TipForm({ artist, streamId }: { artist: `0x${string}`; streamId?: bigint }) {
  const { deployment, config } = useHarmonie();
  const wallet = useWallet();
  const { address } = useAccount();
  const { load } = useWalletState();
  const connect = useConnect();
  const prepare = () => load();
  const reader = useReader();
  const tx = useTx();
  const tokens = paymentTokens(deployment);
  const [tokenAddress, setTokenAddress] = useState<string>(CORE);
  const token = tokens.find((t) => t.address === tokenAddress) ?? tokens[0]!;
  const [amount, setAmount] = useState("1");
  const [message, setMessage] = useState("");
  const session = useTipSession(streamId);
  const minimum = useQuery({
    queryKey: ["minimum-tip", artist, token.address],
    queryFn: () => getMinimumTip(reader, { deployment, artist, token: token.address }),
  });
  const bytes = new TextEncoder().encode(message).length;
  const value = parse(amount, token);
  const fiat = useFiatEstimate(config.fiat, token, value);
  const belowMinimum = value !== undefined && minimum.data !== undefined && value < minimum.data;
  const valid = value !== undefined && value > 0n && !belowMinimum && bytes <= MAX_TIP_MESSAGE_BYTES;
  // A session tips in its own token.
  const active = session.current && session.current.token.toLowerCase() === token.address.toLowerCase();

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!valid) return;
    const send = active
      ? () => session.current!.tip({ artist, amount: value!, streamId, message })
      : wallet && (() => tip(wallet, { deployment, artist, token: token.address, amount: value!, streamId, message }));
    if (!send) return;
    // Confirmed means sent: the message leaves the box and the tip shows in the lists at once, even if
    // the indexer is slow or down (it would otherwise invite a second, identical tip).
    await tx.run(active ? "Tip (no pop-up)" : "Tip", send, {
      onConfirmed: (sent) => {
        setMessage("");
        recordSentTip(sent, token);
        if (active) void session.refresh();
      },
    });
  }

  return (
    <form
      className="panel form tip-form"
      onSubmit={submit}
      aria-labelledby="tip-heading"
      // Reaching for the form is a hint a wallet is wanted: fetch the kit now (it reconnects a known wallet).
      onFocus={prepare}
      onPointerEnter={prepare}
    >
      <h2 id="tip-heading">Send a tip</h2>
      {tokens.length > 1 && (
        <fieldset className="token-choice">
          <legend>Pay in</legend>
          {tokens.map((t) => (
            <label key={t.address}>
              <input
                type="radio"
                name="tip-token"
                value={t.address}
                checked={t.address === token.address}
                onChange={() => setTokenAddress(t.address)}
              />
              {t.symbol}
            </label>
          ))}
        </fieldset>
      )}
      <div className="chips" role="group" aria-label="Quick amounts">
        {CHIPS.map((chip) => (
          <button
            type="button"
            key={chip}
            className="chip"
            aria-pressed={amount.trim() === chip}
            onClick={() => setAmount(chip)}
          >
            {chip} {token.symbol}
          </button>
        ))}
      </div>
      <label>
        Amount ({token.symbol})
        <input
          inputMode="decimal"
          value={amount}
          onChange={(e) => setAmount(e.target.value)}
          required
          aria-invalid={value === undefined || value <= 0n || belowMinimum}
          aria-describedby={fiat ? "tip-fiat tip-minimum" : "tip-minimum"}
        />
      </label>
      {fiat && (
        <p id="tip-fiat" className="muted" data-testid="tip-fiat">
          {fiat}
        </p>
      )}
      <p id="tip-minimum" className={belowMinimum ? "error" : "muted"} data-testid="tip-minimum">
        {minimum.data !== undefined
          ? `Minimum tip: ${amountOf(minimum.data, token)}`
          : minimum.isError
            ? "Minimum tip: unknown right now (the artist's minimum could not be read)"
            : "Minimum tip: …"}
      </p>
      <label>
        Message (public, optional)
        <textarea value={message} onChange={(e) => setMessage(e.target.value)} rows={2} aria-describedby="tip-bytes" />
      </label>
      <p id="tip-bytes" className={bytes > MAX_TIP_MESSAGE_BYTES ? "error" : "muted"}>
        {bytes}/{MAX_TIP_MESSAGE_BYTES} bytes
      </p>
      {wallet || active || address ? (
        <button type="submit" disabled={(!wallet && !active) || !valid || tx.busy}>
          {active ? "Send tip (no pop-up)" : "Send tip"}
        </button>
      ) : (
        // No wallet (or no kit yet): the connect dialog opens, and the form keeps what was typed.
        <button type="button" onClick={connect}>
          Connect a wallet to tip
        </button>
      )}
      <TxStatus state={tx.state} />
      {streamId !== undefined && <SessionPanel session={session} token={token} />}
    </form>
  );
}

function parse(amount: string, token: PaymentToken): bigint | undefined {
  try {
    return parseUnits(amount.trim(), token.decimals);
  } catch {
    return undefined;
  }
}

/** The fan's prompt-free session for one live set, kept in this tab (sessionStorage) across reloads. */
function useTipSession(streamId: bigint | undefined) {
  const { deployment } = useHarmonie();
  const { address } = useAccount();
  const reader = useReader();
  const [current, setCurrent] = useState<TipSession>();
  const [remaining, setRemaining] = useState<bigint>();
  const storageKey =
    address && streamId !== undefined && `harmonie:tip-session:${deployment.chainId}:${address}:${streamId}`;
  const transport = custom({ request: reader.request });

  useEffect(() => {
    setCurrent(undefined);
    const kept = storageKey && sessionStorage.getItem(storageKey);
    if (!kept) return;
    resumeTipSession(reader, { deployment, privateKey: kept as `0x${string}`, transport })
      .then(async (session) => {
        setCurrent(session);
        setRemaining(await session.remaining());
      })
      .catch(() => sessionStorage.removeItem(storageKey!)); // closed or expired
  }, [storageKey]);

  return {
    current,
    remaining,
    async start(wallet: NonNullable<ReturnType<typeof useWallet>>, token: PaymentToken, budget: bigint) {
      const session = await startTipSession(wallet, { deployment, token: token.address, budget, transport });
      if (storageKey) sessionStorage.setItem(storageKey, session.privateKey);
      setCurrent(session);
      setRemaining(budget);
      return session;
    },
    async refresh() {
      if (current) setRemaining(await current.remaining());
    },
    async end() {
      const closed = await current!.close();
      if (storageKey) sessionStorage.removeItem(storageKey);
      setCurrent(undefined);
      return closed;
    },
  };
}

function SessionPanel({ session, token }: { session: ReturnType<typeof useTipSession>; token: PaymentToken }) {
  const { deployment } = useHarmonie();
  const wallet = useWallet();
  const tx = useTx();
  const [budget, setBudget] = useState("10");
  const value = parse(budget, token);
  // The status stays visible whichever view is shown (ending a session switches back to the offer).
  return (
    <>
      {session.current ? (
        <div className="tip-session" data-testid="tip-session">
          <p>
            Tipping without pop-ups for this set ·{" "}
            <span data-testid="session-left">
              {session.remaining !== undefined
                ? amountOf(
                    session.remaining,
                    paymentTokens(deployment).find((t) => t.address === session.current!.token) ?? token,
                  )
                : "…"}
            </span>{" "}
            left
          </p>
          <button type="button" disabled={tx.busy} onClick={() => void tx.run("End session", () => session.end())}>
            End session and refund the rest
          </button>
        </div>
      ) : (
        <details className="tip-session">
          <summary>Tip without pop-ups for this set</summary>
          <p className="muted">
            Set a budget once (one wallet confirmation); tips then go out instantly from it. A session key kept in this
            tab can spend only this budget, for 4 hours; end it any time to get the rest back.
          </p>
          <label>
            Budget ({token.symbol})
            <input inputMode="decimal" value={budget} onChange={(e) => setBudget(e.target.value)} />
          </label>
          <button
            type="button"
            disabled={!wallet || !value || tx.busy}
            onClick={() => void tx.run("Start tip session", () => session.start(wallet!, token, value!))}
          >
            Start tipping without pop-ups
          </button>
        </details>
      )}
      <TxStatus state={tx.state} />
    </>
  );
}
