import { type Account, type Address, type Chain, type Client, createClient, type Transport } from "viem";
import * as catalog from "./actions/catalog.ts";
import * as governance from "./actions/governance.ts";
import type { HarmonieClient } from "./actions/internal.ts";
import * as live from "./actions/live.ts";
import * as profiles from "./actions/profiles.ts";
import * as tipSessions from "./actions/tip-sessions.ts";
import * as tipping from "./actions/tipping.ts";
import { type Deployment, getDeployment } from "./deployments.ts";
import { InvalidInputError } from "./errors.ts";
import type { StorageBackend } from "./storage/backend.ts";

const actions = {
  tip: tipping.tip,
  withdrawTips: tipping.withdrawTips,
  signWithdrawal: tipping.signWithdrawal,
  withdrawTipsFor: tipping.withdrawTipsFor,
  invalidateWithdrawalSignatures: tipping.invalidateWithdrawalSignatures,
  setMinimumTip: tipping.setMinimumTip,
  setTipSplit: tipping.setTipSplit,
  getTipSplit: tipping.getTipSplit,
  getTipEarnings: tipping.getTipEarnings,
  getMinimumTip: tipping.getMinimumTip,
  getTipNonce: tipping.getTipNonce,
  getTipFees: tipping.getTipFees,
  getOwedTipFees: tipping.getOwedTipFees,
  startTipSession: tipSessions.startTipSession,
  resumeTipSession: tipSessions.resumeTipSession,
  closeTab: tipSessions.closeTab,
  topUpTab: tipSessions.topUpTab,
  getTab: tipSessions.getTab,
  registerTrack: catalog.registerTrack,
  updateTrackMetadata: catalog.updateTrackMetadata,
  addLicenseOffer: catalog.addLicenseOffer,
  setLicensePrice: catalog.setLicensePrice,
  setLicenseOfferActive: catalog.setLicenseOfferActive,
  purchaseLicense: catalog.purchaseLicense,
  withdrawLicenseEarnings: catalog.withdrawLicenseEarnings,
  collectRoyalties: catalog.collectRoyalties,
  offerTrackTransfer: catalog.offerTrackTransfer,
  acceptTrackTransfer: catalog.acceptTrackTransfer,
  signTrackApproval: catalog.signTrackApproval,
  reassignTrack: catalog.reassignTrack,
  getTrack: catalog.getTrack,
  getSplits: catalog.getSplits,
  getLicenseOffer: catalog.getLicenseOffer,
  hasAccess: catalog.hasAccess,
  getLicenseStatus: catalog.getLicenseStatus,
  getLicenseBalance: catalog.getLicenseBalance,
  getLicensePurchases: catalog.getLicensePurchases,
  getLicenseEarnings: catalog.getLicenseEarnings,
  getRoyaltyAddress: catalog.getRoyaltyAddress,
  getPendingArtist: catalog.getPendingArtist,
  getRegistrant: catalog.getRegistrant,
  registerProfile: profiles.registerProfile,
  updateProfile: profiles.updateProfile,
  changeHandle: profiles.changeHandle,
  setArtist: profiles.setArtist,
  follow: profiles.follow,
  unfollow: profiles.unfollow,
  getProfile: profiles.getProfile,
  getAccountByHandle: profiles.getAccountByHandle,
  openSession: live.openSession,
  closeSession: live.closeSession,
  getSession: live.getSession,
  canWatch: live.canWatch,
  stake: governance.stake,
  requestUnstake: governance.requestUnstake,
  cancelUnstake: governance.cancelUnstake,
  completeUnstake: governance.completeUnstake,
  delegate: governance.delegate,
  signDelegation: governance.signDelegation,
  delegateBySig: governance.delegateBySig,
  propose: governance.propose,
  castVote: governance.castVote,
  queueProposal: governance.queueProposal,
  executeProposal: governance.executeProposal,
  getProposalState: governance.getProposalState,
  hasVoted: governance.hasVoted,
  getStake: governance.getStake,
};

type Actions = typeof actions;

/** `Omit` over each member of a union: `{ trackId } | { isrc }` keeps both alternatives. */
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** Each action with the client and deployment already bound: `harmonie.tip({ artist, amount })`. */
export type BoundActions = {
  [K in keyof Actions]: Actions[K] extends (client: HarmonieClient, params: infer P) => infer R
    ? {} extends DistributiveOmit<P, "deployment">
      ? (params?: DistributiveOmit<P, "deployment">) => R
      : (params: DistributiveOmit<P, "deployment">) => R
    : never;
};

