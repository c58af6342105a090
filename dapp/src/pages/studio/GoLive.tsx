import { openSession } from "@harmonie/sdk";
import { type FormEvent, useState } from "react";
import { Link } from "react-router";
import { useHarmonie } from "../../lib/harmonie.tsx";
import { useWallet } from "../../lib/wallet.ts";
import { TxStatus, useTx } from "../../lib/tx.tsx";

/** Opens an on-chain session that tips can name; video comes with the streaming module. */
export function GoLive() {
  const { deployment } = useHarmonie();
  const wallet = useWallet();
  const tx = useTx();
  const [title, setTitle] = useState("");
  const [streamId, setStreamId] = useState<bigint>();
  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!wallet) return;
    const opened = await tx.run("Go live", () => openSession(wallet, { deployment, title, playbackId: "" }));
    if (opened) setStreamId(opened.streamId);
  }
  return (
    <form className="panel form" onSubmit={submit} aria-labelledby="golive-heading">
      <h2 id="golive-heading">Go live</h2>
      <label>
        Session title
        <input value={title} onChange={(e) => setTitle(e.target.value)} required maxLength={120} />
      </label>
      <button type="submit" disabled={!wallet || !title || tx.busy}>
        Open session
      </button>
      <TxStatus state={tx.state} />
      {streamId !== undefined && (
        <p>
          You are live: <Link to={`/live/${streamId}`}>open the session page</Link>
        </p>
      )}
    </form>
  );
}
