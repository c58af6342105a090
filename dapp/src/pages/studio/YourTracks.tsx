import {
  addLicenseOffer,
  collectRoyalties,
  formatIsrc,
  isValidIsrc,
  offerTrackTransfer,
  acceptTrackTransfer,
  paymentTokens,
  getOfferedTracks,
  setLicenseOfferActive,
  setLicensePrice,
  trackIdFromIsrc,
} from "@harmonie/sdk";
import { useQuery } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { Link, useSearchParams } from "react-router";
import { type Address, isAddressEqual, parseUnits, zeroAddress } from "viem";
import { amountOf } from "../../lib/format.ts";
import { useHarmonie } from "../../lib/harmonie.tsx";
import { useArtistPage } from "../../lib/indexed.ts";
import { useIpfsImage, useTrackMetadata } from "../../lib/ipfs.ts";
import { LoadError, Loading } from "../../lib/states.tsx";
import { Name } from "../../lib/text.tsx";
import { type LicenseOffer, durationOf, useChainTrack, useOffers, usePendingArtist } from "../../lib/licensing.ts";
import { Account, useAccountInput } from "../../lib/people.tsx";
import { useToken } from "../../lib/tokens.ts";
import { TxStatus, useTx } from "../../lib/tx.tsx";
import { useWallet } from "../../lib/wallet.ts";
import { NEW_OFFER, type OfferDraft, OfferFields, parseOffer, useOfferToken } from "./OfferFields.tsx";
import { EditTrack } from "./upload/EditTrack.tsx";

/** The artist's tracks: their offers (price, on/off sale, new offers), royalties, and handing one over. */
export function YourTracks({ account, canPublish }: { account: Address; canPublish: boolean }) {
  const page = useArtistPage(account);
  const tracks = page.data?.tracks ?? [];
  return (
    <section className="panel" aria-labelledby="your-tracks-heading">
      <h2 id="your-tracks-heading">Your tracks</h2>
      {page.isPending ? (
        <Loading what="your tracks" />
      ) : page.isError && !page.data ? (
        <LoadError what="Your tracks" error={page.error} retry={() => void page.refetch()} />
      ) : tracks.length === 0 ? (
        <p className="muted">{canPublish ? "No tracks yet: publish one below." : "No tracks yet."}</p>
      ) : (
        <ul className="list">
          {tracks.map((track) => (
            <TrackManager key={String(track.trackId)} account={account} track={track} />
          ))}
        </ul>
      )}
      <AcceptTrack account={account} />
    </section>
  );
}

function TrackManager({
  account,
  track,
}: {
  account: Address;
  track: { trackId: bigint; isrc: string; metadataCid: string };
}) {
  const metadata = useTrackMetadata(track.metadataCid);
  const chain = useChainTrack(track.trackId);
  const offers = useOffers(track.trackId, chain.data?.offerCount);
  const [adding, setAdding] = useState(false);
  const [editing, setEditing] = useState(false);
  const [saved, setSaved] = useState(false);
  const isrc = formatIsrc(track.isrc, { hyphens: true });
  const title = metadata.data?.title ?? isrc;
  const cover = useIpfsImage(
    metadata.data ? `${track.metadataCid}/${metadata.data.files.cover.path}` : undefined,
    metadata.data?.files.cover.mimeType,
  );
  // The indexer may list a track just handed over or reassigned: the chain says whose it is.
  if (chain.data && !isAddressEqual(chain.data.artist, account)) return null;
  const frozen = !!chain.data && chain.data.status !== "active";
  return (
    <li className="track-manager" data-testid={`manage-${track.isrc}`} aria-label={title}>
      <div className="track-manager-head">
        {cover.data ? (
          <img className="cover-small" src={cover.data} alt="" />
        ) : (
          <span className="cover-small" aria-hidden="true" />
        )}
        <div>
          <h3>
            <Link to={`/track/${track.isrc}`}>
              <Name text={title} lines={2} />
            </Link>{" "}
            <span className="muted">{isrc}</span>
            {chain.data?.status === "flagged" && <span className="badge">Sales paused: under dispute</span>}
            {chain.data?.status === "revoked" && <span className="badge">Removed by the DAO</span>}
          </h3>
          {metadata.data && (
            <p className="muted track-manager-meta">
              <Name text={metadata.data.artist} /> · <Name text={metadata.data.genre} />
              {metadata.data.exclusive ? " · exclusive" : ""}
            </p>
          )}
        </div>
      </div>
      {frozen && <p className="muted">A frozen track cannot be edited, sold or handed over until the DAO decides.</p>}
      {saved && !editing && (
        <p className="tx-ok" data-testid="edit-saved">
          ✓ Your changes are saved: the track now shows the new details.
        </p>
      )}
      {!frozen &&
        metadata.data &&
        (editing ? (
          <EditTrack
            trackId={track.trackId}
            metadataCid={track.metadataCid}
            metadata={metadata.data}
            coverUrl={cover.data}
            onDone={(done) => {
              setEditing(false);
              setSaved(done);
            }}
          />
        ) : (
          <button
            type="button"
            className="secondary"
            onClick={() => {
              setSaved(false);
              setEditing(true);
            }}
          >
            Edit details and cover
          </button>
        ))}
      <h4 className="offers-heading">Licence offers</h4>
      <ul className="offers" aria-label="Licence offers">
        {offers.data?.map((offer) => (
          <OfferEditor key={String(offer.offerId)} trackId={track.trackId} offer={offer} frozen={frozen} />
        ))}
      </ul>
      {!frozen &&
        (adding ? (
          <AddOffer trackId={track.trackId} onDone={() => setAdding(false)} />
        ) : (
          <button type="button" className="secondary" onClick={() => setAdding(true)}>
            Add a licence offer
          </button>
        ))}
      <Royalties trackId={track.trackId} />
      {!frozen && <HandOver trackId={track.trackId} title={title} />}
    </li>
  );
}

