/**
 * Integration: every action family against a real Hardhat node with the protocol deployed by
 * `scripts/deploy.ts`. No mocked RPC.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import {
  createWalletClient,
  custom,
  encodeFunctionData,
  erc20Abi,
  http,
  parseAbi,
  parseEther,
  parseUnits,
  type Address,
  type Hex,
} from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { getBalance, getTransactionCount, readContract, waitForTransactionReceipt } from "viem/actions";
import { coreDao } from "viem/chains";
import { inspect } from "node:util";
import { freePort, type LocalChain, rpc, startLocalChain } from "../../../scripts/local-chain.ts";
import { harmonieLocal } from "../chains.ts";
import { createHarmonieClient, harmonieActions } from "../client.ts";
import type { Deployment } from "../deployments.ts";
import {
  ContractError,
  InsufficientFundsError,
  InvalidInputError,
  InvalidIsrcError,
  isContractError,
  MessageTooLongError,
  NoDeploymentError,
  RpcUnavailableError,
  StaleDeploymentError,
  TipSessionBudgetError,
  TipSessionExpiredError,
  TokenNotAllowedError,
  UserRejectedError,
  WrongChainError,
} from "../errors.ts";
import { harmonieTippingAbi } from "../generated/abis.ts";
import * as sdk from "./index.ts";
import { tipId } from "../tip.ts";

// Hardhat's well-known development keys (accounts #1–#4).
const KEYS: Hex[] = [
  "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d",
  "0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a",
  "0x7c852118294e51e653712a81e05800f419141751be58f605c371e15141b007a6",
  "0x47e179ec197488593b187f80a00eb0da91f1b9d0b13f8733639f19c30a34926a",
];

// The local deploy's stablecoin has a public faucet (it stands in for Core's bridged USDC).
const mintableAbi = parseAbi(["function mint(address to, uint256 amount)"]);

let chain: LocalChain;
let deployment: Deployment;
const wallet = (key: Hex) =>
  createWalletClient({ chain: harmonieLocal, transport: http(chain.rpcUrl), account: privateKeyToAccount(key) });
let artist: ReturnType<typeof wallet>;
let fan: ReturnType<typeof wallet>;
let collaborator: ReturnType<typeof wallet>;
let relayer: ReturnType<typeof wallet>;

async function increaseTime(seconds: number) {
  await rpc(chain.rpcUrl, "evm_increaseTime", [seconds]);
  await rpc(chain.rpcUrl, "evm_mine");
}

before(async () => {
  chain = await startLocalChain({ deploy: true });
  deployment = chain.deployment;
  [artist, fan, collaborator, relayer] = KEYS.map(wallet);
});

after(() => chain?.stop());

describe("tipping", () => {
  it("tips with a message and returns the decoded TipSent", async () => {
    await sdk.registerProfile(artist, {
      deployment,
      handle: "nova_beats",
      profileCid: "bafkreiprofile",
      isArtist: true,
    });
    const result = await sdk.tip(fan, {
      deployment,
      artist: artist.account.address,
      amount: parseEther("1"),
      message: "encore! 🎶",
    });
    assert.equal(result.artist, artist.account.address);
    assert.equal(result.from, fan.account.address);
    assert.equal(result.amount, parseEther("1"));
    assert.equal(result.message, "encore! 🎶");
    assert.equal(result.receipt.status, "success");
    const { net, fee } = await sdk.getTipEarnings(fan, { deployment, account: artist.account.address });
    assert.equal(net + fee, parseEther("1"));
    assert.equal(result.token, sdk.CORE);
  });

  it("a stale deployment (no contract at its address) sends nothing: a typed error, the CORE stays", async () => {
    // The usual state after restarting a local node: the file still names addresses, the chain has no code there.
    const stale: Deployment = {
      ...deployment,
      contracts: {
        ...deployment.contracts,
        HarmonieTipping: {
          ...deployment.contracts.HarmonieTipping,
          address: privateKeyToAccount(generatePrivateKey()).address,
        },
      },
    };
    const before = await getBalance(fan, { address: fan.account.address });
    const nonce = await getTransactionCount(fan, { address: fan.account.address });
    await assert.rejects(
      sdk.tip(fan, { deployment: stale, artist: artist.account.address, amount: parseEther("0.25") }),
      (error: unknown) =>
        error instanceof StaleDeploymentError &&
        error.address === stale.contracts.HarmonieTipping.address &&
        /nothing was sent/.test(error.message),
    );
    assert.equal(await getBalance(fan, { address: fan.account.address }), before);
    assert.equal(await getTransactionCount(fan, { address: fan.account.address }), nonce);
  });

  it("rejects a long message before any RPC call", async () => {
    let requests = 0;
    const counting = createWalletClient({
      chain: harmonieLocal,
      account: privateKeyToAccount(KEYS[1]),
      transport: custom({ request: async () => void requests++ }),
    });
    await assert.rejects(
      sdk.tip(counting, { deployment, artist: artist.account.address, amount: 1n, message: "x".repeat(281) }),
      (error: unknown) => error instanceof MessageTooLongError && error.bytes === 281 && error.maxBytes === 280,
    );
    assert.equal(requests, 0);
  });

  it("decodes contract custom errors by name with their arguments", async () => {
    const minimum = await sdk.getMinimumTip(fan, { deployment, artist: artist.account.address });
    assert.equal(minimum, parseEther("0.01"));
    await assert.rejects(
      sdk.tip(fan, { deployment, artist: artist.account.address, amount: minimum - 1n }),
      (error: unknown) => {
        assert.ok(isContractError(error, "HarmonieTippingBelowMinimum"));
        assert.ok(error instanceof ContractError);
        assert.deepEqual(error.args, { amount: minimum - 1n, minimum });
        // Amounts in CORE, not wei.
        assert.match(
          error.message,
          /HarmonieTippingBelowMinimum\(amount: 0\.009999999999999999 CORE, minimum: 0\.01 CORE\)/,
        );
        assert.equal(isContractError(error, "HarmonieTippingZeroTip"), false);
        return true;
      },
    );
  });

  it("reports a wrong chain, a missing deployment, insufficient funds and a rejected request", async () => {
    await assert.rejects(
      sdk.tip(fan, {
        deployment: { ...deployment, chainId: 1114 },
        artist: artist.account.address,
        amount: parseEther("1"),
      }),
      (error: unknown) =>
        error instanceof WrongChainError && error.expectedChainId === 1114 && error.actualChainId === 31337,
    );
    const mainnet = createWalletClient({
      chain: coreDao,
      transport: http(chain.rpcUrl),
      account: privateKeyToAccount(KEYS[1]),
    });
    await assert.rejects(sdk.tip(mainnet, { artist: artist.account.address, amount: 1n }), NoDeploymentError);
    // The plural, misspelt from JavaScript: named, not ignored.
    await assert.rejects(
      sdk.tip(mainnet, { deployments: deployment, artist: artist.account.address, amount: 1n } as never),
      (error: unknown) => error instanceof InvalidInputError && /the option is `deployment`/.test(error.message),
    );

    const broke = createWalletClient({
      chain: harmonieLocal,
      transport: http(chain.rpcUrl),
      account: privateKeyToAccount(generatePrivateKey()),
    });
    await assert.rejects(
      sdk.tip(broke, { deployment, artist: artist.account.address, amount: parseEther("1") }),
      InsufficientFundsError,
    );

    // A browser wallet (JSON-RPC account) whose user clicks "reject".
    const upstream = http(chain.rpcUrl)({ chain: harmonieLocal });
    const rejecting = createWalletClient({
      chain: harmonieLocal,
      account: fan.account.address,
      transport: custom({
        request: async ({ method, params }) => {
          if (method === "eth_sendTransaction")
            throw Object.assign(new Error("User rejected the request."), { code: 4001 });
          return upstream.request({ method, params } as never);
        },
      }),
    });
    await assert.rejects(
      sdk.tip(rejecting, { deployment, artist: artist.account.address, amount: parseEther("1") }),
      UserRejectedError,
    );
  });

  it("withdraws, and pays out a signed withdrawal submitted by a relayer to the recipient it names", async () => {
    const { amount, fee, token } = await sdk.withdrawTips(artist, { deployment });
    assert.equal(amount + fee, parseEther("1"));
    assert.equal(token, sdk.CORE);
    await sdk.tip(fan, { deployment, artist: artist.account.address, amount: parseEther("2") });
    const deadline = BigInt(Math.floor(Date.now() / 1000) + 3600);
    const signed = await sdk.signWithdrawal(artist, { deployment, deadline, to: collaborator.account.address });
    assert.equal(signed.maxFeeBps, 250n); // the fee in force, by default
    const paid = await sdk.withdrawTipsFor(relayer, { deployment, ...signed });
    assert.equal(paid.account, artist.account.address);
    assert.equal(paid.to, collaborator.account.address);
    assert.equal(paid.amount + paid.fee, parseEther("2"));
    // The direct withdrawal used nonce 0, the relayed one nonce 1.
    assert.equal(await sdk.getTipNonce(fan, { deployment, account: artist.account.address }), 2n);
    await assert.rejects(sdk.withdrawTipsFor(relayer, { deployment, ...signed }), (error: unknown) => {
      assert.ok(error instanceof ContractError);
      assert.equal(error.errorName, "HarmonieTippingInvalidSignature");
      return true;
    });
    await sdk.invalidateWithdrawalSignatures(artist, { deployment });
    assert.equal(await sdk.getTipNonce(fan, { deployment, account: artist.account.address }), 3n);
  });

  it("tips in the deployment's stablecoin, approving exactly the amount", async () => {
    const [core, usdc] = sdk.paymentTokens(deployment);
    assert.deepEqual(core, sdk.nativeCore);
    assert.equal(usdc.symbol, "USDC");
    assert.equal(usdc.decimals, 6);
    const amount = parseUnits("2.5", usdc.decimals);
    await fan.writeContract({
      address: usdc.address,
      abi: mintableAbi,
      functionName: "mint",
      args: [fan.account.address, parseUnits("100", 6)],
    });
    const tipped = await sdk.tip(fan, {
      deployment,
      artist: artist.account.address,
      token: usdc.address,
      amount,
      message: "in dollars",
    });
    assert.equal(tipped.token, usdc.address);
    assert.equal(tipped.amount, amount);
    assert.equal(tipped.message, "in dollars");
    const allowance = await readContract(fan, {
      address: usdc.address,
      abi: erc20Abi,
      functionName: "allowance",
      args: [fan.account.address, deployment.contracts.HarmonieTipping.address],
    });
    assert.equal(allowance, 0n); // exact approval, all used
    const { net, fee } = await sdk.getTipEarnings(fan, {
      deployment,
      account: artist.account.address,
      token: usdc.address,
    });
    assert.equal(net + fee, amount);
    assert.equal(fee, (amount * 250n) / 10_000n);
    const paid = await sdk.withdrawTips(artist, { deployment, token: usdc.address });
    assert.equal(paid.amount, net);
    assert.equal(
      await sdk.getMinimumTip(fan, { deployment, artist: artist.account.address, token: usdc.address }),
      10_000n,
    );
  });

  it("refuses a token that is not allow-listed before asking for any approval", async () => {
    let writes = 0;
    const upstream = http(chain.rpcUrl)({ chain: harmonieLocal });
    const counting = createWalletClient({
      chain: harmonieLocal,
      account: privateKeyToAccount(KEYS[1]),
      transport: custom({
        request: async ({ method, params }) => {
          if (method === "eth_sendRawTransaction") writes++;
          return upstream.request({ method, params } as never);
        },
      }),
    });
    const notAToken = collaborator.account.address;
    await assert.rejects(
      sdk.tip(counting, { deployment, artist: artist.account.address, token: notAToken, amount: 1_000_000n }),
      (error: unknown) => error instanceof TokenNotAllowedError && error.token === notAToken,
    );
    assert.equal(writes, 0);
  });

  it("a tip session: one transaction from the fan, then tips with no fan transaction at all", async () => {
    let fanWrites = 0;
    const upstream = http(chain.rpcUrl)({ chain: harmonieLocal });
    const fanWallet = createWalletClient({
      chain: harmonieLocal,
      account: privateKeyToAccount(KEYS[1]),
      transport: custom({
        request: async ({ method, params }) => {
          if (method === "eth_sendRawTransaction") fanWrites++;
          return upstream.request({ method, params } as never);
        },
      }),
    });
    const budget = parseEther("3");
    const session = await sdk.startTipSession(fanWallet, {
      deployment,
      budget,
      expectedTips: 10,
      transport: http(chain.rpcUrl),
    });
    assert.equal(fanWrites, 1);
    assert.equal(session.fan, fanWallet.account.address);
    const before = await sdk.getTipEarnings(fan, { deployment, account: artist.account.address });
    for (let i = 0; i < 5; i++) {
      const tipped = await session.tip({
        artist: artist.account.address,
        amount: parseEther("0.5"),
        streamId: 9n,
        message: `tip ${i}`,
      });
      assert.equal(tipped.from, fanWallet.account.address); // an ordinary tip from the fan
      assert.equal(tipped.message, `tip ${i}`);
      assert.equal(tipped.id, tipId(tipped.hash, tipped.logIndex));
    }
    assert.equal(fanWrites, 1);
    const after = await sdk.getTipEarnings(fan, { deployment, account: artist.account.address });
    assert.equal(after.net + after.fee - before.net - before.fee, parseEther("2.5"));
    assert.equal(await session.remaining(), parseEther("0.5"));
    await assert.rejects(
      session.tip({ artist: artist.account.address, amount: parseEther("1") }),
      (error: unknown) => error instanceof TipSessionBudgetError && error.remaining === parseEther("0.5"),
    );
    // A reload: the kept key resumes the same session.
    const resumed = await sdk.resumeTipSession(fan, { deployment, privateKey: session.privateKey });
    assert.equal(resumed.key, session.key);
    const closed = await session.close();
    assert.equal(closed.refund, parseEther("0.5"));
    assert.ok(closed.gasReturned > 0n, "the unused gas allowance comes back");
    await assert.rejects(session.tip({ artist: artist.account.address, amount: 1n }), TipSessionExpiredError);
    await assert.rejects(
      sdk.resumeTipSession(fan, { deployment, privateKey: session.privateKey }),
      TipSessionExpiredError,
    );
  });

  it("routes tips to a split and names the app's referrer set once on the client", async () => {
    const shares = [
      { recipient: artist.account.address, bps: 6_000 },
      { recipient: collaborator.account.address, bps: 4_000 },
    ];
    await sdk.setTipSplit(artist, { deployment, streamId: 77n, shares });
    assert.deepEqual(await sdk.getTipSplit(fan, { deployment, artist: artist.account.address, streamId: 77n }), shares);
    await assert.rejects(
      sdk.setTipSplit(artist, { deployment, shares: [{ recipient: collaborator.account.address, bps: 9_000 }] }),
      InvalidInputError,
    );
    const app = relayer.account.address;
    const harmonie = createHarmonieClient({
      chain: harmonieLocal,
      transport: http(chain.rpcUrl),
      account: privateKeyToAccount(KEYS[1]),
      deployment,
      referrer: app,
    });
    const before = await sdk.getTipEarnings(fan, { deployment, account: collaborator.account.address });
    const referrerBefore = await sdk.getTipEarnings(fan, { deployment, account: app });
    await harmonie.tip({ artist: artist.account.address, amount: parseEther("1"), streamId: 77n });
    const fees = await sdk.getTipFees(fan, { deployment });
    const fee = (parseEther("1") * fees.feeBps) / 10_000n;
    const referral = (fee * fees.referrerShareBps) / 10_000n;
    const referrerAfter = await sdk.getTipEarnings(fan, { deployment, account: app });
    assert.equal(referrerAfter.net - referrerBefore.net, referral);
    const after = await sdk.getTipEarnings(fan, { deployment, account: collaborator.account.address });
    assert.equal(after.net - before.net, ((parseEther("1") - fee) * 4_000n) / 10_000n);
    await sdk.setTipSplit(artist, { deployment, streamId: 77n, shares: [] });
  });
});

describe("payment tokens", () => {
  /** Installs at `address` a contract that answers every call with `abi.encode(text)`. */
  async function installAnswering(address: Address, text: string) {
    const bytes = new TextEncoder().encode(text);
    assert.ok(bytes.length <= 32);
    const word = (n: number) => n.toString(16).padStart(64, "0");
    const data = word(32) + word(bytes.length) + Buffer.from(bytes).toString("hex").padEnd(64, "0");
    // CODECOPY the 96 data bytes after these 12 bytes of code to memory 0, then RETURN them.
    await rpc(chain.rpcUrl, "hardhat_setCode", [address, `0x6060600c60003960606000f3${data}`]);
  }

  it("names the deployment's tokens, asks any other token its own name, and refuses what is not a token", async () => {
    const usdc = deployment.tokens![0]!;
    assert.deepEqual(await sdk.getPaymentToken(fan, { deployment, token: sdk.CORE }), {
      ...sdk.nativeCore,
      known: true,
      accepted: true,
    });
    assert.deepEqual(await sdk.getPaymentToken(fan, { deployment, token: usdc.address }), {
      ...usdc,
      known: true,
      accepted: true,
    });

    // A token nobody allow-listed that calls itself USDC, with a right-to-left override and a
    // zero-width space in its symbol: shown cleaned and clamped, never as a listed token.
    const impostor = privateKeyToAccount(generatePrivateKey()).address;
    await installAnswering(impostor, "\u202eUSDC\u200b" + "X".repeat(20));
    assert.deepEqual(await sdk.getPaymentToken(fan, { deployment, token: impostor }), {
      address: impostor,
      symbol: "USDC" + "X".repeat(12),
      decimals: 32,
      known: false,
      accepted: false,
    });

    // Once governance allow-lists it, tips take it; its name is still its own claim.
    const timelock = deployment.contracts.TimelockController.address;
    await rpc(chain.rpcUrl, "hardhat_impersonateAccount", [timelock]);
    await rpc(chain.rpcUrl, "hardhat_setBalance", [timelock, "0x8AC7230489E80000"]);
    const data = encodeFunctionData({ abi: harmonieTippingAbi, functionName: "allowToken", args: [impostor, 1n] });
    const hash = await rpc<Hex>(chain.rpcUrl, "eth_sendTransaction", [
      { from: timelock, to: deployment.contracts.HarmonieTipping.address, data },
    ]);
    await rpc(chain.rpcUrl, "hardhat_stopImpersonatingAccount", [timelock]);
    assert.equal((await waitForTransactionReceipt(fan, { hash })).status, "success");
    const allowed = await sdk.getPaymentToken(fan, { deployment, token: impostor });
    assert.deepEqual([allowed.known, allowed.accepted], [false, true]);

    const nobody = privateKeyToAccount(generatePrivateKey()).address;
    await assert.rejects(sdk.getPaymentToken(fan, { deployment, token: nobody }), (error) => {
      assert.ok(error instanceof InvalidInputError);
      assert.match(error.message, /is not an ERC-20 token/);
      return true;
    });
    await assert.rejects(sdk.getPaymentToken(fan, { deployment, token: "0x1234" as Address }), InvalidInputError);
  });
});

