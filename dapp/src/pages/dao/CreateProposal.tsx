import { propose } from "@harmonie/sdk";
import { contentRegistryAbi, harmonieTippingAbi } from "@harmonie/sdk/abis";
import { type FormEvent, useState } from "react";
import { useNavigate } from "react-router";
import { encodeFunctionData, isAddress, parseEther } from "viem";
import { useHarmonie } from "../../lib/harmonie.tsx";
import { useWallet } from "../../lib/wallet.ts";
import { TxStatus, useTx } from "../../lib/tx.tsx";

type Kind = "tip-fee" | "license-fee" | "grant";

/** Fee changes and treasury grants: the timelock executes them, so the calls target it or the fee owners. */
export function CreateProposal() {
  const { deployment } = useHarmonie();
  const wallet = useWallet();
  const tx = useTx();
  const navigate = useNavigate();
  const [kind, setKind] = useState<Kind>("tip-fee");
  const [bps, setBps] = useState("300");
  const [to, setTo] = useState("");
  const [amount, setAmount] = useState("");
  const [description, setDescription] = useState("");

  function actions() {
    const address = (name: "HarmonieTipping" | "ContentRegistry") => deployment.contracts[name].address;
    if (kind === "grant") {
      if (!isAddress(to)) return undefined;
      try {
        return { targets: [to], values: [parseEther(amount)], calldatas: ["0x" as const] };
      } catch {
        return undefined;
      }
    }
    const fee = Number(bps);
    if (!Number.isInteger(fee) || fee < 0 || fee > 1000) return undefined;
    const calldata =
      kind === "tip-fee"
        ? encodeFunctionData({ abi: harmonieTippingAbi, functionName: "setFee", args: [fee] })
        : encodeFunctionData({ abi: contentRegistryAbi, functionName: "setFee", args: [fee] });
    return {
      targets: [address(kind === "tip-fee" ? "HarmonieTipping" : "ContentRegistry")],
      values: [0n],
      calldatas: [calldata],
    };
  }
  const planned = actions();

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!wallet || !planned) return;
    const created = await tx.run("Create proposal", () => propose(wallet, { deployment, ...planned, description }));
    if (created) navigate(`/dao/${created.proposalId}`);
  }

  return (
    <form className="panel form" onSubmit={submit} aria-labelledby="propose-heading">
      <h2 id="propose-heading">New proposal</h2>
      <label>
        Kind
        <select value={kind} onChange={(e) => setKind(e.target.value as Kind)}>
          <option value="tip-fee">Change the tipping fee</option>
          <option value="license-fee">Change the licence fee</option>
          <option value="grant">Treasury grant</option>
        </select>
      </label>
      {kind === "grant" ? (
        <div className="two">
          <label>
            Recipient
            <input
              value={to}
              onChange={(e) => setTo(e.target.value.trim())}
              placeholder="0x…"
              aria-invalid={to !== "" && !isAddress(to)}
              spellCheck={false}
              required
            />
          </label>
          <label>
            Amount (CORE)
            <input inputMode="decimal" value={amount} onChange={(e) => setAmount(e.target.value)} required />
          </label>
        </div>
      ) : (
        <label>
          New fee (basis points, 100 = 1%, at most 1,000)
          <input type="number" min="0" max="1000" value={bps} onChange={(e) => setBps(e.target.value)} required />
        </label>
      )}
      <label>
        Description (its text on chain)
        <textarea value={description} onChange={(e) => setDescription(e.target.value)} rows={3} required />
      </label>
      <button type="submit" disabled={!wallet || !planned || !description.trim() || tx.busy}>
        Submit proposal
      </button>
      <TxStatus state={tx.state} />
    </form>
  );
}
