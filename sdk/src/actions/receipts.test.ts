/**
 * After a transaction is sent, waiting for its receipt is bounded (`receiptTimeout`) and every failure
 * names the hash: on a real Hardhat node that stops mining, and on one that is stopped right after the
 * send. This file starts (and kills) its own chain; actions.test.ts's chain is never touched.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { createWalletClient, custom, type Hash, type Hex, http, parseEther } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { type LocalChain, rpc, startLocalChain } from "../../../scripts/local-chain.ts";
import { harmonieLocal } from "../chains.ts";
import { createHarmonieClient } from "../client.ts";
import { RpcUnavailableError, TransactionUnconfirmedError } from "../errors.ts";
import * as sdk from "./index.ts";

// Hardhat's development accounts #1 (artist) and #2 (fan).
const ARTIST = privateKeyToAccount("0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d");
const FAN: Hex = "0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a";
// Far below viem's own 180 s, far above the node's answer time: a quick failure is the timeout's doing.
const TIMEOUT = 1_500;

let chain: LocalChain;

before(async () => {
  chain = await startLocalChain({ deploy: true });
});

after(() => chain?.stop());

describe("waiting for a receipt", () => {
  it("a transaction that is not mined in time: TransactionUnconfirmedError with its hash, which is then mined", async () => {
    const harmonie = createHarmonieClient({
      chain: harmonieLocal,
      transport: http(chain.rpcUrl),
      account: privateKeyToAccount(FAN),
      deployment: chain.deployment,
      receiptTimeout: TIMEOUT,
    });
    await rpc(chain.rpcUrl, "evm_setAutomine", [false]);
    const started = Date.now();
    let error: unknown;
    try {
      await harmonie.tip({ artist: ARTIST.address, amount: parseEther("1"), message: "held" });
    } catch (caught) {
      error = caught;
    } finally {
      await rpc(chain.rpcUrl, "evm_setAutomine", [true]);
    }
    const waited = Date.now() - started;
    assert.ok(error instanceof TransactionUnconfirmedError, String(error));
    assert.equal(error.timeout, TIMEOUT);
    assert.match(error.message, /within 1\.5 s/);
    assert.ok(waited >= TIMEOUT && waited < TIMEOUT + 8_000, `failed after ${waited} ms`);
    // The hash is the real, pending transaction: mined later, it is the tip.
    const pending = await rpc<{ blockNumber: string | null }>(chain.rpcUrl, "eth_getTransactionByHash", [error.hash]);
    assert.equal(pending.blockNumber, null);
    await rpc(chain.rpcUrl, "evm_mine");
    const receipt = await rpc<{ status: string }>(chain.rpcUrl, "eth_getTransactionReceipt", [error.hash]);
    assert.equal(receipt.status, "0x1");
  });

  it("a node that dies after the send: RpcUnavailableError with the hash, after the timeout, not viem's 180 s", async () => {
    const upstream = http(chain.rpcUrl)({ chain: harmonieLocal });
    let sent: Hash | undefined;
    const fan = createWalletClient({
      chain: harmonieLocal,
      account: privateKeyToAccount(FAN),
      // The node is stopped as soon as it has accepted the transaction, before any receipt is asked for.
      transport: custom(
        {
          async request({ method, params }) {
            const result = await upstream.request({ method, params } as never);
            if (method === "eth_sendRawTransaction") {
              sent = result as Hash;
              await chain.stop();
            }
            return result;
          },
        },
        { retryCount: 0 },
      ),
    });
    const started = Date.now();
    await assert.rejects(
      sdk.tip(fan, {
        deployment: chain.deployment,
        artist: ARTIST.address,
        amount: parseEther("1"),
        receiptTimeout: TIMEOUT,
      }),
      (error: unknown) => {
        assert.ok(error instanceof RpcUnavailableError, String(error));
        assert.ok(sent, "the transaction was sent");
        assert.equal(error.hash, sent);
        assert.equal(error.host, new URL(chain.rpcUrl).host);
        assert.match(error.message, new RegExp(`Transaction ${sent} had been sent`));
        return true;
      },
    );
    const waited = Date.now() - started;
    assert.ok(waited < TIMEOUT + 10_000, `failed after ${waited} ms`);
  });
});