describe("catalog and licences", () => {
  let trackId: bigint;

  it("registers a track by hyphenated, lowercase ISRC and reads it back", async () => {
    const result = await sdk.registerTrack(artist, {
      deployment,
      isrc: "us-rc1-76-07839",
      metadataCid: "bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi",
      exclusive: true,
      royaltyBps: 500,
      splits: [
        { recipient: artist.account.address, bps: 7_000 },
        { recipient: collaborator.account.address, bps: 3_000 },
      ],
      offers: [
        { price: parseEther("1"), commercialUse: true },
        { price: parseEther("0.1"), duration: 3600n },
      ],
    });
    trackId = result.trackId;
    const track = await sdk.getTrack(fan, { deployment, isrc: "US-RC1-76-07839" });
    assert.equal(track.trackId, trackId);
    assert.equal(track.isrc, "USRC17607839");
    assert.equal(track.offerCount, 2);
    assert.equal(track.status, "active");
    assert.equal((await sdk.getSplits(fan, { deployment, trackId })).length, 2);
  });

  it("validates ISRCs and splits before sending", async () => {
    const base = { deployment, metadataCid: "bafy", splits: [{ recipient: artist.account.address, bps: 10_000 }] };
    await assert.rejects(sdk.registerTrack(artist, { ...base, isrc: "US-RC1-76" }), InvalidIsrcError);
    await assert.rejects(
      sdk.registerTrack(artist, {
        ...base,
        isrc: "GBAYE0601498",
        splits: [{ recipient: artist.account.address, bps: 9_000 }],
      }),
      (error: unknown) => error instanceof InvalidInputError && /10,000/.test(error.message),
    );
    await assert.rejects(
      sdk.registerTrack(artist, { ...base, isrc: "USRC17607839" }),
      (error: unknown) => error instanceof ContractError && error.errorName === "ContentRegistryDuplicateIsrc",
    );
  });

  it("buys a licence at the on-chain price and grants access", async () => {
    assert.equal(await sdk.hasAccess(fan, { deployment, account: fan.account.address, trackId }), false);
    const bought = await sdk.purchaseLicense(fan, { deployment, trackId, offerId: 1n });
    assert.equal(bought.price, parseEther("0.1"));
    assert.ok(bought.expiresAt > 0n);
    assert.equal(await sdk.hasAccess(fan, { deployment, account: fan.account.address, trackId }), true);
    assert.equal(
      await sdk.getLicenseBalance(fan, { deployment, account: fan.account.address, trackId, offerId: 1n }),
      1n,
    );
    const status = await sdk.getLicenseStatus(fan, { deployment, account: fan.account.address, trackId });
    assert.deepEqual(status, { perpetual: 0n, expiresAt: bought.expiresAt, hasAccess: true, isRightsHolder: false });
    const credit = await sdk.getLicenseEarnings(fan, { deployment, account: collaborator.account.address });
    assert.ok(credit > 0n);
    assert.equal((await sdk.withdrawLicenseEarnings(collaborator, { deployment })).amount, credit);
  });

  it("manages offers as the artist", async () => {
    const { offerId } = await sdk.addLicenseOffer(artist, { deployment, trackId, terms: { price: 5n, supplyCap: 1 } });
    assert.equal(offerId, 2n);
    await sdk.setLicensePrice(artist, { deployment, trackId, offerId, price: 7n });
    await sdk.setLicenseOfferActive(artist, { deployment, trackId, offerId, active: false });
    const offer = await sdk.getLicenseOffer(fan, { deployment, trackId, offerId });
    assert.deepEqual([offer.price, offer.active], [7n, false]);
    await sdk.updateTrackMetadata(artist, { deployment, trackId, metadataCid: "bafynew" });
    assert.equal((await sdk.getTrack(fan, { deployment, trackId })).metadataCid, "bafynew");
  });
});

