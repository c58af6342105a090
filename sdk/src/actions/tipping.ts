import {
  type Address,
  erc20Abi,
  type Hash,
  type Hex,
  isAddress,
  isAddressEqual,
  type TransactionReceipt,
  zeroAddress,
} from "viem";
import { signTypedData } from "viem/actions";
import {
  AccountRequiredError,
  InvalidInputError,
  MessageTooLongError,
  RpcUnavailableError,
  TokenNotAllowedError,
} from "../errors.ts";
import { harmonieTippingAbi } from "../generated/abis.ts";
import { tipAbi } from "../generated/fragments.ts";
import { protocolLimits } from "../generated/protocol.ts";
import type { Deployment, PaymentToken } from "../deployments.ts";
import { type Tip, tipId } from "../tip.ts";
import {
  type DeploymentOption,
  type HarmonieClient,
  type WriteOptions,
  type WriteResult,
  addressOf,
  contractCall,
  eventOf,
  logOf,
  guard,
  inOrder,
  read,
  receiptOf,
  requireWallet,
  waitAsAsked,
  resolveDeployment,
  send,
  submit,
} from "./internal.ts";

export const tippingContract = (deployment: Deployment) =>
  ({ address: addressOf(deployment, "HarmonieTipping"), abi: harmonieTippingAbi }) as const;

const { MAX_MESSAGE_BYTES, MAX_SPLIT_RECIPIENTS, BPS } = protocolLimits.HarmonieTipping;

/** Longest tip message the contract accepts, in UTF-8 bytes (its `MAX_MESSAGE_BYTES`). */
export const MAX_TIP_MESSAGE_BYTES: number = MAX_MESSAGE_BYTES;

/** The protocol's address for native CORE wherever a token is named. */
export const CORE: Address = zeroAddress;

/** Native CORE as a payment token (18 decimals). */
export const nativeCore: PaymentToken = { address: CORE, symbol: "CORE", decimals: 18 };

/**
 * The tokens a deployment takes tips in: CORE first, then the allow-listed ERC-20s it lists.
 *
 * @example
 * const [core, usdc] = paymentTokens(deployment);
 * const amount = parseUnits("2.5", usdc.decimals);
 */
export function paymentTokens(deployment: Deployment): PaymentToken[] {
  return [nativeCore, ...(deployment.tokens ?? [])];
}

export interface TipParams extends WriteOptions {
  artist: Address;
  /** Amount in the token's smallest unit (CORE: wei, `parseEther`; USDC: 6 decimals, `parseUnits(x, 6)`). */
  amount: bigint;
  /** An allow-listed ERC-20 (see `paymentTokens`); CORE when omitted. */
  token?: Address;
  /** The live session the tip belongs to, if any (it also selects the artist's session split). */
  streamId?: bigint;
  /** At most `MAX_TIP_MESSAGE_BYTES` of UTF-8, public and permanent in the tip's event. */
  message?: string;
  /** The app that brought the fan: it earns a share of the platform fee. `createHarmonieClient` sets it. */
  referrer?: Address;
}

/**
 * A sent tip: the SDK's `Tip` as its receipt tells it (same id and order as the indexer and the live
 * feed), with the token as an address, since a receipt has no block time and no token symbol.
 */
export interface TipResult extends WriteResult, Omit<Tip, "timestamp" | "token"> {
  token: Address;
}

/** Checks what the contract would refuse before any RPC call: message length, a positive amount. */
export function validateTip(params: Pick<TipParams, "amount" | "message">) {
  const bytes = new TextEncoder().encode(params.message ?? "").length;
  if (bytes > MAX_TIP_MESSAGE_BYTES) throw new MessageTooLongError(bytes, MAX_TIP_MESSAGE_BYTES);
  if (params.amount <= 0n) throw new InvalidInputError("A tip must carry a positive amount.");
}

/** Whether `token` names native CORE (omitted or the zero address). @internal */
export const isCore = (token: Address | undefined) => !token || token.toLowerCase() === CORE;

