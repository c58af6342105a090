import { type Address, type Chain, createClient, custom, type Hex, type Transport } from "viem";
import { generatePrivateKey, nonceManager, privateKeyToAccount } from "viem/accounts";
import { getBalance, getGasPrice } from "viem/actions";
import { AccountRequiredError, InvalidInputError, TipSessionBudgetError, TipSessionExpiredError } from "../errors.ts";
import {
  type DeploymentOption,
  type HarmonieClient,
  type WriteResult,
  read,
  resolveDeployment,
  send,
} from "./internal.ts";
import { approveTipToken, CORE, type TipResult, tippingContract, validateTip } from "./tipping.ts";

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

export interface StartTipSessionParams extends DeploymentOption {
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
  if (token !== CORE) await approveTipToken(client, deployment, token, params.budget);
  const call = {
    ...tippingContract(deployment),
    functionName: "openTab",
    args: [key, token, params.budget, Number(expiresAt), params.referrer ?? CORE],
    value: (token === CORE ? params.budget : 0n) + gasAllowance,
  } as const;
  await send(client, deployment, call, "TabOpened");
  return resumeTipSession(client, { deployment, privateKey, transport: params.transport });
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
  const contract = tippingContract(deployment);

  return {
    key: key.address,
    privateKey: params.privateKey,
    fan: tab.fan,
    token: tab.token,
    expiresAt: tab.expiresAt,

    async tip({ artist, amount, streamId, message }) {
      validateTip({ amount, message });
      if (closed) throw new TipSessionExpiredError(key.address, "closed");
      if (BigInt(Math.floor(Date.now() / 1000)) >= tab.expiresAt)
        throw new TipSessionExpiredError(key.address, "expired");
      if (amount > remaining) throw new TipSessionBudgetError(amount, remaining);
      const call = {
        ...contract,
        functionName: "tipFromTab",
        args: [artist, streamId ?? 0n, amount, message ?? ""],
      } as const;
      const eventName = tab.token === CORE ? "TipSent" : "TokenTipSent";
      const { hash, receipt, event } = await send(keyClient, deployment, call, eventName, { token: tab.token });
      remaining -= amount;
      return { hash, receipt, token: tab.token, ...event };
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
      const call = { ...contract, functionName: "closeTab", args: [key.address], value } as const;
      const { hash, receipt, event } = await send(keyClient, deployment, call, "TabClosed");
      closed = true;
      const { refund, gasReturned } = event;
      return { hash, receipt, refund, gasReturned };
    },
  };
}

/** Closes a tab from the fan's wallet (when the key is lost or out of gas): the rest goes back to the fan. */
export async function closeTab(client: HarmonieClient, params: DeploymentOption & { key: Address }) {
  const deployment = resolveDeployment(client, params);
  const call = { ...tippingContract(deployment), functionName: "closeTab", args: [params.key] } as const;
  const { hash, receipt, event } = await send(client, deployment, call, "TabClosed");
  return { hash, receipt, ...event };
}

/** Adds to a session's budget from the fan's wallet; CORE beyond `amount` tops up the key's gas. */
export async function topUpTab(
  client: HarmonieClient,
  params: DeploymentOption & { key: Address; amount: bigint; gasAllowance?: bigint },
) {
  const deployment = resolveDeployment(client, params);
  const tab = await getTab(client, { deployment, key: params.key });
  if (tab.token !== CORE) await approveTipToken(client, deployment, tab.token, params.amount);
  const call = {
    ...tippingContract(deployment),
    functionName: "topUpTab",
    args: [params.key, params.amount],
    value: (tab.token === CORE ? params.amount : 0n) + (params.gasAllowance ?? 0n),
  } as const;
  const { hash, receipt, event } = await send(client, deployment, call, "TabToppedUp");
  return { hash, receipt, balance: event.balance };
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