describe("profiles and live sessions", () => {
  it("manages a profile and follows", async () => {
    await assert.rejects(
      sdk.registerProfile(fan, { deployment, handle: "Bad Handle", profileCid: "x", isArtist: false }),
      InvalidInputError,
    );
    await sdk.registerProfile(fan, { deployment, handle: "fan_one", profileCid: "bafkreifan", isArtist: false });
    await sdk.follow(fan, { deployment, artist: artist.account.address });
    await sdk.unfollow(fan, { deployment, artist: artist.account.address });
    await sdk.updateProfile(fan, { deployment, profileCid: "bafkreifan2" });
    await sdk.changeHandle(fan, { deployment, handle: "fan_two" });
    await sdk.setArtist(fan, { deployment, isArtist: true });
    assert.deepEqual(await sdk.getProfile(fan, { deployment, account: fan.account.address }), {
      handle: "fan_two",
      profileCid: "bafkreifan2",
      isArtist: true,
    });
    assert.equal(await sdk.getAccountByHandle(fan, { deployment, handle: "fan_two" }), fan.account.address);
    assert.equal(await sdk.getAccountByHandle(fan, { deployment, handle: "fan_one" }), undefined);
  });

  it("opens and closes a session that tips can name", async () => {
    const { streamId } = await sdk.openSession(artist, { deployment, title: "Friday set", playbackId: "pb-1" });
    const tipped = await sdk.tip(fan, {
      deployment,
      artist: artist.account.address,
      amount: parseEther("1"),
      streamId,
    });
    assert.equal(tipped.streamId, streamId);
    assert.equal(await sdk.canWatch(fan, { deployment, account: relayer.account.address, streamId }), true);
    await sdk.closeSession(artist, { deployment, streamId, peakViewers: 42 });
    const session = await sdk.getSession(fan, { deployment, streamId });
    assert.equal(session.peakViewers, 42);
    assert.ok(session.closedAt > 0n);
  });
});

