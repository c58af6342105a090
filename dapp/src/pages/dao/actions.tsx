/**
 * A proposal's calls in the words voters use: "Reassign US-RC1-76-07839 from 0x12…ab to @nova",
 * "Set the tipping fee to 3%". Calldata is decoded with the SDK's generated ABIs; a call this file
 * has no sentence for is still shown decoded (`Contract.function(args)`), and anything else by address.
 */
import { type Deployment, type ContractName, formatIsrc, getTrack, isrcFromTrackId } from "@harmonie/sdk";
import { contractAbis } from "@harmonie/sdk/abis";
import { useQuery } from "@tanstack/react-query";
import { Fragment } from "react";
import { type Address, decodeFunctionData, isAddressEqual, zeroAddress } from "viem";
import { amountOf, core, shortAddress } from "../../lib/format.ts";
import { useHarmonie } from "../../lib/harmonie.tsx";
import { Account } from "../../lib/people.tsx";
import { useToken } from "../../lib/tokens.ts";
import { useReader } from "../../lib/wallet.ts";

/** A piece of a sentence: text, or something looked up when shown (a handle, a token's symbol). */
export type Part =
  | string
  | { account: Address }
  | { track: bigint }
  | { token: Address; amount?: bigint }
  /** "from <current artist> " when the track's artist is not already `to` (a reassignment not yet executed). */
  | { reassignedFrom: bigint; to: Address };

export interface DecodedAction {
  sentence: Part[];
  /** The call as code, for voters who read contracts: `ContentRegistry.revokeTrack(…)`. */
  call?: string;
}

const percent = (bps: number | bigint) => `${Number(bps) / 100}%`;

/** What the contracts call them, for "Pause …" proposals. */
const CONTRACT_NOUNS: Partial<Record<ContractName, string>> = {
  ContentRegistry: "the track registry (registrations, sales and edits)",
  ArtistProfiles: "artist profiles",
  LiveStreams: "live sessions",
};

export function decodeAction(
  deployment: Deployment,
  target: Address,
  value: bigint | undefined,
  calldata: `0x${string}` | undefined,
): DecodedAction {
  const name = (Object.entries(deployment.contracts) as [ContractName, { address: Address }][]).find(([, c]) =>
    isAddressEqual(c.address, target),
  )?.[0];
  const sending = value ? [` (sending ${core(value)})`] : [];
  if (!name) {
    if (!calldata || calldata === "0x")
      return { sentence: [`Send ${core(value ?? 0n)} from the treasury to `, { account: target }] };
    return { sentence: ["Call ", { account: target }, ` with data ${calldata.slice(0, 10)}…`, ...sending] };
  }
  if (!calldata || calldata === "0x") return { sentence: [`Send ${core(value ?? 0n)} to ${name}`] };
  let decoded: { functionName: string; args?: readonly unknown[] };
  try {
    decoded = decodeFunctionData({ abi: contractAbis[name], data: calldata });
  } catch {
    return { sentence: [`Call ${name} with data ${calldata.slice(0, 10)}…`, ...sending] };
  }
  const call = `${name}.${decoded.functionName}(${(decoded.args ?? []).map(show).join(", ")})`;
  const sentence = sentenceFor(name, decoded.functionName, decoded.args ?? []);
  return { sentence: sentence ? [...sentence, ...sending] : [`Call ${call}`, ...sending], call };
}

