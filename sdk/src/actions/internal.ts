import {
  type Abi,
  type Account,
  BaseError,
  type Chain,
  type Client,
  ContractFunctionRevertedError,
  InsufficientFundsError as ViemInsufficientFundsError,
  parseEventLogs,
  type TransactionReceipt,
  type Transport,
  UserRejectedRequestError,
} from "viem";
import {
  estimateContractGas,
  getChainId,
  getCode,
  readContract,
  waitForTransactionReceipt,
  writeContract,
} from "viem/actions";
import { type ContractName, type Deployment, getDeployment } from "../deployments.ts";
import {
  AccountRequiredError,
  ApprovalExpiredError,
  ContractError,
  type ContractErrorName,
  HarmonieError,
  InsufficientFundsError,
  InvalidInputError,
  LicenseBuyerLimitError,
  LicenseOfferInactiveError,
  LicenseSoldOutError,
  RegistrantApprovalRequiredError,
  StaleDeploymentError,
  TokenNotAllowedError,
  TRACK_STATUSES,
  TrackFrozenError,
  TransactionRevertedError,
  UnexpectedReceiptError,
  UnknownTrackError,
  UserRejectedError,
  WrongChainError,
} from "../errors.ts";

/** Any viem client: a public client for reads, one with an account for writes. */
export type HarmonieClient = Client<Transport, Chain | undefined, Account | undefined>;

/** Every action accepts an explicit deployment; without one the SDK uses the one it ships for the chain. */
export interface DeploymentOption {
  deployment?: Deployment;
}

/** A contract call, ready for viem's `simulateContract` / wagmi's `useSimulateContract`. */
export interface ContractCall<TAbi extends Abi = Abi> {
  address: `0x${string}`;
  abi: TAbi;
  functionName: string;
  args: readonly unknown[];
  value?: bigint;
}

/** The result of a write: the transaction and its receipt. */
export interface WriteResult {
  hash: `0x${string}`;
  receipt: TransactionReceipt;
}

export function resolveDeployment(client: HarmonieClient, options: DeploymentOption): Deployment {
  // JavaScript callers get no type check: the plural (the folder's name) is the usual slip.
  if (options && "deployments" in options && !("deployment" in options)) {
    throw new InvalidInputError(
      "Unknown option `deployments`: the option is `deployment`, one deployment object (the JSON in deployments/<chainId>.json).",
    );
  }
  return getDeployment(client.chain?.id, options.deployment);
}

export function addressOf(deployment: Deployment, name: ContractName): `0x${string}` {
  return deployment.contracts[name].address;
}

/** The SDK's class for a decoded contract error: a typed subclass where there is one, else `ContractError`. */
function contractErrorOf(errorName: string, args: readonly unknown[], options?: { cause?: unknown }) {
  // viem decoded the arguments against the ABI: each has the type its error declares.
  const a = args as readonly any[];
  switch (errorName as ContractErrorName) {
    case "HarmonieTippingTokenNotAllowed":
    case "ContentRegistryTokenNotAllowed":
      return new TokenNotAllowedError(a[0], errorName as "ContentRegistryTokenNotAllowed", options);
    case "ContentRegistryUnknownTrack":
      return new UnknownTrackError(a[0], options);
    case "ContentRegistryTrackFrozen":
      return new TrackFrozenError(a[0], TRACK_STATUSES[a[1]] === "revoked" ? "revoked" : "flagged", options);
    case "ContentRegistryOfferInactive":
      return new LicenseOfferInactiveError(a[0], a[1], options);
    case "ContentRegistrySupplyExhausted":
      return new LicenseSoldOutError(a[0], a[1], options);
    case "ContentRegistryBuyerLimitReached":
      return new LicenseBuyerLimitError(a[0], a[1], a[2], options);
    case "ContentRegistryRegistrantApprovalRequired":
      return new RegistrantApprovalRequiredError(a[0], a[1], options);
    case "ContentRegistryApprovalExpired":
      return new ApprovalExpiredError(a[0], options);
    default:
      return new ContractError(errorName, args, options);
  }
}