/**
 * The contract call for a tip, for viem's `simulateContract` or wagmi's `useSimulateContract`. An ERC-20
 * tip needs an allowance first (`tip` approves exactly what is missing).
 *
 * @example
 * const call = tipCall({ deployment, artist, amount: parseEther("1"), message: "encore!" });
 * const { request } = await publicClient.simulateContract({ ...call, account });
 */
export function tipCall(params: TipParams & { deployment: Deployment }) {
  validateTip(params);
  // The tip functions' fragment, not the whole tipping ABI: a tip-only bundle carries just these items.
  const contract = { address: addressOf(params.deployment, "HarmonieTipping"), abi: tipAbi } as const;
  const [streamId, message, referrer] = [params.streamId ?? 0n, params.message ?? "", params.referrer];
  if (!isCore(params.token)) {
    const args = [params.token!, params.artist, streamId, params.amount, message, referrer ?? zeroAddress] as const;
    return contractCall({ ...contract, functionName: "tipToken", args });
  }
  return referrer
    ? contractCall({
        ...contract,
        functionName: "tipWithReferrer",
        args: [params.artist, streamId, message, referrer],
        value: params.amount,
      })
    : contractCall({
        ...contract,
        functionName: "tip",
        args: [params.artist, streamId, message],
        value: params.amount,
      });
}

/**
 * Sends a tip and returns its hash without waiting: the lean path for a tip-only app (with
 * `tipFromReceipt`, it bundles under 5 kB over viem's `writeContract`). Checks the message, the chain
 * and the contract's code before anything is signed. An ERC-20 tip needs its allowance first
 * (`approveTipToken`); `tip` does all of this and waits.
 *
 * @example
 * const hash = await sendTip(walletClient, { artist, amount: parseEther("1"), message: "encore!" });
 * const { amount, message } = tipFromReceipt(await waitForTransactionReceipt(walletClient, { hash }));
 */
export async function sendTip(client: HarmonieClient, params: TipParams): Promise<Hash> {
  const deployment = resolveDeployment(client, params);
  return submit(client, deployment, tipCall({ ...params, deployment }), { token: params.token });
}

/**
 * The tip a receipt records (its `TipSent`, or `TokenTipSent` when `token` is an ERC-20), decoded with
 * the tip fragment of the ABI.
 *
 * @throws TransactionRevertedError, UnexpectedReceiptError (no tip event: not the protocol's contract)
 */
export function tipFromReceipt(receipt: TransactionReceipt, params: { token?: Address } = {}): TipResult {
  const { transactionHash: hash, blockNumber } = receipt;
  const { args, logIndex } = isCore(params.token)
    ? (({ args, logIndex }) => ({ args: { ...args, token: CORE }, logIndex }))(logOf(receipt, tipAbi, "TipSent"))
    : logOf(receipt, tipAbi, "TokenTipSent");
  const position = { id: tipId(hash, logIndex), transactionHash: hash, blockNumber, logIndex };
  return { hash, receipt, ...position, ...args };
}

/**
 * Tips an artist in CORE or an allow-listed stablecoin, optionally during a live session and with a
 * message. An ERC-20 tip first approves exactly the missing allowance (a second wallet confirmation).
 *
 * @example
 * const { hash, amount } = await tip(walletClient, { artist, amount: parseEther("1"), message: "encore!" });
 * await tip(walletClient, { artist, token: usdc.address, amount: parseUnits("2", 6) });
 * @throws MessageTooLongError, TokenNotAllowedError, WrongChainError, InsufficientFundsError,
 *   UserRejectedError, ContractError (e.g. `HarmonieTippingBelowMinimum`)
 */
export async function tip(client: HarmonieClient, params: TipParams): Promise<TipResult> {
  const deployment = resolveDeployment(client, params);
  if (!isCore(params.token)) await approveTipToken(client, deployment, params.token!, params.amount, params);
  const hash = await sendTip(client, { ...params, deployment });
  return tipFromReceipt(await receiptOf(client, hash, { timeout: params.receiptTimeout }), params);
}

/**
 * Makes sure `spender` (a HarmonieCORE contract) may pull `amount` of `token` from the caller: refuses
 * a token that is not on the DAO's allow-list before anything is signed — with the error `spender`
 * itself would raise — and approves only what is missing (Core's bridged stablecoins have no permit).
 * Tips and licences share this, as they share the allow-list the tipping contract keeps.
 * @internal
 */