/** The plain-language sentence of a decoded call, or undefined for calls shown as code. */
function sentenceFor(contract: ContractName, fn: string, args: readonly unknown[]): Part[] | undefined {
  const a = args as any[];
  switch (`${contract}.${fn}`) {
    case "HarmonieTipping.setFee":
      return [`Set the tipping fee to ${percent(a[0])}`];
    case "ContentRegistry.setFee":
      return [`Set the licence fee to ${percent(a[0])}`];
    case "HarmonieTipping.setReferrerShare":
      return [`Give referring apps ${percent(a[0])} of the platform fee`];
    case "HarmonieTipping.allowToken":
      return ["Allow ", { token: a[0] }, " for tips and licences (minimum tip ", { token: a[0], amount: a[1] }, ")"];
    case "HarmonieTipping.removeToken":
      return ["Stop accepting ", { token: a[0] }, " for tips and licences"];
    case "HarmonieTipping.sweepFees":
    case "ContentRegistry.sweepFees":
      return [
        "Send the collected ",
        { token: a[0] },
        ` ${contract === "HarmonieTipping" ? "tip" : "licence"} fees to the treasury`,
      ];
    case "ContentRegistry.flagTrack":
      return ["Flag ", { track: a[0] }, ` as disputed: ${a[1]}`];
    case "ContentRegistry.unflagTrack":
      return ["Lift the dispute flag on ", { track: a[0] }];
    case "ContentRegistry.revokeTrack":
      return ["Revoke ", { track: a[0] }, `: ${a[1]}`];
    case "ContentRegistry.reassignTrack": {
      const [trackId, artist, splits, metadataCid, reason] = a as [
        bigint,
        Address,
        readonly { recipient: Address; bps: number }[],
        string,
        string,
      ];
      const soleArtist = splits.length === 1 && isAddressEqual(splits[0]!.recipient, artist);
      return [
        "Reassign ",
        { track: trackId },
        " ",
        { reassignedFrom: trackId, to: artist },
        "to ",
        { account: artist },
        ...(soleArtist
          ? []
          : [
              " with splits ",
              ...splits.flatMap((s, i): Part[] => [i ? ", " : "", { account: s.recipient }, ` ${percent(s.bps)}`]),
            ]),
        ...(metadataCid ? [" and new metadata"] : []),
        ...(reason ? [`: ${reason}`] : []),
      ];
    }
    case "ContentRegistry.setRegistrant": {
      const code = formatCode(a[0]);
      return isAddressEqual(a[1], zeroAddress)
        ? [`Take registrant code ${code} back (unclaimed)`]
        : [`Give registrant code ${code} to `, { account: a[1] }];
    }
    case "HarmonieGovernor.setProposalGuardian":
      return isAddressEqual(a[0], zeroAddress) ? ["Remove the guardian"] : ["Set the guardian to ", { account: a[0] }];
    case "HarmonieGovernor.setVotingDelay":
      return [`Set the voting delay to ${duration(a[0])}`];
    case "HarmonieGovernor.setVotingPeriod":
      return [`Set the voting period to ${duration(a[0])}`];
    case "HarmonieGovernor.setLateQuorumVoteExtension":
      return [`Extend voting by ${duration(a[0])} when quorum is reached late`];
    case "HarmonieGovernor.updateQuorumNumerator":
      return [`Set the quorum to ${a[0]}% of staked votes`];
    case "HarmonieGovernor.setProposalThreshold":
      return [`Require ${core(a[0], "votes")} to make a proposal`];
    case "TimelockController.updateDelay":
      return [`Set the timelock delay to ${duration(a[0])}`];
  }
  if (fn === "pause" || fn === "unpause") {
    const noun = CONTRACT_NOUNS[contract];
    if (noun) return [`${fn === "pause" ? "Pause" : "Unpause"} ${noun}`];
  }
  return undefined;
}

/** "USRC1" → "US-RC1". */
export function formatCode(code: string): string {
  const plain = code.replaceAll("-", "").toUpperCase();
  return plain.length === 5 ? `${plain.slice(0, 2)}-${plain.slice(2)}` : code;
}

export function isrcOf(trackId: bigint): string {
  try {
    return formatIsrc(isrcFromTrackId(trackId), { hyphens: true });
  } catch {
    return `track ${trackId}`;
  }
}

function duration(seconds: bigint | number): string {
  const s = Number(seconds);
  if (s % 86_400 === 0 && s >= 86_400) return `${s / 86_400} day${s === 86_400 ? "" : "s"}`;
  if (s % 3_600 === 0 && s >= 3_600) return `${s / 3_600} hour${s === 3_600 ? "" : "s"}`;
  return `${s} seconds`;
}

/** Arguments as code: bigints as numbers, structs as `{recipient: 0x…, bps: 8000}`. */
function show(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(show).join(", ")}]`;
  if (value && typeof value === "object")
    return `{${Object.entries(value)
      .map(([k, v]) => `${k}: ${show(v)}`)
      .join(", ")}}`;
  if (typeof value === "string" && !/^0x/.test(value)) return JSON.stringify(value);
  return String(value);
}

export function ActionSentence({ action }: { action: DecodedAction }) {
  return (
    <>
      {action.sentence.map((part, i) => (
        <Fragment key={i}>{typeof part === "string" ? part : <PartView part={part} />}</Fragment>
      ))}
    </>
  );
}

function PartView({ part }: { part: Exclude<Part, string> }) {
  if ("account" in part) return <Account address={part.account} />;
  if ("track" in part) return <>{isrcOf(part.track)}</>;
  if ("reassignedFrom" in part) return <ReassignedFrom trackId={part.reassignedFrom} to={part.to} />;
  return <TokenPart token={part.token} amount={part.amount} />;
}

function TokenPart({ token, amount }: { token: Address; amount?: bigint }) {
  const info = useToken(token);
  if (amount === undefined) return <span title={token}>{info?.symbol ?? shortAddress(token)}</span>;
  return <>{info ? amountOf(amount, info) : `${amount} units of ${shortAddress(token)}`}</>;
}

/** The track's artist now, unless the reassignment already happened (then there is no "from" to show). */
function ReassignedFrom({ trackId, to }: { trackId: bigint; to: Address }) {
  const { deployment } = useHarmonie();
  const reader = useReader();
  const track = useQuery({
    queryKey: ["chain-track", String(trackId)],
    queryFn: () => getTrack(reader, { deployment, trackId }),
    retry: false,
  });
  const artist = track.data?.artist;
  if (!artist || isAddressEqual(artist, to)) return null;
  return (
    <>
      from <Account address={artist} />{" "}
    </>
  );
}