describe("governance", () => {
  it("stakes, delegates by signature, proposes, votes, queues and executes a fee change", async () => {
    await sdk.stake(fan, { deployment, amount: parseEther("10") });
    const signed = await sdk.signDelegation(fan, {
      deployment,
      delegatee: fan.account.address,
      expiry: BigInt(Math.floor(Date.now() / 1000) + 3600),
    });
    await sdk.delegateBySig(relayer, { deployment, ...signed });
    const stake = await sdk.getStake(fan, { deployment, account: fan.account.address });
    assert.deepEqual(
      [stake.balance, stake.votes, stake.delegatee],
      [parseEther("10"), parseEther("10"), fan.account.address],
    );
    await increaseTime(2);

    const tippingAddress = deployment.contracts.HarmonieTipping.address as Address;
    const proposal = await sdk.propose(fan, {
      deployment,
      targets: [tippingAddress],
      values: [0n],
      calldatas: [encodeFunctionData({ abi: harmonieTippingAbi, functionName: "setFee", args: [300] })],
      description: "Tipping fee to 3%",
    });
    assert.equal(await sdk.getProposalState(fan, { deployment, proposalId: proposal.proposalId }), "Pending");
    await increaseTime(2);
    const { weight } = await sdk.castVote(fan, {
      deployment,
      proposalId: proposal.proposalId,
      support: "for",
      reason: "fair",
    });
    assert.equal(weight, parseEther("10"));
    assert.equal(
      await sdk.hasVoted(fan, { deployment, proposalId: proposal.proposalId, account: fan.account.address }),
      true,
    );
    assert.equal(
      await sdk.hasVoted(fan, { deployment, proposalId: proposal.proposalId, account: relayer.account.address }),
      false,
    );
    await increaseTime(301);
    assert.equal(await sdk.getProposalState(fan, { deployment, proposalId: proposal.proposalId }), "Succeeded");
    await sdk.queueProposal(fan, { deployment, ...proposal });
    await increaseTime(61);
    await sdk.executeProposal(relayer, { deployment, ...proposal });
    assert.equal(await sdk.getProposalState(fan, { deployment, proposalId: proposal.proposalId }), "Executed");
    // A raise takes effect after the notice period (120 s locally); until then it is pending.
    const fees = await sdk.getTipFees(fan, { deployment });
    assert.deepEqual([fees.feeBps, fees.pendingFeeBps, fees.noticePeriod], [250n, 300n, 120n]);
    await increaseTime(121);
    assert.equal((await sdk.getTipFees(fan, { deployment })).feeBps, 300n);
  });

  it("unstakes through the cooldown", async () => {
    const { unlockAt } = await sdk.requestUnstake(fan, { deployment, amount: parseEther("1") });
    await sdk.cancelUnstake(fan, { deployment });
    await sdk.requestUnstake(fan, { deployment, amount: parseEther("1") });
    await assert.rejects(
      sdk.completeUnstake(fan, { deployment }),
      (error: unknown) => error instanceof ContractError && error.errorName === "StakedCoreCooldownActive",
    );
    assert.ok(unlockAt > 0n);
    await increaseTime(3601);
    assert.equal((await sdk.completeUnstake(fan, { deployment })).amount, parseEther("1"));
  });
});

