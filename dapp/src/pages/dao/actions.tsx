/**
 * A proposal's calls as sentences (the SDK's `describeAction`: "Reassign US-RC1-76-07839 from
 * 0x12…ab to @nova", "Set the tipping fee to 3%"), with accounts shown by handle and tokens by symbol.
 */
import {
  type Deployment,
  type DescribedAction,
  type SentencePart,
  type ProposalSetting,
  describeAction,
  getProposalSetting,
  getTrack,
  settingChange,
  trackName,
} from "@harmonie/sdk";
import { useQuery } from "@tanstack/react-query";
import { Fragment } from "react";
import { type Address, isAddressEqual } from "viem";
import { amountOf, shortAddress } from "../../lib/format.ts";
import { useHarmonie } from "../../lib/harmonie.tsx";
import { Account } from "../../lib/people.tsx";
import { useToken } from "../../lib/tokens.ts";
import { useReader } from "../../lib/wallet.ts";

export function decodeAction(
  deployment: Deployment,
  target: Address,
  value: bigint | undefined,
  calldata: `0x${string}` | undefined,
): DescribedAction {
  return describeAction(deployment, { target, value, calldata });
}

export function ActionSentence({ action }: { action: DescribedAction }) {
  return (
    <>
      {action.sentence.map((part, i) => (
        <Fragment key={i}>{typeof part === "string" ? part : <PartView part={part} />}</Fragment>
      ))}
    </>
  );
}

function PartView({ part }: { part: Exclude<SentencePart, string> }) {
  if ("setting" in part) return <SettingPart setting={part.setting} to={part.to} />;
  if ("account" in part) return <Account address={part.account} />;
  if ("track" in part) return <>{trackName(part.track)}</>;
  if ("reassignedFrom" in part) return <ReassignedFrom trackId={part.reassignedFrom} to={part.to} />;
  return <TokenPart token={part.token} amount={part.amount} />;
}

function TokenPart({ token, amount }: { token: Address; amount?: bigint }) {
  const info = useToken(token);
  // A token the deployment does not list names itself: show whose contract it is beside the claim.
  if (amount === undefined)
    return (
      <span title={token} data-testid="proposal-token">
        {info
          ? info.known
            ? info.symbol
            : `${info.symbol} (self-named token ${shortAddress(token)})`
          : shortAddress(token)}
      </span>
    );
  return <>{info ? amountOf(amount, info) : `${amount} units of ${shortAddress(token)}`}</>;
}

/** "2.5% → 2%" from the value in force on chain now; "to 2%" once executed or while it can't be read. */
function SettingPart({ setting, to }: { setting: ProposalSetting; to: number }) {
  const { deployment } = useHarmonie();
  const reader = useReader();
  const current = useQuery({
    queryKey: ["proposal-setting", setting],
    queryFn: () => getProposalSetting(reader, { deployment, setting }),
  });
  return <span data-testid="setting-change">{settingChange(to, current.data)}</span>;
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
