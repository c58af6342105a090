/**
 * A go-live that fails after the on-chain session was opened (here: the signalling service is down)
 * closes that session again, so no session stays open forever.
 */
import assert from "node:assert/strict";
import { after, before, it } from "node:test";
import { createWalletClient, http } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { freePort, type LocalChain, startLocalChain } from "../../../scripts/local-chain.ts";
import { getSession } from "../../src/actions/live.ts";
import { harmonieLocal } from "../../src/chains.ts";
import { createStreamingProvider } from "../../src/streaming/provider.ts";

let chain: LocalChain;
before(async () => {
  chain = await startLocalChain({ deploy: true });
});
after(() => chain?.stop());

it("closes the on-chain session when going live fails afterwards", async () => {
  const deployment = chain.deployment;
  const wallet = createWalletClient({
    chain: harmonieLocal,
    transport: http(chain.rpcUrl),
    account: privateKeyToAccount("0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d"),
  });
  const streaming = createStreamingProvider({
    kind: "rooms",
    wallet,
    deployment,
    signallingUrl: `ws://127.0.0.1:${await freePort()}`,
  });
  // Never used: signalling fails before any media is touched.
  const media = {} as MediaStream;
  await assert.rejects(streaming.goLive({ title: "Doomed set", media }));
  const session = await getSession(wallet, { deployment, streamId: 1n });
  assert.equal(session.artist, wallet.account.address);
  assert.ok(session.closedAt > 0n, "the session was closed again");
});