export interface HarmonieClientConfig<TChain extends Chain = Chain> {
  chain: TChain;
  transport: Transport;
  /** Needed for writes: a local account (`privateKeyToAccount`) or a JSON-RPC address the wallet holds. */
  account?: Account | `0x${string}`;
  /** Defaults to the deployment the SDK ships for `chain`. */
  deployment?: Deployment;
  /** GraphQL endpoint of the HarmonieCORE subgraph. */
  indexerUrl?: string;
  /** Where track and profile packages are stored (see `createEmbeddedBackend`, `createKuboBackend`). */
  storage?: StorageBackend;
  /**
   * Your app's address: every tip, tip session and licence purchase sent through this client names it
   * as the referrer, which earns it a governance-set share of the platform fee (never out of the
   * artist's or collaborators' part).
   */
  referrer?: `0x${string}`;
  /**
   * Milliseconds every write waits for its receipt (default `RECEIPT_TIMEOUT_MS`, 60 s) before it
   * throws an error naming the transaction's hash; an action's own `receiptTimeout` wins.
   */
  receiptTimeout?: number;
}

// Every option, so a misspelt one is named at run time too (JavaScript callers get no excess-property check).
const CONFIG_OPTIONS: Record<keyof HarmonieClientConfig, true> = {
  chain: true,
  transport: true,
  account: true,
  deployment: true,
  indexerUrl: true,
  storage: true,
  referrer: true,
  receiptTimeout: true,
};

/** Levenshtein distance: how many single-character edits turn `a` into `b`. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length];
}

function rejectUnknownOptions(config: object) {
  const known = Object.keys(CONFIG_OPTIONS);
  for (const option of Object.keys(config)) {
    if (option in CONFIG_OPTIONS) continue;
    const [closest] = known
      .map((name) => [name, editDistance(option.toLowerCase(), name.toLowerCase())] as const)
      .sort((x, y) => x[1] - y[1]);
    // Within a third of the word's length: a slip, not a different idea.
    const hint = closest[1] <= Math.max(2, Math.ceil(option.length / 3)) ? ` Did you mean \`${closest[0]}\`?` : "";
    throw new InvalidInputError(
      `createHarmonieClient has no option \`${option}\`.${hint} Its options are: ${known.join(", ")}.`,
    );
  }
}

/** What a client passes to every action it binds (an action's own params win). */
interface BoundDefaults {
  referrer?: Address;
  receiptTimeout?: number;
}

/** The action table bound to one viem client and deployment: shared by `createHarmonieClient` and `harmonieActions`. */
function bindActions(client: HarmonieClient, deployment: Deployment, defaults: BoundDefaults): BoundActions {
  // Tips and licence purchases read the referrer, writes the timeout; other actions ignore the extra fields.
  const { referrer, receiptTimeout } = defaults;
  const bound = { ...(referrer ? { referrer } : {}), ...(receiptTimeout ? { receiptTimeout } : {}) };
  return Object.fromEntries(
    Object.entries(actions).map(([name, action]) => [
      name,
      (params: object = {}) =>
        (action as (c: HarmonieClient, p: object) => unknown)(client, { ...bound, ...params, deployment }),
    ]),
  ) as BoundActions;
}

/**
 * Every HarmonieCORE action for viem's `client.extend(...)`, as viem's `publicActions` are: the
 * deployment is the one passed, else the one the SDK ships for the client's chain.
 *
 * @example
 * const client = createWalletClient({ chain: coreTestnet2, transport: http(), account }).extend(harmonieActions());
 * await client.tip({ artist, amount: parseEther("1") });
 */
export function harmonieActions(options: BoundDefaults & { deployment?: Deployment } = {}) {
  return <TTransport extends Transport, TChain extends Chain | undefined, TAccount extends Account | undefined>(
    client: Client<TTransport, TChain, TAccount>,
  ): BoundActions => bindActions(client, getDeployment(client.chain?.id, options.deployment), options);
}

/**
 * A client with every HarmonieCORE action bound to one chain, account and deployment.
 *
 * @example
 * const harmonie = createHarmonieClient({ chain: coreTestnet2, transport: http(), account });
 * const { hash } = await harmonie.tip({ artist, amount: parseEther("1"), message: "encore!" });
 */
export function createHarmonieClient<TChain extends Chain>(config: HarmonieClientConfig<TChain>) {
  rejectUnknownOptions(config);
  const client = createClient({ chain: config.chain, transport: config.transport, account: config.account });
  const deployment = getDeployment(config.chain.id, config.deployment);
  return {
    ...bindActions(client, deployment, config),
    client,
    chain: config.chain,
    deployment,
    indexerUrl: config.indexerUrl,
    storage: config.storage,
    referrer: config.referrer,
  };
}

export type HarmonieSdkClient = ReturnType<typeof createHarmonieClient>;
