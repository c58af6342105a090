import {
  formatIsrc,
  isValidIsrc,
  isValidRegistrantCode,
  planProposal,
  PROPOSAL_KINDS,
  type ProposalInput,
  type ProposalPlan,
  propose,
  protocolLimits,
} from "@harmonie/sdk";
import { type FormEvent, useState } from "react";
import { useNavigate } from "react-router";
import { type Address, isAddress, parseEther, parseUnits, zeroAddress } from "viem";
import { useHarmonie } from "../../lib/harmonie.tsx";
import { useAccountInput } from "../../lib/people.tsx";
import { useToken } from "../../lib/tokens.ts";
import { useWallet } from "../../lib/wallet.ts";
import { TxStatus, useTx } from "../../lib/tx.tsx";
import { ActionSentence, decodeAction } from "./actions.tsx";

/** The kinds this form offers (pausing and the quorum floor are proposed from the CLI), in the SDK's words. */
const FORM_KINDS = [
  "tip-fee",
  "license-fee",
  "grant",
  "reassign",
  "flag",
  "unflag",
  "revoke",
  "registrant",
  "allow-token",
  "remove-token",
  "guardian",
] as const;
type Kind = (typeof FORM_KINDS)[number];

const TRACK_KINDS: Kind[] = ["reassign", "flag", "unflag", "revoke"];
const REASON_KINDS: Kind[] = ["reassign", "flag", "revoke"];

/**
 * Proposals in the DAO's own terms. The timelock executes them, so every call targets a protocol
 * contract (or, for a grant, the grantee); the form shows the sentence voters will read before it
 * is submitted.
 */