/** One offer: its terms, a new price (in the offer's own token), on or off sale. */
function OfferEditor({ trackId, offer, frozen }: { trackId: bigint; offer: LicenseOffer; frozen: boolean }) {
  const { deployment } = useHarmonie();
  const wallet = useWallet();
  const tx = useTx();
  const token = useToken(offer.token);
  const [price, setPrice] = useState("");
  let parsed: bigint | undefined;
  try {
    parsed = token && price.trim() ? parseUnits(price.trim(), token.decimals) : undefined;
  } catch {
    parsed = undefined;
  }
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (wallet && parsed !== undefined)
      void tx
        .run("Change price", () =>
          setLicensePrice(wallet, { deployment, trackId, offerId: offer.offerId, price: parsed! }),
        )
        .then((done) => done && setPrice(""));
  };
  return (
    <li className="offer" data-testid={`offer-${offer.offerId}`}>
      <strong data-testid="offer-price">{token ? amountOf(offer.price, token) : "…"}</strong>
      <span>
        {durationOf(offer.duration)} · {offer.commercialUse ? "commercial" : "personal"} use · {offer.issued} sold
        {offer.supplyCap > 0 ? ` of ${offer.supplyCap}` : ""}
        {offer.perBuyerLimit > 0 ? ` · at most ${offer.perBuyerLimit} per buyer` : ""}
        {offer.active ? "" : " · off sale"}
      </span>
      {!frozen && (
        <form className="form inline" onSubmit={submit}>
          <label>
            New price ({token?.symbol ?? "…"})
            <input inputMode="decimal" value={price} onChange={(e) => setPrice(e.target.value)} />
          </label>
          <button type="submit" disabled={!wallet || parsed === undefined || tx.busy}>
            Change price
          </button>
          <button
            type="button"
            className="secondary"
            disabled={!wallet || tx.busy}
            onClick={() =>
              tx.run(offer.active ? "Take off sale" : "Put on sale", () =>
                setLicenseOfferActive(wallet!, { deployment, trackId, offerId: offer.offerId, active: !offer.active }),
              )
            }
          >
            {offer.active ? "Take off sale" : "Put on sale"}
          </button>
        </form>
      )}
      <TxStatus state={tx.state} />
    </li>
  );
}

function AddOffer({ trackId, onDone }: { trackId: bigint; onDone: () => void }) {
  const { deployment } = useHarmonie();
  const wallet = useWallet();
  const tx = useTx();
  const [draft, setDraft] = useState<OfferDraft>(NEW_OFFER);
  const token = useOfferToken(draft);
  const terms = parseOffer(draft, token);
  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!wallet || typeof terms === "string") return;
    if (await tx.run("Add offer", () => addLicenseOffer(wallet, { deployment, trackId, terms }))) onDone();
  }
  return (
    <form className="form" onSubmit={submit} aria-label="New licence offer">
      <OfferFields draft={draft} onChange={setDraft} />
      <div className="buttons">
        <button type="submit" disabled={!wallet || typeof terms === "string" || tx.busy}>
          Add offer
        </button>
        <button type="button" className="secondary" onClick={onDone}>
          Cancel
        </button>
      </div>
      <TxStatus state={tx.state} />
    </form>
  );
}

