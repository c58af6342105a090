import { type Address, type Chain, createClient, custom, type Hex, type Transport } from "viem";
import { generatePrivateKey, nonceManager, privateKeyToAccount } from "viem/accounts";
import { getBalance, getGasPrice } from "viem/actions";
import { AccountRequiredError, InvalidInputError, TipSessionBudgetError, TipSessionExpiredError } from "../errors.ts";
import type { Deployment } from "../deployments.ts";
import {
  type DeploymentOption,
  type HarmonieClient,
  type WriteOptions,
  type WriteResult,
  contractCall,
  read,
  resolveDeployment,
  send,
  waitAsAsked,
} from "./internal.ts";
import { approveTipToken, CORE, type TipResult, tipFromReceipt, tippingContract, validateTip } from "./tipping.ts";

/** A fan's tab as the contract keeps it: its balance is the session key's spending cap. */
export interface Tab {
  fan: Address;
  token: Address;
  balance: bigint;
  /** Seconds since the epoch; the key cannot tip from this second on. */
  expiresAt: bigint;
  referrer: Address;
}

/** Gas a tab tip is budgeted at when sizing the key's gas allowance (measured: ~40k CORE, ~45k token). */
const GAS_PER_TIP = 90_000n;

export interface StartTipSessionParams extends WriteOptions {
  /** What the session may spend in total, in the token's smallest unit: the tab's balance. */
  budget: bigint;
  /** An allow-listed ERC-20, or CORE when omitted. */
  token?: Address;
  /** How long the key may tip, in seconds (default 4 hours: a long set). */
  duration?: number;
  /** How many tips the key's gas allowance should cover (default 40). */
  expectedTips?: number;
  /** CORE forwarded to the key for gas; default `expectedTips` tips at today's gas price, doubled. */
  gasAllowance?: bigint;
  /** The app that brought the fan; every tip of the session pays it its share of the fee. */
  referrer?: Address;
  /** How the key sends its transactions (e.g. `http(rpcUrl)`); default: through the fan's client. */
  transport?: Transport;
}

/**
 * A live set's prompt-free tipping: a session key that tips from the fan's tab. Tips are ordinary
 * on-chain tips from the fan; the key can never spend more than the tab or after it expires.
 */
export interface TipSession {
  /** The session key's address. */
  readonly key: Address;
  /** Keep it (e.g. in `sessionStorage`) to resume after a reload; whoever holds it can spend the tab. */
  readonly privateKey: Hex;
  readonly fan: Address;
  readonly token: Address;
  readonly expiresAt: bigint;
  /** Tips without any wallet prompt; the key pays the gas from its allowance. */
  tip(params: { artist: Address; amount: bigint; streamId?: bigint; message?: string }): Promise<TipResult>;
  /** What is left to spend, as the contract says. */
  remaining(): Promise<bigint>;
  /** Closes the tab: the rest of the budget and of the gas allowance go back to the fan. */
  close(): Promise<WriteResult & { refund: bigint; gasReturned: bigint }>;
}

/**
 * Opens a tab and hands its budget to a fresh session key, in one wallet confirmation (two for a
 * stablecoin tab without an allowance: approve, then open). Tips from the returned session need no
 * wallet at all.
 *
 * @example
 * const session = await startTipSession(fanWallet, { budget: parseEther("5"), transport: http(rpcUrl) });
 * await session.tip({ artist, amount: parseEther("0.5"), streamId, message: "🔥" });
 * await session.close();
 */
export async function startTipSession(client: HarmonieClient, params: StartTipSessionParams): Promise<TipSession> {
  const account = client.account;
  if (!account) throw new AccountRequiredError();
  if (params.budget <= 0n) throw new InvalidInputError("A tip session needs a positive budget.");
  const deployment = resolveDeployment(client, params);
  const token = params.token ?? CORE;
  const privateKey = generatePrivateKey();
  const key = privateKeyToAccount(privateKey).address;
  const expiresAt = BigInt(Math.floor(Date.now() / 1000) + (params.duration ?? 4 * 3600));
  const gasAllowance =
    params.gasAllowance ?? BigInt(params.expectedTips ?? 40) * GAS_PER_TIP * (await getGasPrice(client)) * 2n;
  if (token !== CORE) await approveTipToken(client, deployment, token, params.budget, params);
  const call = openTabCall({ ...params, deployment, key, expiresAt, gasAllowance });
  await send(client, deployment, call, "TabOpened", waitAsAsked(params));
  return resumeTipSession(client, { deployment, privateKey, transport: params.transport });
}

/**
 * The contract call opening a tab for a session key: the budget (as value for CORE; an ERC-20 tab
 * needs its allowance first) plus the key's gas allowance in CORE. `startTipSession` makes the key.
 *
 * @example
 * const call = openTabCall({ deployment, key, budget: parseEther("5"), expiresAt, gasAllowance: parseEther("0.01") });
 */
export function openTabCall(params: {
  deployment: Deployment;
  key: Address;
  budget: bigint;
  token?: Address;
  /** Unix seconds; the key cannot tip from this second on. */
  expiresAt: bigint;
  gasAllowance: bigint;
  referrer?: Address;
}) {
  const token = params.token ?? CORE;
  return contractCall({
    ...tippingContract(params.deployment),
    functionName: "openTab",
    args: [params.key, token, params.budget, Number(params.expiresAt), params.referrer ?? CORE],
    value: (token === CORE ? params.budget : 0n) + params.gasAllowance,
  });
}

/**
 * The contract call a session key sends to tip from its tab (`TipSession.tip` sends it for you).
 *
 * @example
 * const call = tipFromTabCall({ deployment, artist, amount: parseEther("0.5"), streamId, message: "🔥" });
 */