export async function approveExactly(
  client: HarmonieClient,
  deployment: Deployment,
  params: {
    token: Address;
    amount: bigint;
    spender: Address;
    refusal: "HarmonieTippingTokenNotAllowed" | "ContentRegistryTokenNotAllowed";
    receiptTimeout?: number;
  },
) {
  const account = await requireWallet(client, deployment);
  const { token, amount, spender } = params;
  // An allow-listed token always has a non-zero minimum tip (whoever the artist).
  if ((await getMinimumTip(client, { deployment, artist: zeroAddress, token })) === 0n) {
    throw new TokenNotAllowedError(token, params.refusal);
  }
  const allowance = await read(client, {
    address: token,
    abi: erc20Abi,
    functionName: "allowance",
    args: [account.address, spender],
  });
  if (allowance >= amount) return;
  const context = { token, receiptTimeout: params.receiptTimeout };
  await send(client, deployment, approveCall(token, spender, amount), "Approval", context);
}

const approveCall = (token: Address, spender: Address, amount: bigint) =>
  contractCall({ address: token, abi: erc20Abi, functionName: "approve", args: [spender, amount] });

/**
 * The ERC-20 approval letting the tipping contract pull `amount` of `token` (a tip or a tab in it).
 *
 * @example
 * const call = approveTipTokenCall({ deployment, token: usdc.address, amount: parseUnits("2", 6) });
 */
export function approveTipTokenCall(params: { deployment: Deployment; token: Address; amount: bigint }) {
  return approveCall(params.token, tippingContract(params.deployment).address, params.amount);
}

/**
 * Lets the tipping contract pull `amount` of an allow-listed `token` (a tip or a tab in it), approving
 * only what is missing; `tip` and `startTipSession` call it for you.
 *
 * @throws TokenNotAllowedError before any approval, for a token off the allow-list
 */
export function approveTipToken(
  client: HarmonieClient,
  deployment: Deployment,
  token: Address,
  amount: bigint,
  options: Pick<WriteOptions, "receiptTimeout"> = {},
) {
  return approveExactly(client, deployment, {
    token,
    amount,
    spender: tippingContract(deployment).address,
    refusal: "HarmonieTippingTokenNotAllowed",
    receiptTimeout: options.receiptTimeout,
  });
}

export interface WithdrawalResult extends WriteResult {
  account: Address;
  token: Address;
  to: Address;
  /** Paid out, in the token's smallest unit. */
  amount: bigint;
  /** Platform fee kept for the treasury. */
  fee: bigint;
}

/**
 * Withdraws the caller's tips in one token (CORE by default), less the platform fee, to the caller or
 * to `to`. Every withdrawal also revokes the caller's unused withdrawal signatures.
 *
 * @example
 * const { amount, fee } = await withdrawTips(walletClient);
 * await withdrawTips(walletClient, { token: usdc.address });
 */
export async function withdrawTips(
  client: HarmonieClient,
  params: WriteOptions & { token?: Address; to?: Address } = {},
): Promise<WithdrawalResult> {
  const deployment = resolveDeployment(client, params);
  const call = withdrawTipsCall({ ...params, deployment });
  const { hash, receipt, event } = await send(client, deployment, call, "Withdrawn", waitAsAsked(params));
  return { hash, receipt, ...event };
}

/**
 * The contract call withdrawing the caller's tips in one token (CORE by default): `withdraw`, or
 * `withdrawTo` when `to` is given.
 *
 * @example
 * const call = withdrawTipsCall({ deployment, token: usdc.address, to: savings });
 */
export function withdrawTipsCall(params: { deployment: Deployment; token?: Address; to?: Address }) {
  const contract = tippingContract(params.deployment);
  const token = params.token ?? CORE;
  return params.to
    ? contractCall({ ...contract, functionName: "withdrawTo", args: [token, params.to] })
    : contractCall({ ...contract, functionName: "withdraw", args: [token] });
}

/** An account's signed permission for anyone to pay out its tips in one token to `to`. */
export interface SignedWithdrawal {
  account: Address;
  token: Address;
  to: Address;
  /** The withdrawal is refused if the fee in force is above this. */
  maxFeeBps: bigint;
  deadline: bigint;
  signature: Hex;
}

