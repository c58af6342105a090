import { type Account, type Chain, createClient, type Transport } from "viem";
import * as catalog from "./actions/catalog.ts";
import * as governance from "./actions/governance.ts";
import type { HarmonieClient } from "./actions/internal.ts";
import * as live from "./actions/live.ts";
import * as profiles from "./actions/profiles.ts";
import * as tipSessions from "./actions/tip-sessions.ts";
import * as tipping from "./actions/tipping.ts";
import { type Deployment, getDeployment } from "./deployments.ts";
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
}

/**
 * A client with every HarmonieCORE action bound to one chain, account and deployment.
 *
 * @example
 * const harmonie = createHarmonieClient({ chain: coreTestnet2, transport: http(), account });
 * const { hash } = await harmonie.tip({ artist, amount: parseEther("1"), message: "encore!" });
 */
export function createHarmonieClient<TChain extends Chain>(config: HarmonieClientConfig<TChain>) {
  const client = createClient({ chain: config.chain, transport: config.transport, account: config.account });
  const deployment = getDeployment(config.chain.id, config.deployment);
  // Tips and licence purchases read it; other actions ignore the extra field.
  const referral = config.referrer ? { referrer: config.referrer } : {};
  const bound = Object.fromEntries(
    Object.entries(actions).map(([name, action]) => [
      name,
      (params: object = {}) =>
        (action as (c: HarmonieClient, p: object) => unknown)(client, { ...referral, ...params, deployment }),
    ]),
  ) as BoundActions;
  return {
    ...bound,
    client,
    chain: config.chain,
    deployment,
    indexerUrl: config.indexerUrl,
    storage: config.storage,
    referrer: config.referrer,
  };
}

export type HarmonieSdkClient = ReturnType<typeof createHarmonieClient>;
