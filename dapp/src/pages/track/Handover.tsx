import { acceptTrackTransfer } from "@harmonie/sdk";
import { useHarmonie } from "../../lib/harmonie.tsx";
import { usePendingArtist } from "../../lib/licensing.ts";
import { Account } from "../../lib/people.tsx";
import { TxStatus, useTx } from "../../lib/tx.tsx";
import { useAccount, useWallet } from "../../lib/wallet.ts";

/** A track the artist is handing over: its receiver accepts it here (or in Studio). */
export function Handover({ trackId, artist }: { trackId: bigint; artist: `0x${string}` }) {
  const { deployment } = useHarmonie();
  const { address: me } = useAccount();
  const wallet = useWallet();
  const tx = useTx();
  const pending = usePendingArtist(trackId);
  if (!pending.data) return null;
  const toMe = !!me && pending.data.toLowerCase() === me.toLowerCase();
  if (!toMe && me?.toLowerCase() !== artist.toLowerCase()) return null;
  return (
    <div className="banner" data-testid="handover">
      {toMe ? (
        <>
          <p>
            <Account address={artist} /> is handing this track over to you: accept it to become its artist (its splits
            stay as they are).
          </p>
          <button
            type="button"
            disabled={!wallet || tx.busy}
            onClick={() => tx.run("Accept track", () => acceptTrackTransfer(wallet!, { deployment, trackId }))}
          >
            Accept track
          </button>
        </>
      ) : (
        <p>
          Offered to <Account address={pending.data} />: the track is theirs once they accept it (Studio lets you
          withdraw the offer).
        </p>
      )}
      <TxStatus state={tx.state} />
    </div>
  );
}