/** Resale royalties (EIP-2981) land in the track's vault; collecting credits them to the splits. */
function Royalties({ trackId }: { trackId: bigint }) {
  const { deployment } = useHarmonie();
  const wallet = useWallet();
  const tx = useTx();
  return (
    <div className="buttons">
      {paymentTokens(deployment).map((token) => (
        <button
          key={token.address}
          type="button"
          className="secondary"
          disabled={!wallet || tx.busy}
          onClick={() =>
            tx.run(`Collect ${token.symbol} royalties`, () =>
              collectRoyalties(wallet!, { deployment, trackId, token: token.address }),
            )
          }
        >
          Collect {token.symbol} resale royalties
        </button>
      ))}
      <TxStatus state={tx.state} />
    </div>
  );
}

/** Two steps: the artist offers the track to an address, which accepts it (Studio or the track page). */
function HandOver({ trackId, title }: { trackId: bigint; title: string }) {
  const { deployment } = useHarmonie();
  const wallet = useWallet();
  const tx = useTx();
  const pending = usePendingArtist(trackId);
  const [to, setTo] = useState("");
  const receiver = useAccountInput(to);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (wallet && receiver)
      void tx
        .run("Offer track", () => offerTrackTransfer(wallet, { deployment, trackId, to: receiver }))
        .then((done) => done && setTo(""));
  };
  if (pending.data)
    return (
      <div className="pending" data-testid="handover-pending">
        <p>
          Handing over to <Account address={pending.data} />: <Name text={title} /> is theirs once they accept it.
        </p>
        <button
          type="button"
          className="secondary"
          disabled={!wallet || tx.busy}
          onClick={() =>
            tx.run("Withdraw hand-over", () => offerTrackTransfer(wallet!, { deployment, trackId, to: zeroAddress }))
          }
        >
          Withdraw the offer
        </button>
        <TxStatus state={tx.state} />
      </div>
    );
  return (
    <form className="form inline" onSubmit={submit}>
      <label>
        Hand over to (0x… or @name)
        <input
          value={to}
          onChange={(e) => setTo(e.target.value)}
          placeholder="0x… or @name"
          aria-invalid={to.trim() !== "" && receiver === null}
          spellCheck={false}
        />
      </label>
      <button type="submit" disabled={!wallet || !receiver || tx.busy}>
        Offer track
      </button>
      <TxStatus state={tx.state} />
    </form>
  );
}

/**
 * A track someone is handing over to this account. The sender shares the track's ISRC (or a
 * `/studio?accept=<ISRC>` link); the chain says whether it is offered to you.
 */
function AcceptTrack({ account }: { account: Address }) {
  const { deployment, indexerUrl } = useHarmonie();
  const wallet = useWallet();
  const tx = useTx();
  const [params] = useSearchParams();
  const [isrc, setIsrc] = useState(params.get("accept") ?? "");
  const trackId = isValidIsrc(isrc) ? trackIdFromIsrc(formatIsrc(isrc)) : undefined;
  const pending = usePendingArtist(trackId);
  const offeredToMe = !!pending.data && isAddressEqual(pending.data, account);
  // Tracks the indexer has seen offered to this account, so the receiver needs no ISRC to find them.
  const offered = useQuery({
    queryKey: ["offered-tracks", account],
    queryFn: () => getOfferedTracks(indexerUrl, { account, first: 20 }),
  });
  return (
    <div className="form" aria-labelledby="accept-heading">
      <h3 id="accept-heading">Accept a track handed to you</h3>
      {offered.data && offered.data.length > 0 && (
        <ul className="list" data-testid="offered-tracks">
          {offered.data.map((track) => (
            <li key={String(track.trackId)} className="row">
              {formatIsrc(track.isrc, { hyphens: true })} is offered to you
              <button type="button" className="secondary" onClick={() => setIsrc(track.isrc)}>
                Review
              </button>
            </li>
          ))}
        </ul>
      )}
      <label>
        Track ISRC
        <input
          value={isrc}
          onChange={(e) => setIsrc(e.target.value)}
          placeholder="US-RC1-76-07839"
          autoCapitalize="characters"
          spellCheck={false}
          aria-invalid={isrc !== "" && !trackId}
        />
      </label>
      {trackId !== undefined && pending.isSuccess && !offeredToMe && (
        <p className="muted">This track is not being handed over to you.</p>
      )}
      {offeredToMe && (
        <button
          type="button"
          disabled={!wallet || tx.busy}
          onClick={() => tx.run("Accept track", () => acceptTrackTransfer(wallet!, { deployment, trackId: trackId! }))}
        >
          Accept track
        </button>
      )}
      <TxStatus state={tx.state} />
    </div>
  );
}
