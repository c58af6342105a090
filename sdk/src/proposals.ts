/**
 * DAO proposals in the protocol's own terms, for every app that makes or shows them (the dApp, the
 * `hardhat dao` CLI, third-party dashboards): `planProposal` turns "set the tipping fee to 2%" into
 * the governor's targets, values and calldata with a plain-language summary, and `describeAction`
 * turns any proposal's calldata back into a sentence voters read ("Set the tipping fee to 2%").
 * The rules checked here (fee caps, ISRCs, registrant codes, splits) come from the contracts.
 *
 * @example
 * const plan = planProposal(deployment, { kind: "tip-fee", bps: 200 });
 * await propose(walletClient, { ...plan, description: plan.summary });
 */
import {
  type Address,
  decodeFunctionData,
  encodeFunctionData,
  formatEther,
  formatUnits,
  type Hex,
  isAddress,
  isAddressEqual,
  zeroAddress,
} from "viem";
import {
  flagTrackCall,
  reassignTrackCall,
  revokeTrackCall,
  setRegistrantCall,
  type Split,
  type TrackRef,
  unflagTrackCall,
} from "./actions/catalog.ts";
import { type DeploymentOption, type HarmonieClient, read, resolveDeployment } from "./actions/internal.ts";
import type { ContractName, Deployment } from "./deployments.ts";
import { InvalidInputError } from "./errors.ts";
import { contentRegistryAbi, contractAbis, harmonieGovernorAbi, harmonieTippingAbi } from "./generated/abis.ts";
import { protocolLimits } from "./generated/protocol.ts";
import { formatIsrc, formatRegistrantCode, isrcFromTrackId, trackIdFromIsrc } from "./isrc.ts";

/** Every kind of proposal the SDK builds, with the words a proposer picks it by. */
export const PROPOSAL_KINDS = {
  "tip-fee": "Change the tipping fee",
  "license-fee": "Change the licence fee",
  flag: "Flag a track as disputed (freeze it)",
  unflag: "Lift a dispute flag",
  revoke: "Revoke a track",
  reassign: "Reassign a track to its rightful artist",
  registrant: "Give a registrant code (CC-XXX) to a label",
  grant: "Treasury grant",
  pause: "Pause a contract",
  unpause: "Unpause a contract",
  guardian: "Set or remove the guardian",
  "quorum-floor": "Set the quorum floor",
  "allow-token": "Allow a token for tips and licences",
  "remove-token": "Stop accepting a token",
} as const;
export type ProposalKind = keyof typeof PROPOSAL_KINDS;

/** The contracts a proposal can pause, by the short names the CLI takes. */
export const PAUSABLE_CONTRACTS = {
  registry: { name: "ContentRegistry", label: "the content registry" },
  profiles: { name: "ArtistProfiles", label: "artist profiles" },
  live: { name: "LiveStreams", label: "live sessions" },
} as const satisfies Record<string, { name: ContractName; label: string }>;
export type PausableContract = keyof typeof PAUSABLE_CONTRACTS;

/** An ERC-20 as a proposal names it: its amounts are shown in its own units. */
export interface ProposalToken {
  address: Address;
  symbol: string;
  decimals: number;
}

/** A proposal in domain terms. `zeroAddress` as a registrant or guardian takes the role back. */
export type ProposalInput =
  | { kind: "tip-fee" | "license-fee"; bps: number }
  | ({ kind: "flag" | "revoke"; reason: string } & TrackRef)
  | ({ kind: "unflag" } & TrackRef)
  | ({
      kind: "reassign";
      artist: Address;
      /** Default: everything to the artist. */
      splits?: readonly Split[];
      /** Default: keep the current metadata package. */
      metadataCid?: string;
      reason: string;
    } & TrackRef)
  | { kind: "registrant"; code: string; registrant: Address }
  | { kind: "grant"; to: Address; amount: bigint }
  | { kind: "pause" | "unpause"; contract: PausableContract }
  | { kind: "guardian"; guardian: Address }
  | { kind: "quorum-floor"; votes: bigint }
  | { kind: "allow-token"; token: ProposalToken; minimum: bigint }
  | { kind: "remove-token"; token: ProposalToken };

/** The governor's actions for a proposal, and what passing it does, in words (a default description). */
export interface ProposalPlan {
  targets: Address[];
  values: bigint[];
  calldatas: Hex[];
  summary: string;
}

const percent = (bps: number | bigint) => `${Number(bps) / 100}%`;

