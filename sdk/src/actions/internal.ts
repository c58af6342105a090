import {
  type Abi,
  type Account,
  BaseError,
  type Chain,
  type Client,
  type ContractEventArgsFromTopics,
  type ContractEventName,
  type ContractFunctionArgs,
  type ContractFunctionName,
  type ContractFunctionParameters,
  ContractFunctionRevertedError,
  decodeEventLog,
  type EstimateContractGasParameters,
  type Hash,
  HttpRequestError,
  InsufficientFundsError as ViemInsufficientFundsError,
  InvalidAddressError,
  type ReadContractParameters,
  type ReadContractReturnType,
  TimeoutError,
  type TransactionReceipt,
  WaitForTransactionReceiptTimeoutError,
  type Transport,
  UserRejectedRequestError,
  WebSocketRequestError,
  type WriteContractParameters,
} from "viem";
import {
  estimateContractGas,
  getBlockNumber,
  getChainId,
  getCode,
  readContract,
  waitForTransactionReceipt,
  writeContract,
} from "viem/actions";
import { type ContractName, type Deployment, getDeployment } from "../deployments.ts";
import {
  AccountRequiredError,
  type AnyContractError,
  ContractError,
  type ContractErrorArgs,
  type ContractErrorName,
  HarmonieError,
  InsufficientFundsError,
  InvalidInputError,
  RpcUnavailableError,
  StaleDeploymentError,
  TokenNotAllowedError,
  TransactionRevertedError,
  TransactionUnconfirmedError,
  UnexpectedReceiptError,
  UserRejectedError,
  WrongChainError,
} from "../errors.ts";

/** Any viem client: a public client for reads, one with an account for writes. */
export type HarmonieClient = Client<Transport, Chain | undefined, Account | undefined>;

/** Every action accepts an explicit deployment; without one the SDK uses the one it ships for the chain. */
export interface DeploymentOption {
  deployment?: Deployment;
}

/** How long a write waits for its receipt by default: viem's own 180 s hides a node that went away. */
export const RECEIPT_TIMEOUT_MS = 60_000;

/** What every write accepts: the deployment, and how long to wait for the receipt. */
export interface WriteOptions extends DeploymentOption {
  /**
   * Milliseconds to wait for the receipt once the transaction is sent (default 60 s); then a
   * `TransactionUnconfirmedError`, or `RpcUnavailableError` if the node stopped answering, naming its hash.
   */
  receiptTimeout?: number;
}

type Writable = "nonpayable" | "payable";
type Readable = "pure" | "view";

/**
 * A contract call, ready for viem's `simulateContract` / wagmi's `useSimulateContract`: viem's
 * `ContractFunctionParameters` with the literal function name and its argument tuple.
 */
export type ContractCall<
  abi extends Abi = Abi,
  functionName extends ContractFunctionName<abi, Writable> = ContractFunctionName<abi, Writable>,
  args extends ContractFunctionArgs<abi, Writable, functionName> = ContractFunctionArgs<abi, Writable, functionName>,
> = ContractFunctionParameters<abi, Writable, functionName, args> & {
  functionName: functionName;
  args: args;
  value?: bigint;
};

/** Any write call of `abi`: each function with its own argument tuple, so a union of calls is one too. */
export type AnyContractCall<abi extends Abi> = {
  [F in ContractFunctionName<abi, Writable>]: ContractCall<abi, F>;
}[ContractFunctionName<abi, Writable>];

/** The shape every call has before it is checked against its own ABI. */
type UncheckedCall = { address: `0x${string}`; abi: Abi; functionName: string; args?: readonly unknown[] };

/**
 * Checks a call against its ABI at compile time — a misspelt function or a wrong argument fails to
 * compile — and keeps its literal type (function name, argument tuple, `value`) for viem's
 * `simulateContract`, wagmi's `useSimulateContract` and `send`.
 */
export const contractCall = <const call extends UncheckedCall>(call: call & AnyContractCall<call["abi"]>): call => call;