describe("createHarmonieClient", () => {
  it("binds every action to one chain, account and deployment", async () => {
    const harmonie = createHarmonieClient({
      chain: harmonieLocal,
      transport: http(chain.rpcUrl),
      account: privateKeyToAccount(KEYS[1]),
      deployment,
    });
    const { hash, message } = await harmonie.tip({
      artist: artist.account.address,
      amount: parseEther("1"),
      message: "bound",
    });
    assert.match(hash, /^0x[0-9a-f]{64}$/);
    assert.equal(message, "bound");
    assert.equal((await harmonie.getProfile({ account: artist.account.address })).handle, "nova_beats");
    assert.equal(harmonie.deployment, deployment);
  });
});

describe("errors at the edges: outages, bad addresses, declined signatures, failures after sending", () => {
  // A port nobody listens on, and a key in the URL that no error may repeat.
  const closedRpc = async () => `http://127.0.0.1:${await freePort()}/v2/secret-api-key`;

  it("names the host of an unreachable node, never its URL, for reads and writes", async () => {
    const url = await closedRpc();
    const host = new URL(url).host;
    const offline = createWalletClient({
      chain: harmonieLocal,
      transport: http(url),
      account: privateKeyToAccount(KEYS[1]),
    });
    for (const attempt of [
      sdk.tip(offline, { deployment, artist: artist.account.address, amount: parseEther("1") }),
      sdk.getMinimumTip(offline, { deployment, artist: artist.account.address }),
      sdk.getTrack(offline, { deployment, trackId: 1n }),
    ]) {
      await assert.rejects(attempt, (error: unknown) => {
        assert.ok(error instanceof RpcUnavailableError, String(error));
        assert.equal(error.host, host);
        assert.equal(error.hash, undefined);
        assert.match(error.message, /Nothing was sent/);
        assert.doesNotMatch(inspect(error), /secret-api-key/);
        return true;
      });
    }
  });

  it("refuses a malformed address with InvalidInputError before anything is signed", async () => {
    const before = await rpc<Hex>(chain.rpcUrl, "eth_getTransactionCount", [fan.account.address, "latest"]);
    await assert.rejects(
      sdk.tip(fan, { deployment, artist: "0x1234" as Address, amount: parseEther("1") }),
      (error: unknown) => error instanceof InvalidInputError && /0x1234/.test(error.message),
    );
    await assert.rejects(
      sdk.getTipEarnings(fan, { deployment, account: "0xnot-an-address" as Address }),
      InvalidInputError,
    );
    assert.equal(await rpc(chain.rpcUrl, "eth_getTransactionCount", [fan.account.address, "latest"]), before);
  });

  it("maps a declined signature to UserRejectedError", async () => {
    const upstream = http(chain.rpcUrl)({ chain: harmonieLocal });
    const declining = createWalletClient({
      chain: harmonieLocal,
      account: artist.account.address,
      transport: custom({
        request: async ({ method, params }) => {
          if (method === "eth_signTypedData_v4")
            throw Object.assign(new Error("User rejected the request."), { code: 4001 });
          return upstream.request({ method, params } as never);
        },
      }),
    });
    const deadline = BigInt(Math.floor(Date.now() / 1000) + 3600);
    await assert.rejects(sdk.signWithdrawal(declining, { deployment, deadline }), UserRejectedError);
    await assert.rejects(
      sdk.signDelegation(declining, { deployment, delegatee: artist.account.address, expiry: deadline }),
      UserRejectedError,
    );
  });

  it("sends a tip without waiting, and decodes it from a receipt the app awaited itself", async () => {
    const hash = await sdk.sendTip(fan, {
      deployment,
      artist: artist.account.address,
      amount: parseEther("0.2"),
      message: "lean",
    });
    const receipt = await waitForTransactionReceipt(fan, { hash });
    const tipped = sdk.tipFromReceipt(receipt);
    assert.equal(tipped.hash, hash);
    assert.equal(tipped.amount, parseEther("0.2"));
    assert.equal(tipped.message, "lean");
    assert.equal(tipped.from, fan.account.address);
    assert.equal(tipped.token, sdk.CORE);
    // The same id and position the indexer and the live feed give this tip: its log's, in its block.
    const log = receipt.logs.find(
      (l) => l.address.toLowerCase() === deployment.contracts.HarmonieTipping.address.toLowerCase(),
    )!;
    assert.equal(tipped.logIndex, log.logIndex);
    assert.equal(tipped.blockNumber, receipt.blockNumber);
    assert.equal(tipped.id, tipId(hash, log.logIndex));
    assert.equal(tipped.transactionHash, hash);
    // A receipt of another transaction has no tip in it.
    const { receipt: other } = await sdk.setMinimumTip(artist, { deployment, minimum: 0n });
    assert.throws(() => sdk.tipFromReceipt(other), /emitted no TipSent event/);
  });
});