/** "US-RC1-76-07839" for a track id that is an ISRC, else "track <id>". */
export function trackName(ref: TrackRef | bigint): string {
  const trackId = typeof ref === "bigint" ? ref : "trackId" in ref ? ref.trackId : trackIdFromIsrc(ref.isrc);
  try {
    return formatIsrc(isrcFromTrackId(trackId), { hyphens: true });
  } catch {
    return `track ${trackId}`;
  }
}

function requireAddress(value: Address, what: string) {
  if (!isAddress(value)) throw new InvalidInputError(`${what} must be an address, got ${JSON.stringify(value)}.`);
}

function requireReason(reason: string) {
  if (!reason.trim()) throw new InvalidInputError("Say why: the reason is recorded on chain.");
}

/**
 * Builds a proposal's actions and summary. Throws `InvalidInputError` (or the ISRC / registrant-code
 * errors) for input the contracts would refuse when the proposal executes, so nobody votes on it.
 */
export function planProposal(deployment: Deployment, input: ProposalInput): ProposalPlan {
  const address = (name: ContractName) => deployment.contracts[name].address;
  const single = (target: Address, data: Hex, summary: string): ProposalPlan => ({
    targets: [target],
    values: [0n],
    calldatas: [data],
    summary,
  });

  switch (input.kind) {
    case "tip-fee":
    case "license-fee": {
      const contract = input.kind === "tip-fee" ? "HarmonieTipping" : "ContentRegistry";
      const cap = protocolLimits[contract].MAX_FEE_BPS;
      const { bps } = input;
      if (!Number.isInteger(bps) || bps < 0 || bps > cap) {
        throw new InvalidInputError(
          `The fee is a whole number of basis points from 0 to ${cap} (${percent(cap)}), got ${bps}.`,
        );
      }
      const abi = input.kind === "tip-fee" ? harmonieTippingAbi : contentRegistryAbi;
      const on = input.kind === "tip-fee" ? "tips" : "licence sales";
      return single(
        address(contract),
        encodeFunctionData({ abi, functionName: "setFee", args: [bps] }),
        `Set the platform fee on ${on} to ${percent(bps)} (${bps} basis points).` +
          (input.kind === "tip-fee" ? " A raise takes effect after the tipping contract's notice period." : ""),
      );
    }
    case "flag":
      requireReason(input.reason);
      return single(
        address("ContentRegistry"),
        encodeFunctionData(flagTrackCall({ ...input, deployment })),
        `Flag track ${trackName(input)} as disputed (${input.reason}): it is frozen until unflagged, revoked or reassigned.`,
      );
    case "unflag":
      return single(
        address("ContentRegistry"),
        encodeFunctionData(unflagTrackCall({ ...input, deployment })),
        `Lift the dispute flag on track ${trackName(input)}.`,
      );
    case "revoke":
      requireReason(input.reason);
      return single(
        address("ContentRegistry"),
        encodeFunctionData(revokeTrackCall({ ...input, deployment })),
        `Revoke track ${trackName(input)} (${input.reason}): it stops selling for good; licence holders keep access.`,
      );
    case "reassign": {
      requireAddress(input.artist, "The rightful artist");
      requireReason(input.reason);
      const splits = input.splits ?? [{ recipient: input.artist, bps: protocolLimits.ContentRegistry.BPS }];
      return single(
        address("ContentRegistry"),
        encodeFunctionData(reassignTrackCall({ ...input, splits, deployment })),
        `Reassign track ${trackName(input)} to ${input.artist} with new splits (${input.reason}): future revenue goes to them.`,
      );
    }
    case "registrant": {
      requireAddress(input.registrant, "The registrant");
      const code = formatRegistrantCode(input.code, { hyphens: true });
      return single(
        address("ContentRegistry"),
        encodeFunctionData(setRegistrantCall({ deployment, code: input.code, registrant: input.registrant })),
        isAddressEqual(input.registrant, zeroAddress)
          ? `Unclaim registrant code ${code}: its ISRCs become first-come again.`
          : `Give registrant code ${code} to ${input.registrant}: tracks under it need its approval.`,
      );
    }
    case "grant":
      requireAddress(input.to, "The grant's recipient");
      if (input.amount <= 0n) throw new InvalidInputError("A grant pays more than 0 CORE.");
      return {
        targets: [input.to],
        values: [input.amount],
        calldatas: ["0x"],
        summary: `Pay a grant of ${formatEther(input.amount)} CORE from the treasury to ${input.to}.`,
      };
    case "pause":
    case "unpause": {
      const pausable = PAUSABLE_CONTRACTS[input.contract];
      if (!pausable) {
        throw new InvalidInputError(
          `The contract to ${input.kind} is one of ${Object.keys(PAUSABLE_CONTRACTS).join(", ")}, got ${input.contract}.`,
        );
      }
      return single(
        address(pausable.name),
        encodeFunctionData({ abi: contentRegistryAbi, functionName: input.kind }),
        input.kind === "pause"
          ? `Pause ${pausable.label} until a later proposal unpauses them.`
          : `Unpause ${pausable.label}.`,
      );
    }
    case "guardian": {
      requireAddress(input.guardian, "The guardian");
      const none = isAddressEqual(input.guardian, zeroAddress);
      return single(
        address("HarmonieGovernor"),
        encodeFunctionData({ abi: harmonieGovernorAbi, functionName: "setProposalGuardian", args: [input.guardian] }),
        none
          ? "Remove the guardian: only the timelock can pause, and each proposer can cancel its own proposals."
          : `Make ${input.guardian} the guardian: it can cancel any proposal before it executes and pause the content ` +
              "registry, artist profiles and live sessions (only the DAO unpauses).",
      );
    }
    case "quorum-floor":
      if (input.votes < 0n) throw new InvalidInputError("The quorum floor is a number of votes, 0 or more.");
      return single(
        address("HarmonieGovernor"),
        encodeFunctionData({ abi: harmonieGovernorAbi, functionName: "setQuorumFloor", args: [input.votes] }),
        `Require at least ${formatEther(input.votes)} votes (for or abstain) for a proposal to pass, from the ` +
          "proposals whose voting starts after this one executes.",
      );
    case "allow-token": {
      const { token } = input;
      requireAddress(token.address, "The token");
      if (input.minimum <= 0n) throw new InvalidInputError(`The minimum tip in ${token.symbol} must be above zero.`);
      return single(
        address("HarmonieTipping"),
        encodeFunctionData({
          abi: harmonieTippingAbi,
          functionName: "allowToken",
          args: [token.address, input.minimum],
        }),
        `Accept ${token.symbol} (${token.address}) for tips, with a minimum tip of ` +
          `${formatUnits(input.minimum, token.decimals)} ${token.symbol}.`,
      );
    }
    case "remove-token":
      requireAddress(input.token.address, "The token");
      return single(
        address("HarmonieTipping"),
        encodeFunctionData({ abi: harmonieTippingAbi, functionName: "removeToken", args: [input.token.address] }),
        `Stop accepting ${input.token.symbol} (${input.token.address}) for tips. Earnings already credited in it can ` +
          "still be withdrawn.",
      );
    default:
      throw new InvalidInputError(
        `Unknown proposal kind ${JSON.stringify((input as { kind: unknown }).kind)}: use one of ${Object.keys(PROPOSAL_KINDS).join(", ")}.`,
      );
  }
}