/** Maps viem's failures to the SDK's typed errors; contract custom errors keep their name and args. */
export function toHarmonieError(error: unknown): unknown {
  if (error instanceof HarmonieError || !(error instanceof BaseError)) return error;
  const revert = error.walk((e) => e instanceof ContractFunctionRevertedError) as ContractFunctionRevertedError | null;
  if (revert?.data?.errorName) return contractErrorOf(revert.data.errorName, revert.data.args ?? [], { cause: error });
  if (error.walk((e) => e instanceof UserRejectedRequestError)) return new UserRejectedError({ cause: error });
  // viem recognises geth's wording; Hardhat says "Sender doesn't have enough funds".
  const poor = (e: unknown) =>
    e instanceof ViemInsufficientFundsError ||
    (e instanceof BaseError && /insufficient funds|enough funds|exceeds .*balance/i.test(e.details ?? ""));
  if (error.walk(poor)) return new InsufficientFundsError({ cause: error });
  return error;
}

/**
 * Estimates gas first — a revert surfaces as a typed error before anything is signed, and viem's
 * `estimateContractGas` costs ~0.1 kB gzip where `simulateContract` costs ~12 kB — then sends with
 * that estimate, waits for the receipt and decodes the named events.
 */
export async function send<const TAbi extends Abi, TEvent extends string>(
  client: HarmonieClient,
  deployment: Deployment,
  call: ContractCall<TAbi>,
  eventName: TEvent,
) {
  try {
    const account = await requireWallet(client, deployment);
    // A call to an address without code "succeeds" and keeps any value sent: check before signing.
    const [code, gas] = await Promise.all([
      getCode(client, { address: call.address }),
      // viem cannot type a call whose function is chosen at run time; each action types its own result.
      estimateContractGas(client, { ...(call as any), account, chain: client.chain }),
    ]);
    if (!code || code === "0x") throw new StaleDeploymentError(call.address, deployment.chainId);
    const hash = await writeContract(client, { ...(call as any), account, chain: client.chain, gas });
    const receipt = await waitForTransactionReceipt(client, { hash });
    if (receipt.status !== "success") throw new TransactionRevertedError(hash);
    const logs = parseEventLogs({ abi: call.abi as Abi, logs: receipt.logs, eventName: eventName as never });
    if (logs.length === 0) throw new UnexpectedReceiptError(hash, eventName);
    return { hash, receipt, logs: logs as unknown as { eventName: TEvent; args: Record<string, unknown> }[] };
  } catch (error) {
    throw toHarmonieError(error);
  }
}

/**
 * The client's account, once its chain is the deployment's: an action that reads before it writes
 * (pre-checks, allowances) calls this first, so a wallet on another chain gets a `WrongChainError`
 * rather than reads from contracts that are not there.
 */
export async function requireWallet(client: HarmonieClient, deployment: Deployment): Promise<Account> {
  const account = client.account;
  if (!account) throw new AccountRequiredError();
  const chainId = await getChainId(client);
  if (chainId !== deployment.chainId) throw new WrongChainError(deployment.chainId, chainId);
  return account;
}

/**
 * Awaits every promise (reads made in parallel) and, if any failed, throws the first failure in the
 * order given, not in the order they arrived: an unknown track's error wins over its unknown offer's.
 */
export async function inOrder<const T extends readonly unknown[]>(promises: {
  [K in keyof T]: Promise<T[K]>;
}): Promise<T> {
  const results = await Promise.allSettled(promises);
  for (const result of results) if (result.status === "rejected") throw result.reason;
  return results.map((result) => (result as PromiseFulfilledResult<unknown>).value) as unknown as T;
}

/** Reads a view function, mapping reverts (e.g. unknown track) to typed errors. */
export async function read<T>(client: HarmonieClient, call: Omit<ContractCall, "value">): Promise<T> {
  try {
    // As above: the caller states the return type.
    return (await readContract(client, call as any)) as T;
  } catch (error) {
    throw toHarmonieError(error);
  }
}

/** The first decoded event's arguments, or a clear error if the contract did not emit it. */
export function eventArgs<T>(logs: { eventName: string; args: Record<string, unknown> }[], eventName: string): T {
  const log = logs.find((l) => l.eventName === eventName);
  if (!log) throw new HarmonieError(`Expected a ${eventName} event in the receipt and found none.`);
  return log.args as T;
}