/**
 * Signs an EIP-712 withdrawal so a relayer can pay the gas (`withdrawTipsFor`). It names the token,
 * the recipient and the highest fee accepted (default: the fee in force now); it is used up by any
 * withdrawal and can be revoked with `invalidateWithdrawalSignatures`.
 *
 * @example
 * const signed = await signWithdrawal(artistWallet, { deadline: BigInt(Math.floor(Date.now() / 1000) + 3600) });
 */
export async function signWithdrawal(
  client: HarmonieClient,
  params: DeploymentOption & { deadline: bigint; token?: Address; to?: Address; maxFeeBps?: bigint },
): Promise<SignedWithdrawal> {
  const account = client.account;
  if (!account) throw new AccountRequiredError();
  const deployment = resolveDeployment(client, params);
  const nonce = await getTipNonce(client, { ...params, account: account.address });
  const maxFeeBps = params.maxFeeBps ?? (await getTipFees(client, params)).feeBps;
  const message = {
    account: account.address,
    token: params.token ?? CORE,
    to: params.to ?? account.address,
    maxFeeBps,
    nonce,
    deadline: params.deadline,
  };
  const signature = await guard(
    signTypedData(client, {
      account,
      domain: {
        name: "HarmonieTipping",
        version: "2",
        chainId: deployment.chainId,
        verifyingContract: tippingContract(deployment).address,
      },
      types: {
        Withdraw: [
          { name: "account", type: "address" },
          { name: "token", type: "address" },
          { name: "to", type: "address" },
          { name: "maxFeeBps", type: "uint256" },
          { name: "nonce", type: "uint256" },
          { name: "deadline", type: "uint256" },
        ],
      },
      primaryType: "Withdraw",
      message,
    }),
  );
  const { nonce: _nonce, ...signed } = message;
  return { ...signed, signature };
}

/** Submits a signed withdrawal; the tips go to the recipient it names, the gas is the caller's. */
export async function withdrawTipsFor(
  client: HarmonieClient,
  params: WriteOptions & SignedWithdrawal,
): Promise<WithdrawalResult> {
  const deployment = resolveDeployment(client, params);
  const call = withdrawTipsForCall({ ...params, deployment });
  const { hash, receipt, event } = await send(client, deployment, call, "Withdrawn", waitAsAsked(params));
  return { hash, receipt, ...event };
}

/** The contract call submitting a signed withdrawal (`signWithdrawal`). */
export function withdrawTipsForCall(params: SignedWithdrawal & { deployment: Deployment }) {
  return contractCall({
    ...tippingContract(params.deployment),
    functionName: "withdrawFor",
    args: [params.account, params.token, params.to, params.maxFeeBps, params.deadline, params.signature],
  });
}

/** Revokes every withdrawal signature the caller has given and not yet used. */
export async function invalidateWithdrawalSignatures(client: HarmonieClient, params: WriteOptions = {}) {
  const deployment = resolveDeployment(client, params);
  const call = invalidateWithdrawalSignaturesCall({ deployment });
  const { hash, receipt } = await send(client, deployment, call, "NonceInvalidated", waitAsAsked(params));
  return { hash, receipt };
}

/** The contract call revoking the caller's unused withdrawal signatures. */
export function invalidateWithdrawalSignaturesCall(params: { deployment: Deployment }) {
  return contractCall({ ...tippingContract(params.deployment), functionName: "invalidateNonce", args: [] });
}

/** Sets the caller's own minimum CORE tip (on top of the protocol minimum). */
export async function setMinimumTip(client: HarmonieClient, params: WriteOptions & { minimum: bigint }) {
  const deployment = resolveDeployment(client, params);
  const call = setMinimumTipCall({ ...params, deployment });
  const { hash, receipt } = await send(client, deployment, call, "MinimumTipSet", waitAsAsked(params));
  return { hash, receipt };
}

/** The contract call setting the caller's own minimum CORE tip. */
export function setMinimumTipCall(params: { deployment: Deployment; minimum: bigint }) {
  return contractCall({ ...tippingContract(params.deployment), functionName: "setMinimumTip", args: [params.minimum] });
}

