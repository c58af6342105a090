import { follow, isFollowing, unfollow } from "@harmonie/sdk";
import { useQuery } from "@tanstack/react-query";
import type { Address } from "viem";
import { useHarmonie } from "../../lib/harmonie.tsx";
import { describeLoadError } from "../../lib/states.tsx";
import { TxStatus, useTx } from "../../lib/tx.tsx";
import { useAccount, useWallet } from "../../lib/wallet.ts";

/** Follow or unfollow the artist (a transaction): a chunk of its own, loaded after the page is drawn. */
export function FollowButton({ artist }: { artist: Address }) {
  const { indexerUrl, deployment } = useHarmonie();
  const wallet = useWallet();
  const { address: me } = useAccount();
  const tx = useTx();
  const following = useQuery({
    queryKey: ["following", artist, me],
    enabled: !!me,
    queryFn: () => isFollowing(indexerUrl, { fan: me!, artist }),
  });
  if (!me || !wallet) return <p className="muted">Connect a wallet to follow.</p>;
  // Not knowing whether you follow, the button would guess: say so instead.
  if (following.isError && following.data === undefined)
    return <p className="muted">Following can't be checked right now: {describeLoadError(following.error)}.</p>;
  const follows = following.data === true;
  return (
    <div>
      <button
        type="button"
        disabled={tx.busy || following.isPending}
        aria-pressed={follows}
        onClick={() =>
          tx.run(follows ? "Unfollow" : "Follow", () => (follows ? unfollow : follow)(wallet, { artist, deployment }))
        }
      >
        {follows ? "Unfollow" : "Follow"}
      </button>
      <TxStatus state={tx.state} />
    </div>
  );
}