export function CreateProposal() {
  const { deployment } = useHarmonie();
  const wallet = useWallet();
  const tx = useTx();
  const navigate = useNavigate();
  const [kind, setKind] = useState<Kind>("tip-fee");
  const [bps, setBps] = useState("300");
  const [to, setTo] = useState("");
  const [amount, setAmount] = useState("");
  const [isrc, setIsrc] = useState("");
  const [reason, setReason] = useState("");
  const [splits, setSplits] = useState("");
  const [code, setCode] = useState("");
  const [token, setToken] = useState("");
  const [minimum, setMinimum] = useState("0.01");
  const [description, setDescription] = useState("");
  // "@nova" or an address, for the artist, registrant, guardian and grantee.
  const account = useAccountInput(to);
  const tokenInfo = useToken(isAddress(token) ? token : undefined);

  /** The proposal in the SDK's terms, or what is missing from the form. */
  function input(): ProposalInput | string {
    const track = isValidIsrc(isrc) ? { isrc: formatIsrc(isrc) } : undefined;
    if (TRACK_KINDS.includes(kind) && !track) return "Enter the track's ISRC.";
    if (REASON_KINDS.includes(kind) && !reason.trim()) return "Say why: the reason is recorded on chain.";
    switch (kind) {
      case "tip-fee":
      case "license-fee":
        return { kind, bps: Number(bps) };
      case "grant":
        if (!account) return "Enter the recipient.";
        try {
          return { kind, to: account, amount: parseEther(amount) };
        } catch {
          return "Enter the amount of CORE.";
        }
      case "flag":
      case "revoke":
        return { kind, ...track!, reason: reason.trim() };
      case "unflag":
        return { kind, ...track! };
      case "reassign": {
        if (!account) return "Enter the rightful artist (an address or @name).";
        const shares = splits.trim() ? parseSplits(splits) : undefined;
        if (typeof shares === "string") return shares;
        return { kind, ...track!, artist: account, splits: shares, reason: reason.trim() };
      }
      case "registrant":
        if (!isValidRegistrantCode(code)) return "A registrant code is CC-XXX, e.g. US-RC1.";
        // An empty holder gives the code back (unclaimed).
        if (to.trim() && !account) return "Enter the label (an address or @name), or leave it empty to unclaim.";
        return { kind, code, registrant: to.trim() ? account! : zeroAddress };
      case "allow-token":
      case "remove-token": {
        if (!isAddress(token)) return "Enter the token's contract address.";
        if (!tokenInfo) return "Reading the token…";
        const info = { address: token, symbol: tokenInfo.symbol, decimals: tokenInfo.decimals };
        if (kind === "remove-token") return { kind, token: info };
        try {
          return { kind, token: info, minimum: parseUnits(minimum.trim(), tokenInfo.decimals) };
        } catch {
          return "Enter the minimum tip.";
        }
      }
      case "guardian":
        if (!account) return "Enter the guardian (an address or @name).";
        return { kind, guardian: account };
    }
  }
  /** The timelock's actions (the SDK checks what the contracts would refuse), or what is wrong. */
  function actions(): ProposalPlan | string {
    const proposal = input();
    if (typeof proposal === "string") return proposal;
    try {
      return planProposal(deployment, proposal);
    } catch (error) {
      return error instanceof Error ? error.message : String(error);
    }
  }
  const planned = actions();
  const feeCap = protocolLimits[kind === "license-fee" ? "ContentRegistry" : "HarmonieTipping"].MAX_FEE_BPS;
  const ready = typeof planned !== "string";

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!wallet || !ready) return;
    const { targets, values, calldatas } = planned;
    const created = await tx.run("Create proposal", () =>
      propose(wallet, { deployment, targets, values, calldatas, description }),
    );
    if (created) navigate(`/dao/${created.proposalId}`);
  }

  const accountLabel =
    kind === "grant"
      ? "Recipient"
      : kind === "reassign"
        ? "Rightful artist"
        : kind === "registrant"
          ? "Label (empty: unclaim the code)"
          : "Guardian";

  return (
    <form className="panel form" onSubmit={submit} aria-labelledby="propose-heading">
      <h2 id="propose-heading">New proposal</h2>
      <label>
        Kind
        <select value={kind} onChange={(e) => setKind(e.target.value as Kind)}>
          {FORM_KINDS.map((value) => (
            <option key={value} value={value}>
              {PROPOSAL_KINDS[value]}
            </option>
          ))}
        </select>
      </label>
      {(kind === "tip-fee" || kind === "license-fee") && (
        <label>
          New fee (basis points, 100 = 1%, at most {feeCap.toLocaleString("en")})
          <input type="number" min="0" max={feeCap} value={bps} onChange={(e) => setBps(e.target.value)} required />
        </label>
      )}
      {TRACK_KINDS.includes(kind) && (
        <label>
          Track (ISRC)
          <input
            value={isrc}
            onChange={(e) => setIsrc(e.target.value)}
            placeholder="US-RC1-76-07839"
            aria-invalid={isrc !== "" && !isValidIsrc(isrc)}
            autoCapitalize="characters"
            spellCheck={false}
            required
          />
        </label>
      )}
      {kind === "registrant" && (
        <label>
          Registrant code
          <input
            value={code}
            onChange={(e) => setCode(e.target.value)}
            placeholder="US-RC1"
            autoCapitalize="characters"
            spellCheck={false}
            required
          />
        </label>
      )}
      {(kind === "grant" || kind === "reassign" || kind === "registrant" || kind === "guardian") && (
        <label>
          {accountLabel} (0x… or @name)
          <input
            value={to}
            onChange={(e) => setTo(e.target.value)}
            placeholder="0x… or @name"
            aria-invalid={to.trim() !== "" && account === null}
            spellCheck={false}
            required={kind !== "registrant"}
          />
          {to.trim() !== "" && account === null && <span className="error">No account has this handle.</span>}
        </label>
      )}
      {kind === "grant" && (
        <label>
          Amount (CORE)
          <input inputMode="decimal" value={amount} onChange={(e) => setAmount(e.target.value)} required />
        </label>
      )}
      {kind === "reassign" && (
        <label>
          New splits (optional: one per line, an address and a percentage; empty = all to the artist)
          <textarea
            rows={2}
            value={splits}
            onChange={(e) => setSplits(e.target.value)}
            placeholder={"0x… 80\n0x… 20"}
          />
        </label>
      )}
      {REASON_KINDS.includes(kind) && (
        <label>
          Reason (recorded on chain)
          <input value={reason} onChange={(e) => setReason(e.target.value)} maxLength={280} required />
        </label>
      )}
      {(kind === "allow-token" || kind === "remove-token") && (
        <div className="two">
          <label>
            Token contract
            <input
              value={token}
              onChange={(e) => setToken(e.target.value.trim())}
              placeholder="0x…"
              aria-invalid={token !== "" && !isAddress(token)}
              spellCheck={false}
              required
            />
          </label>
          {kind === "allow-token" && (
            <label>
              Minimum tip ({tokenInfo?.symbol ?? "token units"})
              <input inputMode="decimal" value={minimum} onChange={(e) => setMinimum(e.target.value)} required />
            </label>
          )}
        </div>
      )}
      <label>
        Description (its text on chain)
        <textarea
          value={description}
          onChange={(e) => setDescription(e.target.value)}
          placeholder={ready ? planned.summary : undefined}
          rows={3}
          required
        />
      </label>
      <p className={ready ? undefined : "muted"} data-testid="proposal-preview">
        {ready ? (
          <>
            Voters will read:{" "}
            {planned.targets.map((target, i) => (
              <strong key={i}>
                <ActionSentence action={decodeAction(deployment, target, planned.values[i], planned.calldatas[i])} />
              </strong>
            ))}
          </>
        ) : (
          planned
        )}
      </p>
      <button type="submit" disabled={!wallet || !ready || !description.trim() || tx.busy}>
        Submit proposal
      </button>
      <TxStatus state={tx.state} />
    </form>
  );
}

/** "0xabc… 80" lines → splits in basis points summing to 10,000, or what is wrong. */
function parseSplits(text: string): { recipient: Address; bps: number }[] | string {
  // The SDK checks the total against the registry's rule; this reads the lines.
  const shares: { recipient: Address; bps: number }[] = [];
  for (const line of text
    .split("\n")
    .map((l) => l.trim())
    .filter(Boolean)) {
    const [recipient, share] = line.split(/[\s,:]+/);
    if (!recipient || !isAddress(recipient)) return `“${line.slice(0, 60)}” does not start with an address.`;
    const bps = Math.round(Number(share) * 100);
    if (!Number.isFinite(bps) || bps <= 0) return `“${line.slice(0, 60)}” needs a positive percentage.`;
    shares.push({ recipient, bps });
  }
  return shares;
}