/*//////////////////////////////////////////////////////////////
                      PROPOSALS, DESCRIBED
//////////////////////////////////////////////////////////////*/

/** A piece of a sentence: text, or something an app looks up when it shows it (a handle, a symbol). */
export type SentencePart =
  | string
  | { account: Address }
  | { track: bigint }
  | { token: Address; amount?: bigint }
  /** "from <current artist> " when the track's artist is not already `to` (a reassignment not yet executed). */
  | { reassignedFrom: bigint; to: Address }
  /**
   * A setting's new value in basis points: "to 2%" in text; an app that reads the value in force now
   * (`getProposalSetting`) shows "2.5% → 2%" until the proposal is executed.
   */
  | { setting: ProposalSetting; to: number };

/** The settings a proposal sentence can show a before → after value for. */
export type ProposalSetting = "tipFee" | "licenceFee";

export interface DescribedAction {
  sentence: SentencePart[];
  /** The call as code, for voters who read contracts: `ContentRegistry.revokeTrack(…)`. */
  call?: string;
}

/** What the contracts are, for "Pause …" proposals. */
const CONTRACT_NOUNS: Partial<Record<ContractName, string>> = {
  ContentRegistry: "the track registry (registrations, sales and edits)",
  ArtistProfiles: "artist profiles",
  LiveStreams: "live sessions",
};

const core = (wei: bigint, unit = "CORE") => `${formatEther(wei)} ${unit}`;

