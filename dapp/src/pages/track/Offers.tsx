import { type Track, type TrackPage, purchaseLicense } from "@harmonie/sdk";
import { useState } from "react";
import { type Address, isAddressEqual } from "viem";
import { amountOf, dateOf } from "../../lib/format.ts";
import { useHarmonie } from "../../lib/harmonie.tsx";
import {
  type LicenseOffer,
  durationOf,
  timeLeft,
  useChainTime,
  useLicenseStatus,
  useOffers,
} from "../../lib/licensing.ts";
import { observeTransactions } from "../../lib/steps.ts";
import { isCore, useToken } from "../../lib/tokens.ts";
import { TxStatus, useTx } from "../../lib/tx.tsx";
import { useAccount, useConnect, useWallet, useWalletState } from "../../lib/wallet.ts";

/**
 * The track's licences and what the visitor holds. A licence is never sold twice where it would buy
 * nothing: not to the artist or a collaborator, not to a perpetual holder; a timed holder renews
 * (the contract extends the one expiry). A frozen track sells nothing.
 */
export function Offers({ track, chainTrack }: { track: TrackPage; chainTrack: Track }) {
  const { address: me } = useAccount();
  const wallet = useWallet();
  const { load } = useWalletState();
  const connect = useConnect();
  const tx = useTx();
  const offers = useOffers(track.trackId, chainTrack.offerCount);
  const status = useLicenseStatus(track.trackId, me);
  const now = useChainTime();
  const frozen = chainTrack.status !== "active";
  const held = status.data;
  const timedUntil = held && held.expiresAt > 0n ? held.expiresAt : undefined;
  const timedActive = timedUntil !== undefined && now.data !== undefined && timedUntil > now.data;
  // What the visitor may buy: nothing for rights holders and perpetual holders.
  const buys = !frozen && !!held && !held.isRightsHolder && held.perpetual === 0n;
  const onSale = offers.data?.filter((offer) => offer.active) ?? [];

  return (
    <section aria-labelledby="offers-heading" className="panel">
      <h2 id="offers-heading">Licences</h2>
      {held && (
        <p className="ownership" data-testid="ownership">
          {held.isRightsHolder ? (
            <strong>Your track: you are its artist or a collaborator, so you need no licence.</strong>
          ) : held.perpetual > 0n ? (
            <strong>
              You own this · perpetual licence{held.perpetual > 1n ? ` (${held.perpetual} licences)` : ""}
            </strong>
          ) : timedActive ? (
            <strong>You own this · expires in {timeLeft(timedUntil!, now.data!)}</strong>
          ) : timedUntil !== undefined ? (
            <>Your licence expired on {dateOf(timedUntil)}: renew it below.</>
          ) : null}
        </p>
      )}
      {frozen && (
        <p className="muted">
          {chainTrack.status === "flagged"
            ? "Sales paused: under dispute. No licences are sold until the DAO decides."
            : "Removed by the DAO: no licences are sold."}
        </p>
      )}
      {offers.isPending ? (
        <p>Loading offers…</p>
      ) : onSale.length === 0 ? (
        <p className="muted">No licence is on sale for this track.</p>
      ) : (
        <ul className="offers">
          {onSale.map((offer) => (
            <OfferRow
              key={String(offer.offerId)}
              offer={offer}
              trackId={track.trackId}
              // Renewing a timed licence, or buying; hidden where it would buy nothing.
              action={!buys ? undefined : offer.duration !== 0n && timedUntil !== undefined ? "renew" : "buy"}
              tx={tx}
            />
          ))}
        </ul>
      )}
      {!me && (
        <p>
          <button type="button" className="secondary" onClick={connect} onPointerEnter={() => load()}>
            Connect a wallet to buy
          </button>
        </p>
      )}
      {!wallet && me && <p className="muted">Waiting for the wallet…</p>}
      <TxStatus state={tx.state} />
    </section>
  );
}

type Step = "approve" | "buy";

function OfferRow({
  offer,
  trackId,
  action,
  tx,
}: {
  offer: LicenseOffer;
  trackId: bigint;
  action: "buy" | "renew" | undefined;
  tx: ReturnType<typeof useTx>;
}) {
  const { deployment } = useHarmonie();
  const wallet = useWallet();
  const token = useToken(offer.token);
  const [step, setStep] = useState<{ offerId: bigint; current: Step; approved: boolean }>();
  const byToken = !isCore(offer.token);
  const price = token ? (offer.price === 0n ? "Free" : amountOf(offer.price, token)) : "…";
  const soldOut = action === "buy" && offer.supplyCap > 0 && offer.issued >= offer.supplyCap;
  const label = action === "renew" ? `Renew · +${durationOf(offer.duration)}` : "Buy licence";

  async function buy() {
    if (!wallet) return;
    const registry = deployment.contracts.ContentRegistry.address;
    setStep({ offerId: offer.offerId, current: byToken ? "approve" : "buy", approved: false });
    // Which prompt the wallet is showing: the token's approval, or the purchase itself.
    const watched = observeTransactions(wallet, (to: Address | undefined) => {
      if (to && isAddressEqual(to, registry)) setStep((s) => s && { ...s, current: "buy", approved: byToken });
    });
    await tx.run(action === "renew" ? "Renew licence" : "Buy licence", () =>
      purchaseLicense(watched, { deployment, trackId, offerId: offer.offerId }),
    );
    setStep(undefined);
  }

  return (
    <li className="offer" data-testid={`offer-${offer.offerId}`}>
      <strong data-testid="offer-price">{price}</strong>
      <span>
        {offer.duration === 0n ? "Perpetual (resellable)" : durationOf(offer.duration)} ·{" "}
        {offer.commercialUse ? "commercial use" : "personal use"}
        {offer.derivativesAllowed ? " · derivatives allowed" : ""} · {offer.issued} sold
        {offer.supplyCap > 0 ? ` of ${offer.supplyCap}` : ""}
        {offer.perBuyerLimit > 0 ? ` · at most ${offer.perBuyerLimit} per buyer` : ""}
      </span>
      {action && (
        <div className="buy">
          <button type="button" disabled={!wallet || tx.busy || soldOut || !token} onClick={buy}>
            {soldOut ? "Sold out" : label}
          </button>
          {/* No permit on Core's bridged stablecoins: an exact approval first, a second confirmation. */}
          {byToken && token && !soldOut && (
            <ol className="steps" aria-label="Wallet confirmations" data-testid="buy-steps">
              <li className={step ? (step.current === "approve" ? "step-now" : "step-done") : undefined}>
                Approve {price}
                {step && step.current !== "approve" && (step.approved ? " ✓" : " (already approved)")}
              </li>
              <li className={step?.current === "buy" ? "step-now" : undefined}>
                {action === "renew" ? "Renew" : "Buy"}
              </li>
            </ol>
          )}
        </div>
      )}
    </li>
  );
}
