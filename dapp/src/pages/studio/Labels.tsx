import { formatIsrc, getRegistrant, isValidIsrc, registrantCodeOf, signTrackApproval } from "@harmonie/sdk";
import { useQuery } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { type Address, isAddressEqual } from "viem";
import { getBlock } from "viem/actions";
import { useHarmonie } from "../../lib/harmonie.tsx";
import { useAccountInput } from "../../lib/people.tsx";
import { describeError } from "../../lib/errors.ts";
import { useReader, useWallet } from "../../lib/wallet.ts";

/**
 * For a label or distributor holding a registrant code (given by the DAO): sign the approval one of
 * its artists needs to register an ISRC under the code. Signing costs nothing and sends nothing; the
 * artist pastes the approval into "Publish a track" and pays the registration.
 */
export function Labels({ account }: { account: Address }) {
  const { deployment } = useHarmonie();
  const reader = useReader();
  const wallet = useWallet();
  const [isrc, setIsrc] = useState("");
  const [artistText, setArtistText] = useState("");
  const [days, setDays] = useState("7");
  const [approval, setApproval] = useState<string>();
  const [error, setError] = useState<string>();
  const artist = useAccountInput(artistText);
  const valid = isValidIsrc(isrc);
  const holder = useQuery({
    queryKey: ["registrant", valid ? registrantCodeOf(isrc) : ""],
    enabled: valid,
    queryFn: async () => (await getRegistrant(reader, { deployment, isrc })) ?? null,
  });
  const mine = !!holder.data && isAddressEqual(holder.data, account);

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!wallet || !artist || !mine) return;
    setError(undefined);
    try {
      // The contract checks the deadline against the chain's clock, which need not be this device's.
      const { timestamp } = await getBlock(reader);
      const deadline = timestamp + BigInt(Math.max(1, Number(days) || 7) * 86_400);
      const signature = await signTrackApproval(wallet, { deployment, isrc, artist, deadline });
      setApproval(JSON.stringify({ isrc: formatIsrc(isrc), artist, deadline: String(deadline), signature }));
    } catch (failure) {
      setError(describeError(failure));
    }
  }

  return (
    <details className="panel">
      <summary>For labels: approve a track under your registrant code</summary>
      <form className="form" onSubmit={submit}>
        <div className="two">
          <label>
            Track ISRC to approve
            <input value={isrc} onChange={(e) => setIsrc(e.target.value)} spellCheck={false} />
          </label>
          <label>
            Artist (0x… or @name)
            <input value={artistText} onChange={(e) => setArtistText(e.target.value)} spellCheck={false} />
          </label>
          <label>
            Valid for (days)
            <input type="number" min="1" value={days} onChange={(e) => setDays(e.target.value)} />
          </label>
        </div>
        {valid && holder.isSuccess && !mine && (
          <p className="muted">
            {holder.data
              ? "This ISRC's registrant code is held by another account."
              : "Nobody holds this ISRC's registrant code: artists register it without an approval."}
          </p>
        )}
        <button type="submit" disabled={!wallet || !mine || !artist}>
          Sign approval
        </button>
        {error && (
          <p className="tx-error" role="alert">
            {error}
          </p>
        )}
        {approval && (
          <label>
            Send this to the artist
            <textarea readOnly rows={3} value={approval} onFocus={(e) => e.target.select()} />
          </label>
        )}
      </form>
    </details>
  );
}