/**
 * One action of a proposal in the words voters use: "Reassign US-RC1-76-07839 to @nova", "Set the
 * tipping fee to 3%". Calldata is decoded with the generated ABIs; a call without a sentence is shown
 * decoded (`Contract.function(args)`), and anything else by address.
 */
export function describeAction(
  deployment: Deployment,
  action: { target: Address; value?: bigint; calldata?: Hex },
): DescribedAction {
  const { target, value, calldata } = action;
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

/** Every action of a proposal, described. */
export function describeProposal(
  deployment: Deployment,
  proposal: { targets: readonly Address[]; values?: readonly bigint[]; calldatas?: readonly Hex[] },
): DescribedAction[] {
  return proposal.targets.map((target, i) =>
    describeAction(deployment, { target, value: proposal.values?.[i], calldata: proposal.calldatas?.[i] }),
  );
}

/**
 * A described action as plain text (a terminal, a notification). Accounts and tokens are shown by
 * address unless `names` knows better; the "from <current artist>" part needs chain state and is left out.
 */
export function sentenceText(
  parts: readonly SentencePart[],
  names: {
    account?: (address: Address) => string;
    token?: (address: Address, amount?: bigint) => string;
    /** The setting's value now, in basis points, for "2.5% → 2%". */
    setting?: (setting: ProposalSetting) => number | undefined;
  } = {},
): string {
  return parts
    .map((part) => {
      if (typeof part === "string") return part;
      if ("setting" in part) return settingChange(part.to, names.setting?.(part.setting));
      if ("account" in part) return names.account?.(part.account) ?? part.account;
      if ("track" in part) return trackName(part.track);
      if ("reassignedFrom" in part) return "";
      return (
        names.token?.(part.token, part.amount) ??
        (part.amount === undefined ? part.token : `${part.amount} units of ${part.token}`)
      );
    })
    .join("");
}

/**
 * "2.5% → 2%" while the value in force (`current`, basis points) differs from the proposed one, else
 * "to 2%" (not known, or already executed).
 */
export function settingChange(to: number, current?: number): string {
  return current === undefined || current === to ? `to ${percent(to)}` : `${percent(current)} → ${percent(to)}`;
}

/**
 * The value a fee proposal would change, as in force on chain now (basis points): what "2.5% → 2%"
 * starts from. The tipping fee is the one charged now (a raise waiting out its notice is not yet).
 *
 * @example
 * const now = await getProposalSetting(publicClient, { deployment, setting: "tipFee" }); // 250
 */
export async function getProposalSetting(
  client: HarmonieClient,
  params: DeploymentOption & { setting: ProposalSetting },
): Promise<number> {
  const deployment = resolveDeployment(client, params);
  if (params.setting === "tipFee") {
    const { address } = deployment.contracts.HarmonieTipping;
    const fees = await read(client, { address, abi: harmonieTippingAbi, functionName: "fees", args: [] });
    return Number(fees.feeBps);
  }
  const { address } = deployment.contracts.ContentRegistry;
  return Number(await read(client, { address, abi: contentRegistryAbi, functionName: "feeBps", args: [] }));
}

/** A proposal's quorum: the for + abstain votes it needs, fixed at its snapshot. */
export interface ProposalQuorum {
  /** When voting power and the quorum are measured (the governor's clock: unix seconds). */
  snapshot: bigint;
  /** Null until the snapshot has passed (the hVOTE supply it is a share of is not known before). */
  quorum: bigint | null;
}

/**
 * The quorum a proposal must reach (for + abstain votes), read from the governor at the proposal's
 * snapshot: the larger of the quorum fraction of the hVOTE supply then and the quorum floor.
 *
 * @example
 * const { quorum } = await getProposalQuorum(publicClient, { deployment, proposalId });
 * if (quorum !== null) console.log(`${formatEther(forVotes + abstainVotes)} of ${formatEther(quorum)}`);
 */
export async function getProposalQuorum(
  client: HarmonieClient,
  params: DeploymentOption & { proposalId: bigint },
): Promise<ProposalQuorum> {
  const deployment = resolveDeployment(client, params);
  const governor = { address: deployment.contracts.HarmonieGovernor.address, abi: harmonieGovernorAbi } as const;
  const snapshot = await read(client, { ...governor, functionName: "proposalSnapshot", args: [params.proposalId] });
  const clock = await read(client, { ...governor, functionName: "clock", args: [] });
  if (BigInt(snapshot) >= BigInt(clock)) return { snapshot: BigInt(snapshot), quorum: null };
  return {
    snapshot: BigInt(snapshot),
    quorum: await read(client, { ...governor, functionName: "quorum", args: [snapshot] }),
  };
}

/** The plain-language sentence of a decoded call, or undefined for calls shown as code. */
function sentenceFor(contract: ContractName, fn: string, args: readonly unknown[]): SentencePart[] | undefined {
  const a = args as readonly [unknown, unknown, unknown, unknown, unknown];
  switch (`${contract}.${fn}`) {
    case "HarmonieTipping.setFee":
      return ["Set the tipping fee ", { setting: "tipFee", to: Number(a[0]) }];
    case "ContentRegistry.setFee":
      return ["Set the licence fee ", { setting: "licenceFee", to: Number(a[0]) }];
    case "HarmonieTipping.setReferrerShare":
      return [`Give referring apps ${percent(a[0] as number)} of the platform fee`];
    case "HarmonieTipping.allowToken": {
      const token = a[0] as Address;
      return ["Allow ", { token }, " for tips and licences (minimum tip ", { token, amount: a[1] as bigint }, ")"];
    }
    case "HarmonieTipping.removeToken":
      return ["Stop accepting ", { token: a[0] as Address }, " for tips and licences"];
    case "HarmonieTipping.sweepFees":
    case "ContentRegistry.sweepFees":
      return [
        "Send the collected ",
        { token: a[0] as Address },
        ` ${contract === "HarmonieTipping" ? "tip" : "licence"} fees to the treasury`,
      ];
    case "ContentRegistry.flagTrack":
      return ["Flag ", { track: a[0] as bigint }, ` as disputed: ${a[1]}`];
    case "ContentRegistry.unflagTrack":
      return ["Lift the dispute flag on ", { track: a[0] as bigint }];
    case "ContentRegistry.revokeTrack":
      return ["Revoke ", { track: a[0] as bigint }, `: ${a[1]}`];
    case "ContentRegistry.reassignTrack": {
      const [trackId, artist, splits, metadataCid, reason] = a as [bigint, Address, readonly Split[], string, string];
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
              ...splits.flatMap((s, i): SentencePart[] => [
                i ? ", " : "",
                { account: s.recipient },
                ` ${percent(s.bps)}`,
              ]),
            ]),
        ...(metadataCid ? [" and new metadata"] : []),
        ...(reason ? [`: ${reason}`] : []),
      ];
    }
    case "ContentRegistry.setRegistrant": {
      const code = formatCode(a[0] as string);
      return isAddressEqual(a[1] as Address, zeroAddress)
        ? [`Take registrant code ${code} back (unclaimed)`]
        : [`Give registrant code ${code} to `, { account: a[1] as Address }];
    }
    case "HarmonieGovernor.setProposalGuardian":
      return isAddressEqual(a[0] as Address, zeroAddress)
        ? ["Remove the guardian"]
        : ["Set the guardian to ", { account: a[0] as Address }];
    case "HarmonieGovernor.setQuorumFloor":
      return [`Require at least ${core(a[0] as bigint, "votes")} for a proposal to pass`];
    case "HarmonieGovernor.setVotingDelay":
      return [`Set the voting delay to ${duration(a[0] as bigint)}`];
    case "HarmonieGovernor.setVotingPeriod":
      return [`Set the voting period to ${duration(a[0] as bigint)}`];
    case "HarmonieGovernor.setLateQuorumVoteExtension":
      return [`Extend voting by ${duration(a[0] as bigint)} when quorum is reached late`];
    case "HarmonieGovernor.updateQuorumNumerator":
      return [`Set the quorum to ${a[0]}% of staked votes`];
    case "HarmonieGovernor.setProposalThreshold":
      return [`Require ${core(a[0] as bigint, "votes")} to make a proposal`];
    case "TimelockController.updateDelay":
      return [`Set the timelock delay to ${duration(a[0] as bigint)}`];
  }
  if (fn === "pause" || fn === "unpause") {
    const noun = CONTRACT_NOUNS[contract];
    if (noun) return [`${fn === "pause" ? "Pause" : "Unpause"} ${noun}`];
  }
  return undefined;
}

/** "USRC1" → "US-RC1"; anything else as given. */
function formatCode(code: string): string {
  try {
    return formatRegistrantCode(code, { hyphens: true });
  } catch {
    return code;
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
