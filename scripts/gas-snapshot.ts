/**
 * Gas snapshot: runs named scenarios on the in-process chain and writes gas/snapshot.json (scenario
 * → gas used). With GAS_SNAPSHOT_CHECK=1 it compares instead and fails on any difference, like
 * `forge snapshot --check`: a contract change must come with its updated snapshot (`npm run gas`).
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { deployProtocol, ethers, networkHelpers } from "../test/fixtures.ts";

const FILE = "gas/snapshot.json";
const MESSAGE_32 = "Great set tonight, thank you!!!!";

// The protocol as `npm run deploy` deploys it, from the tests' fixture.
const { tipping, registry, profiles, liveStreams, stakedCore, governor, stablecoin, asTimelock } =
  await deployProtocol();
const [, artist, fan, collaborator, buyer, secondFan, referrer] = await ethers.getSigners();

const snapshot: Record<string, number> = {};
async function measure(name: string, send: Promise<{ wait(): Promise<{ gasUsed: bigint } | null> }>) {
  const receipt = await (await send).wait();
  snapshot[name] = Number(receipt!.gasUsed);
}

const ONE = ethers.parseEther("1");

// Profiles and live sessions.
await measure("profile.register", profiles.connect(artist).register("nova_beats", "bafkreiprofile", true));
await measure("profile.follow", profiles.connect(fan).follow(artist.address));
await measure("live.openSession", liveStreams.connect(artist).openSession("Friday night set", "playback-1", 0n));

// Tipping: the first tip writes the artist's empty slot, a repeat tip only updates it.
await measure("tip.first.msg32", tipping.connect(fan).tip(artist.address, 1n, MESSAGE_32, { value: ONE }));
await measure("tip.repeat.msg32", tipping.connect(secondFan).tip(artist.address, 1n, MESSAGE_32, { value: ONE }));
await measure("tip.repeat.empty", tipping.connect(fan).tip(artist.address, 0n, "", { value: ONE }));
await measure(
  "tip.referred.msg32",
  tipping.connect(fan).tipWithReferrer(artist.address, 1n, MESSAGE_32, referrer.address, { value: ONE }),
);
// Withdrawals keep the account's slot non-zero (the nonce is used up), so no storage refund: the
// worst common case is the only case.
await measure("withdraw", tipping.connect(artist).withdraw(ethers.ZeroAddress));

// A stablecoin tip straight from the wallet, after an exact approval (the artist already holds credit).
const USDC = 1_000_000n;
await stablecoin.mint(fan.address, 1_000n * USDC);
await stablecoin.connect(fan).approve(await tipping.getAddress(), 5n * USDC);
await tipping.connect(fan).tipToken(stablecoin, artist.address, 1n, USDC, MESSAGE_32, ethers.ZeroAddress);
await measure(
  "tip.token.msg32",
  tipping.connect(fan).tipToken(stablecoin, artist.address, 1n, 4n * USDC, MESSAGE_32, ethers.ZeroAddress),
);
await measure("withdraw.token", tipping.connect(artist).withdraw(stablecoin));

// A fan's tab: one confirmation opens it (0.05 CORE forwarded to the key for gas), then the session
// key tips without any wallet prompt.
// A fixed key: calldata gas depends on the address's zero bytes, so a random one would make the snapshot flaky.
const key = new ethers.Wallet(`0x${"5e".repeat(32)}`, ethers.provider);
// Fixed too (2100-01-01): the expiry is calldata as well.
const expiresAt = 4_102_444_800;
await measure(
  "tab.open",
  tipping.connect(fan).openTab(key.address, ethers.ZeroAddress, ONE * 5n, expiresAt, ethers.ZeroAddress, {
    value: ONE * 5n + ethers.parseEther("0.05"),
  }),
);
await tipping.connect(key).tipFromTab(artist.address, 1n, ONE, MESSAGE_32);
await measure("tip.tab.msg32", tipping.connect(key).tipFromTab(artist.address, 1n, ONE, MESSAGE_32));
await measure("tab.close", tipping.connect(fan).closeTab(key.address));

// A three-way split (artist, guest, venue), with every recipient already holding credit.
const split = [
  { recipient: artist.address, bps: 5_000 },
  { recipient: collaborator.address, bps: 3_000 },
  { recipient: secondFan.address, bps: 2_000 },
];
await measure("split.set3", tipping.connect(artist).setSplit(0n, split));
await tipping.connect(fan).tip(collaborator.address, 0n, "", { value: ONE });
await tipping.connect(fan).tip(secondFan.address, 0n, "", { value: ONE });
await measure("tip.split3.msg32", tipping.connect(fan).tip(artist.address, 0n, MESSAGE_32, { value: ONE }));
await tipping.connect(artist).setSplit(0n, []);

await measure("live.closeSession", liveStreams.connect(artist).closeSession(1n, 120));

// Licensing: two collaborators; a perpetual CORE offer, a 30-day CORE offer and a USDC offer.
const CORE = ethers.ZeroAddress;
const offer = (overrides: Record<string, unknown>) => ({
  token: CORE,
  price: ONE,
  supplyCap: 0,
  perBuyerLimit: 0,
  duration: 0,
  commercialUse: true,
  derivativesAllowed: false,
  ...overrides,
});
const splits2 = [
  { recipient: artist.address, bps: 7_000 },
  { recipient: collaborator.address, bps: 3_000 },
];
const track = (isrc: string) => ({
  isrc,
  metadataCid: "bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi",
  exclusive: true,
  royaltyBps: 500,
  splits: splits2,
  offers: [offer({})],
});
await measure("registerTrack.splits2.offers1", registry.connect(artist).registerTrack(track("USRC17607839")));
const trackId = await registry.trackIdOf("USRC17607839");
await registry.connect(artist).addOffer(trackId, offer({ price: ONE / 10n, supplyCap: 100, duration: 30 * 86_400 }));
await registry.connect(artist).addOffer(trackId, offer({ token: stablecoin, price: 5n * USDC }));
await registry.connect(fan).purchaseLicense(trackId, 0n, CORE, { value: ONE }); // collaborators now hold credit
// A buyer's first licence of the track writes its holding (one slot; access is then one read).
await measure("purchaseLicense.splits2", registry.connect(buyer).purchaseLicense(trackId, 0n, CORE, { value: ONE }));
await measure(
  "purchaseLicense.referred",
  registry.connect(secondFan).purchaseLicense(trackId, 0n, referrer.address, { value: ONE }),
);
await registry.connect(fan).purchaseLicense(trackId, 1n, CORE, { value: ONE / 10n });
await measure(
  "purchaseLicense.renewal",
  registry.connect(fan).purchaseLicense(trackId, 1n, CORE, { value: ONE / 10n }),
);
await stablecoin.connect(buyer).approve(await registry.getAddress(), 5n * USDC);
await stablecoin.mint(buyer.address, 5n * USDC);
await stablecoin.connect(fan).approve(await registry.getAddress(), 5n * USDC);
await registry.connect(fan).purchaseLicense(trackId, 2n, CORE);
await measure("purchaseLicense.token", registry.connect(buyer).purchaseLicense(trackId, 2n, CORE));
await measure("license.withdraw", registry.connect(collaborator).withdraw(CORE));
await measure("license.withdraw.token", registry.connect(collaborator).withdraw(stablecoin));
await measure(
  "license.transfer",
  registry.connect(fan).safeTransferFrom(fan.address, secondFan.address, trackId << 32n, 1n, "0x"),
);

// Royalties: marketplaces pay the track's royalty address; the first collection deploys its vault.
const vault = await registry.royaltyAddressOf(trackId);
await fan.sendTransaction({ to: vault, value: ONE / 20n });
await measure("royalties.collect.first", registry.collectRoyalties(trackId, CORE));
await fan.sendTransaction({ to: vault, value: ONE / 20n });
await measure("royalties.collect", registry.collectRoyalties(trackId, CORE));

// Rights: a label's approval, a two-step hand-over, and a registrant fixing a squatted track.
const label = referrer;
await registry.connect(asTimelock).setRegistrant("GBAYE", label.address);
const { chainId } = await ethers.provider.getNetwork();
const deadline = 4_102_444_800n; // fixed: calldata gas depends on it
const approval = await label.signTypedData(
  { name: "ContentRegistry", version: "2", chainId, verifyingContract: await registry.getAddress() },
  {
    TrackApproval: [
      { name: "isrc", type: "string" },
      { name: "artist", type: "address" },
      { name: "deadline", type: "uint256" },
    ],
  },
  { isrc: "GBAYE0601498", artist: artist.address, deadline },
);
await measure(
  "registerTrackWithApproval.splits2.offers1",
  registry.connect(artist).registerTrackWithApproval(track("GBAYE0601498"), deadline, approval),
);
await measure("track.offerTransfer", registry.connect(artist).offerTrackTransfer(trackId, collaborator.address));
await measure("track.acceptTransfer", registry.connect(collaborator).acceptTrackTransfer(trackId));
await measure(
  "track.reassign.splits2",
  registry.connect(label).reassignTrack(await registry.trackIdOf("GBAYE0601498"), buyer.address, splits2, "", "ours"),
);
await measure("live.openSession.gated", liveStreams.connect(artist).openSession("Members only", "playback-2", trackId));

// Governance.
await measure("stake", stakedCore.connect(fan).stake({ value: ONE * 10n }));
await measure("delegate", stakedCore.connect(fan).delegate(fan.address));
await networkHelpers.time.increase(10);
const target = [await tipping.getAddress()];
const calldata = [tipping.interface.encodeFunctionData("setFee", [300])];
await governor.connect(fan).propose(target, [0n], calldata, "Fee to 3%");
const proposalId = await governor.hashProposal(target, [0n], calldata, ethers.id("Fee to 3%"));
await networkHelpers.time.increase(2);
await measure("castVote", governor.connect(fan).castVote(proposalId, 1));
await measure("requestUnstake", stakedCore.connect(fan).requestUnstake(ONE));

mkdirSync("gas", { recursive: true });
const sorted = Object.fromEntries(Object.entries(snapshot).sort(([a], [b]) => a.localeCompare(b)));
if (process.env.GAS_SNAPSHOT_CHECK) {
  const committed: Record<string, number> = existsSync(FILE) ? JSON.parse(readFileSync(FILE, "utf8")) : {};
  const names = new Set([...Object.keys(committed), ...Object.keys(sorted)]);
  const stale = [...names].filter((name) => committed[name] !== sorted[name]);
  if (stale.length > 0) {
    for (const name of stale)
      console.error(`  ${name}: snapshot ${committed[name] ?? "-"}, now ${sorted[name] ?? "-"}`);
    console.error(`${FILE} is stale: run \`npm run gas\` and commit it (explain any regression).`);
    process.exit(1);
  }
  console.log(`Gas snapshot matches ${FILE} (${names.size} scenarios).`);
} else {
  writeFileSync(FILE, `${JSON.stringify(sorted, null, 2)}\n`);
  console.table(sorted);
}