describe("harmonieActions and createHarmonieClient's options", () => {
  it("extends any viem client with the bound actions", async () => {
    const client = createWalletClient({
      chain: harmonieLocal,
      transport: http(chain.rpcUrl),
      account: privateKeyToAccount(KEYS[1]),
    }).extend(harmonieActions({ deployment }));
    const { message, hash } = await client.tip({
      artist: artist.account.address,
      amount: parseEther("1"),
      message: "extended",
    });
    assert.equal(message, "extended");
    assert.match(hash, /^0x[0-9a-f]{64}$/);
    // viem's own wallet actions stay beside the SDK's.
    assert.equal(typeof client.sendTransaction, "function");
  });

  it("rejects an unknown option, naming the closest one", () => {
    assert.throws(
      () =>
        createHarmonieClient({ chain: harmonieLocal, transport: http(chain.rpcUrl), deployments: deployment } as never),
      (error: unknown) =>
        error instanceof InvalidInputError &&
        /no option `deployments`\. Did you mean `deployment`\?/.test(error.message),
    );
    assert.throws(
      () =>
        createHarmonieClient({
          chain: harmonieLocal,
          transport: http(chain.rpcUrl),
          refferer: artist.account.address,
        } as never),
      /Did you mean `referrer`\?/,
    );
    // Nothing close: no guess, the list of options.
    assert.throws(
      () => createHarmonieClient({ chain: harmonieLocal, transport: http(chain.rpcUrl), wallet: fan } as never),
      (error: unknown) =>
        error instanceof InvalidInputError && !/Did you mean/.test(error.message) && /account/.test(error.message),
    );
  });
});