export function tipFromTabCall(params: {
  deployment: Deployment;
  artist: Address;
  amount: bigint;
  streamId?: bigint;
  message?: string;
}) {
  validateTip(params);
  return contractCall({
    ...tippingContract(params.deployment),
    functionName: "tipFromTab",
    args: [params.artist, params.streamId ?? 0n, params.amount, params.message ?? ""],
  });
}

/**
 * The session of a key kept from `startTipSession` (after a page reload, say).
 *
 * @throws TipSessionExpiredError when the key's tab was closed.
 */
export async function resumeTipSession(
  client: HarmonieClient,
  params: DeploymentOption & { privateKey: Hex; transport?: Transport },
): Promise<TipSession> {
  const deployment = resolveDeployment(client, params);
  const key = privateKeyToAccount(params.privateKey, { nonceManager });
  // The key sends its own transactions; poll receipts quickly, a live tip should show within a block.
  const keyClient = createClient({
    chain: client.chain as Chain | undefined,
    transport: params.transport ?? custom({ request: client.request }),
    account: key,
    pollingInterval: 250,
  });
  const tab = await getTab(keyClient, { deployment, key: key.address });
  if (tab.fan === CORE) throw new TipSessionExpiredError(key.address, "closed");
  let remaining = tab.balance;
  let closed = false;

  return {
    key: key.address,
    privateKey: params.privateKey,
    fan: tab.fan,
    token: tab.token,
    expiresAt: tab.expiresAt,

    async tip({ artist, amount, streamId, message }) {
      const call = tipFromTabCall({ deployment, artist, amount, streamId, message });
      if (closed) throw new TipSessionExpiredError(key.address, "closed");
      if (BigInt(Math.floor(Date.now() / 1000)) >= tab.expiresAt)
        throw new TipSessionExpiredError(key.address, "expired");
      if (amount > remaining) throw new TipSessionBudgetError(amount, remaining);
      const eventName = tab.token === CORE ? "TipSent" : "TokenTipSent";
      const { receipt } = await send(keyClient, deployment, call, eventName, { token: tab.token });
      remaining -= amount;
      return tipFromReceipt(receipt, { token: tab.token });
    },

    async remaining() {
      remaining = (await getTab(keyClient, { deployment, key: key.address })).balance;
      return remaining;
    },

    async close() {
      // Return the gas allowance with the call, keeping enough to pay for this transaction.
      const [balance, gasPrice] = await Promise.all([
        getBalance(keyClient, { address: key.address }),
        getGasPrice(keyClient),
      ]);
      const reserve = 2n * GAS_PER_TIP * gasPrice * 2n;
      const value = balance > reserve ? balance - reserve : 0n;
      const call = closeTabCall({ deployment, key: key.address, gasReturned: value });
      const { hash, receipt, event } = await send(keyClient, deployment, call, "TabClosed");
      closed = true;
      const { refund, gasReturned } = event;
      return { hash, receipt, refund, gasReturned };
    },
  };
}

/** Closes a tab from the fan's wallet (when the key is lost or out of gas): the rest goes back to the fan. */
export async function closeTab(client: HarmonieClient, params: WriteOptions & { key: Address }) {
  const deployment = resolveDeployment(client, params);
  const call = closeTabCall({ ...params, deployment });
  const { hash, receipt, event } = await send(client, deployment, call, "TabClosed", waitAsAsked(params));
  return { hash, receipt, ...event };
}

/**
 * The contract call closing a tab, from the fan or from its key (which sends back the CORE it holds
 * for gas as `gasReturned`); the rest of the budget goes back to the fan.
 */
export function closeTabCall(params: { deployment: Deployment; key: Address; gasReturned?: bigint }) {
  const contract = tippingContract(params.deployment);
  return params.gasReturned
    ? contractCall({ ...contract, functionName: "closeTab", args: [params.key], value: params.gasReturned })
    : contractCall({ ...contract, functionName: "closeTab", args: [params.key] });
}

/** Adds to a session's budget from the fan's wallet; CORE beyond `amount` tops up the key's gas. */
export async function topUpTab(
  client: HarmonieClient,
  params: WriteOptions & { key: Address; amount: bigint; gasAllowance?: bigint },
) {
  const deployment = resolveDeployment(client, params);
  const tab = await getTab(client, { deployment, key: params.key });
  if (tab.token !== CORE) await approveTipToken(client, deployment, tab.token, params.amount, params);
  const call = topUpTabCall({ ...params, deployment, token: tab.token });
  const { hash, receipt, event } = await send(client, deployment, call, "TabToppedUp", waitAsAsked(params));
  return { hash, receipt, balance: event.balance };
}

/**
 * The contract call adding `amount` to a tab in its token (`getTab` tells which: CORE is sent as value,
 * an ERC-20 needs its allowance first); `gasAllowance` is CORE for the key's gas.
 */
export function topUpTabCall(params: {
  deployment: Deployment;
  key: Address;
  amount: bigint;
  token?: Address;
  gasAllowance?: bigint;
}) {
  const core = (params.token ?? CORE) === CORE;
  return contractCall({
    ...tippingContract(params.deployment),
    functionName: "topUpTab",
    args: [params.key, params.amount],
    value: (core ? params.amount : 0n) + (params.gasAllowance ?? 0n),
  });
}

/** The tab a session key spends from; `fan` is the zero address when it has none. */
export async function getTab(client: HarmonieClient, params: DeploymentOption & { key: Address }): Promise<Tab> {
  const deployment = resolveDeployment(client, params);
  const tab = await read(client, { ...tippingContract(deployment), functionName: "tabOf", args: [params.key] });
  return {
    fan: tab.fan,
    token: tab.token,
    balance: tab.balance,
    expiresAt: BigInt(tab.expiresAt),
    referrer: tab.referrer,
  };
}