/** One recipient of a tip split and their share in basis points (all shares sum to the contract's `BPS`, 100%). */
export interface TipShare {
  recipient: Address;
  bps: number;
}

/**
 * Routes the caller's tips to a split: for tips naming `streamId` (a live session's guest, band or
 * venue), or with `streamId` 0 / omitted for every other tip. An empty list removes the split. Each
 * recipient withdraws their own share.
 *
 * @example
 * await setTipSplit(artistWallet, { shares: [{ recipient: me, bps: 7_000 }, { recipient: drummer, bps: 3_000 }] });
 */
export async function setTipSplit(
  client: HarmonieClient,
  params: WriteOptions & { streamId?: bigint; shares: readonly TipShare[] },
) {
  const deployment = resolveDeployment(client, params);
  const call = setTipSplitCall({ ...params, deployment });
  const { hash, receipt } = await send(client, deployment, call, "SplitSet", waitAsAsked(params));
  return { hash, receipt };
}

/**
 * The contract call setting (or, with no shares, removing) the caller's tip split; checks the
 * recipients' count and total against the contract's limits first.
 *
 * @example
 * const call = setTipSplitCall({ deployment, streamId, shares: [{ recipient: guest, bps: 10_000 }] });
 */
export function setTipSplitCall(params: { deployment: Deployment; streamId?: bigint; shares: readonly TipShare[] }) {
  const total = params.shares.reduce((sum, share) => sum + share.bps, 0);
  if (params.shares.length > MAX_SPLIT_RECIPIENTS || (params.shares.length > 0 && total !== BPS)) {
    throw new InvalidInputError(
      `A split has 1–${MAX_SPLIT_RECIPIENTS} recipients whose shares sum to ${BPS.toLocaleString("en-US")} bps (this one: ${params.shares.length}, summing to ${total}).`,
    );
  }
  const shares = params.shares.map(({ recipient, bps }) => ({ recipient, bps }));
  return contractCall({
    ...tippingContract(params.deployment),
    functionName: "setSplit",
    args: [params.streamId ?? 0n, shares],
  });
}

/** The split stored for an artist's tips naming `streamId` (0: the default split); empty when none. */
export async function getTipSplit(
  client: HarmonieClient,
  params: DeploymentOption & { artist: Address; streamId?: bigint },
): Promise<TipShare[]> {
  const deployment = resolveDeployment(client, params);
  const shares = await read(client, {
    ...tippingContract(deployment),
    functionName: "splitOf",
    args: [params.artist, params.streamId ?? 0n],
  });
  return shares.map(({ recipient, bps }) => ({ recipient, bps }));
}

/**
 * What an account (artist, split recipient, referrer) can withdraw now in one token: the net amount
 * and the fee at the rate in force.
 *
 * @example
 * const { net, fee } = await getTipEarnings(publicClient, { account: artist, token: usdc.address });
 */
export async function getTipEarnings(
  client: HarmonieClient,
  params: DeploymentOption & { account: Address; token?: Address },
) {
  const deployment = resolveDeployment(client, params);
  const [net, fee] = await read(client, {
    ...tippingContract(deployment),
    functionName: "earningsOf",
    args: [params.account, params.token ?? CORE],
  });
  return { net, fee };
}

/** The smallest tip an artist accepts in a token (CORE: protocol and artist minimum combined); 0 for a token tips do not accept. */
export async function getMinimumTip(
  client: HarmonieClient,
  params: DeploymentOption & { artist: Address; token?: Address },
) {
  const deployment = resolveDeployment(client, params);
  return read(client, {
    ...tippingContract(deployment),
    functionName: "minimumTipOf",
    args: [params.artist, params.token ?? CORE],
  });
}

/** A payment token as a client shows it: what it is called, its decimals, and how far to trust the name. */
export interface TokenInfo extends PaymentToken {
  /**
   * Named by the deployment (CORE and the stablecoins allow-listed at deployment). Any other token
   * names itself: its symbol is whatever its contract answers, so "USDC" may not be USDC.
   */
  known: boolean;
  /** Tips and licences take it now: CORE always, an ERC-20 while it is on the DAO's allow-list. */
  accepted: boolean;
}