/** The result of a write: the transaction and its receipt. */
export interface WriteResult {
  hash: Hash;
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

/** What the SDK knows about a call that viem's error does not say: the ERC-20 its amounts are in. */
export interface CallContext {
  /** The payment token, when not CORE: a contract error's amounts are then shown in its raw units. */
  token?: string;
  /**
   * A domain's own error classes (catalog: `TrackFrozenError` …), passed by its actions so that a
   * bundle without them (a tip-only app) does not carry them.
   */
  refine?: (error: AnyContractError, options: { cause: unknown }) => ContractError | undefined;
  /** How long `send` waits for the receipt (`WriteOptions.receiptTimeout`). */
  receiptTimeout?: number;
}

/** The SDK's class for a decoded contract error: a typed subclass where there is one, else `ContractError`. */
function contractErrorOf(
  revert: NonNullable<ContractFunctionRevertedError["data"]>,
  options: { cause: unknown; token?: string },
  refine: CallContext["refine"],
): ContractError {
  const inputs = "inputs" in revert.abiItem ? revert.abiItem.inputs : [];
  const named = Object.fromEntries(inputs.map((input, i) => [input.name ?? String(i), revert.args?.[i]]));
  // The one trusted boundary: viem decoded the revert against this call's ABI, whose errors the union is generated from.
  const error = new ContractError(
    revert.errorName as ContractErrorName,
    named as ContractErrorArgs[ContractErrorName],
    options,
  ) as AnyContractError;
  if (error.errorName === "HarmonieTippingTokenNotAllowed" || error.errorName === "ContentRegistryTokenNotAllowed") {
    return new TokenNotAllowedError(error.args.token, error.errorName, options);
  }
  return refine?.(error, options) ?? error;
}

/** The host of a transport failure, never its URL: RPC URLs often carry an API key. */
function rpcUnavailable(error: BaseError, hash?: Hash): RpcUnavailableError | undefined {
  const failed = error.walk(
    (e) => e instanceof HttpRequestError || e instanceof TimeoutError || e instanceof WebSocketRequestError,
  ) as HttpRequestError | TimeoutError | WebSocketRequestError | null;
  if (!failed) return undefined;
  let host = "the RPC URL";
  try {
    host = new URL(failed.url).host;
  } catch {}
  return new RpcUnavailableError(host, { status: "status" in failed ? failed.status : undefined, hash });
}

/**
 * Maps viem's failures to the SDK's typed errors: contract custom errors with their named arguments,
 * a declined wallet, a malformed address, an unreachable node, too little CORE; any other viem error
 * becomes a `HarmonieError` that keeps it as its cause.
 */
export function toHarmonieError(error: unknown, context: CallContext = {}): unknown {
  if (error instanceof HarmonieError || !(error instanceof BaseError)) return error;
  const revert = error.walk((e) => e instanceof ContractFunctionRevertedError) as ContractFunctionRevertedError | null;
  if (revert?.data?.errorName) {
    return contractErrorOf(revert.data, { cause: error, token: context.token }, context.refine);
  }
  if (error.walk((e) => e instanceof UserRejectedRequestError)) return new UserRejectedError({ cause: error });
  const badAddress = error.walk((e) => e instanceof InvalidAddressError) as InvalidAddressError | null;
  if (badAddress) {
    return new InvalidInputError(`${badAddress.shortMessage} Pass 0x followed by 40 hex digits.`, { cause: error });
  }
  // No cause: viem's error text includes the full RPC URL.
  const unreachable = rpcUnavailable(error);
  if (unreachable) return unreachable;
  // viem recognises geth's wording; Hardhat says "Sender doesn't have enough funds".
  const poor = (e: unknown) =>
    e instanceof ViemInsufficientFundsError ||
    (e instanceof BaseError && /insufficient funds|enough funds|exceeds .*balance/i.test(e.details ?? ""));
  if (error.walk(poor)) return new InsufficientFundsError({ cause: error });
  return new HarmonieError(error.shortMessage, { cause: error });
}

/** Awaits `promise`, turning viem's failures into the SDK's errors (signatures, one-off calls). */
export async function guard<T>(promise: Promise<T>, context?: CallContext): Promise<T> {
  try {
    return await promise;
  } catch (error) {
    throw toHarmonieError(error, context);
  }
}

/**
 * Checks and sends a write, returning its hash. Estimates gas first — a revert surfaces as a typed error
 * before anything is signed, and viem's `estimateContractGas` costs ~0.1 kB gzip where
 * `simulateContract` costs ~12 kB — then sends with that estimate.
 */
export async function submit<const call extends UncheckedCall>(
  client: HarmonieClient,
  deployment: Deployment,
  call: call & AnyContractCall<call["abi"]>,
  context?: CallContext,
): Promise<Hash> {
  try {
    const account = await requireWallet(client, deployment);
    // viem's conditional parameter types do not reduce while the ABI is generic: the call was checked
    // against its own ABI in the signature (AnyContractCall), so it is passed on in viem's erased form.
    const erased: UncheckedCall & { value?: bigint } = call;
    const request = { ...erased, account, chain: client.chain } as EstimateContractGasParameters;
    // A call to an address without code "succeeds" and keeps any value sent: check before signing.
    const [code, gas] = await Promise.all([
      getCode(client, { address: call.address }),
      estimateContractGas(client, request),
    ]);
    if (!code || code === "0x") throw new StaleDeploymentError(call.address, deployment.chainId);
    return await writeContract(client, { ...request, gas } as WriteContractParameters);
  } catch (error) {
    throw toHarmonieError(error, context);
  }
}

/**
 * The named event's arguments from a write's receipt, typed by the ABI; a reverted transaction or a
 * receipt without the event (not this protocol's contract) is an error naming the hash.
 */
export function eventOf<const abi extends Abi, eventName extends ContractEventName<abi>>(
  receipt: TransactionReceipt,
  abi: abi,
  eventName: eventName,
): ContractEventArgsFromTopics<abi, eventName, true> {
  return logOf(receipt, abi, eventName).args;
}

/** As `eventOf`, with where the log sits in its block (a tip's id and order need it). */
export function logOf<const abi extends Abi, eventName extends ContractEventName<abi>>(
  receipt: TransactionReceipt,
  abi: abi,
  eventName: eventName,
): { args: ContractEventArgsFromTopics<abi, eventName, true>; logIndex: number } {
  if (receipt.status !== "success") throw new TransactionRevertedError(receipt.transactionHash);
  for (const log of receipt.logs) {
    try {
      // viem's eventName only types the result: the log's topic picks the event, so check its name.
      const decoded = decodeEventLog({ abi, eventName, topics: log.topics, data: log.data, strict: true });
      // decodeEventLog's result type does not reduce while `abi` is generic: restated in viem's terms.
      if (decoded.eventName === eventName)
        return { args: decoded.args as ContractEventArgsFromTopics<abi, eventName, true>, logIndex: log.logIndex };
    } catch {
      // Another event (an ERC-20's Transfer, another contract's log): keep looking.
    }
  }
  throw new UnexpectedReceiptError(receipt.transactionHash, eventName);
}

/** Any failure once a transaction is sent names its hash: it may be mined whatever happened next. */
export function afterSending(error: unknown, hash: Hash): unknown {
  if (error instanceof HarmonieError && "hash" in error && error.hash) return error;
  return (
    (error instanceof BaseError && rpcUnavailable(error, hash)) ||
    new TransactionUnconfirmedError(hash, { cause: error })
  );
}

/**
 * Waits for a sent transaction's receipt, at most `timeout` ms (default `RECEIPT_TIMEOUT_MS`); every
 * failure names the hash. viem's wait ignores failed polls, so a node that died after the send only
 * shows as the timeout: the node is asked once more to tell a dead node from a slow chain.
 */
export async function receiptOf(
  client: HarmonieClient,
  hash: Hash,
  options: { timeout?: number } = {},
): Promise<TransactionReceipt> {
  const timeout = options.timeout ?? RECEIPT_TIMEOUT_MS;
  try {
    return await waitForTransactionReceipt(client, { hash, timeout });
  } catch (error) {
    if (error instanceof WaitForTransactionReceiptTimeoutError) {
      const down = await getBlockNumber(client, { cacheTime: 0 }).then(
        () => undefined,
        (failure: unknown) => failure,
      );
      throw (
        (down instanceof BaseError && rpcUnavailable(down, hash)) ||
        new TransactionUnconfirmedError(hash, { cause: error, timeout })
      );
    }
    throw afterSending(error, hash);
  }
}

/** The receipt wait a write's params ask for, as `send`'s context takes it. */
export const waitAsAsked = (params: WriteOptions): CallContext => ({ receiptTimeout: params.receiptTimeout });

/** `submit`, then `receiptOf` and `eventOf`: what every write action does, returning the decoded event. */
export async function send<const call extends UncheckedCall, eventName extends ContractEventName<call["abi"]>>(
  client: HarmonieClient,
  deployment: Deployment,
  call: call & AnyContractCall<call["abi"]>,
  eventName: eventName,
  context?: CallContext,
) {
  const hash = await submit<call>(client, deployment, call, context);
  const receipt = await receiptOf(client, hash, { timeout: context?.receiptTimeout });
  return { hash, receipt, event: eventOf(receipt, call.abi, eventName) };
}

/**
 * The client's account, once its chain is the deployment's: an action that reads before it writes
 * (pre-checks, allowances) calls this first, so a wallet on another chain gets a `WrongChainError`
 * rather than reads from contracts that are not there.
 */
export async function requireWallet(client: HarmonieClient, deployment: Deployment): Promise<Account> {
  const account = client.account;
  if (!account) throw new AccountRequiredError();
  const chainId = await guard(getChainId(client));
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

/** Reads a view function, typed by the ABI, mapping reverts (e.g. unknown track) to typed errors. */
export async function read<
  const abi extends Abi,
  functionName extends ContractFunctionName<abi, Readable>,
  const args extends ContractFunctionArgs<abi, Readable, functionName>,
>(
  client: HarmonieClient,
  call: ReadContractParameters<abi, functionName, args>,
  context?: CallContext,
): Promise<ReadContractReturnType<abi, functionName, args>> {
  return guard(readContract(client, call), context);
}