/** Longest self-declared symbol shown: a contract can answer any string. */
const MAX_SYMBOL_LENGTH = 16;

/**
 * What a token is called and whether tips and licences take it, for any address (e.g. one a proposal
 * would allow-list). Tokens the deployment names are not asked; others are asked once for ERC-20's
 * `symbol()` and `decimals()`, their symbol stripped of control and direction characters and clamped.
 * An address that does not answer both is refused with `InvalidInputError`.
 *
 * @example
 * const usdt = await getPaymentToken(client, { token: "0x900101d06a7426441ae63e9ab3b9b0f63be145f1" });
 * if (!usdt.known) console.log(`${usdt.symbol} (named by its own contract)`);
 */
export async function getPaymentToken(
  client: HarmonieClient,
  params: DeploymentOption & { token: Address },
): Promise<TokenInfo> {
  const deployment = resolveDeployment(client, params);
  if (!isAddress(params.token, { strict: false }))
    throw new InvalidInputError(`${String(params.token)} is not an address.`);
  const listed = paymentTokens(deployment).find((t) => isAddressEqual(t.address, params.token));
  if (listed?.address === CORE) return { ...listed, known: true, accepted: true };
  const accepted = read(client, {
    ...tippingContract(deployment),
    functionName: "minimumTipOf",
    args: [zeroAddress, params.token],
  }).then((minimum) => minimum > 0n);
  if (listed) return { ...listed, known: true, accepted: await accepted };
  const erc20 = { address: params.token, abi: erc20Abi } as const;
  const described = Promise.all([
    read(client, { ...erc20, functionName: "symbol" }),
    read(client, { ...erc20, functionName: "decimals" }),
  ]).catch((error: unknown) => {
    if (error instanceof RpcUnavailableError) throw error;
    throw new InvalidInputError(`${params.token} is not an ERC-20 token: it does not answer symbol() and decimals().`);
  });
  const [[symbol, decimals], isAccepted] = await inOrder([described, accepted] as const);
  return { address: params.token, symbol: cleanSymbol(symbol) || "?", decimals, known: false, accepted: isAccepted };
}

/** Drops what could disguise a name (controls, bidi overrides, zero-width marks) and clamps it. */
function cleanSymbol(symbol: string): string {
  const visible = symbol.replace(/[\p{Cc}\p{Cf}\u2028\u2029]/gu, "").trim();
  return [...visible].slice(0, MAX_SYMBOL_LENGTH).join("");
}

/** The nonce an account's next signed withdrawal must carry. */
export async function getTipNonce(client: HarmonieClient, params: DeploymentOption & { account: Address }) {
  const deployment = resolveDeployment(client, params);
  return read(client, { ...tippingContract(deployment), functionName: "nonces", args: [params.account] });
}

/** The tipping fee settings, in basis points; a raise shows as `pendingFeeBps` until `pendingFrom` (seconds). */
export interface TipFees {
  feeBps: bigint;
  pendingFeeBps: bigint;
  pendingFrom: bigint;
  referrerShareBps: bigint;
  noticePeriod: bigint;
}

/**
 * The platform fee on tips in force now, a raise announced and when it takes effect, the referrers'
 * share of the fee and the notice every raise gives.
 */
export async function getTipFees(client: HarmonieClient, params: DeploymentOption = {}): Promise<TipFees> {
  const deployment = resolveDeployment(client, params);
  const fees = await read(client, { ...tippingContract(deployment), functionName: "fees", args: [] });
  const { feeBps, pendingFeeBps, pendingFrom, referrerShareBps, noticePeriod } = fees;
  return { feeBps, pendingFeeBps, pendingFrom, referrerShareBps, noticePeriod };
}

/** Fees settled in a token and not yet swept to the treasury. */
export async function getOwedTipFees(client: HarmonieClient, params: DeploymentOption & { token?: Address } = {}) {
  const deployment = resolveDeployment(client, params);
  return read(client, {
    ...tippingContract(deployment),
    functionName: "owedFees",
    args: [params.token ?? CORE],
  });
}
