import { expect } from "chai";
import { deployProtocol, ethers, networkHelpers } from "./fixtures.ts";

const { loadFixture, time } = networkHelpers;
const ONE = ethers.parseEther("1");
const USDC = 1_000_000n; // 6 decimals, like Core's bridged USDC
const CORE = ethers.ZeroAddress;
const NO_REFERRER = ethers.ZeroAddress;
const MESSAGE = "Great set tonight, thank you!!!!"; // 32 bytes
const FEE_BPS = 250n;
const SHARE_BPS = 2_000n; // referrers' share of the fee (deploy/Harmonie.ts default)
const NOTICE = 120n; // deploy/parameters/local.json

const feeOf = (amount: bigint, bps = FEE_BPS) => (amount * bps) / 10_000n;

type Signer = Awaited<ReturnType<typeof ethers.getSigners>>[number];

async function signWithdrawal(
  signer: { signTypedData: Function },
  tipping: any,
  message: { account: string; token: string; to: string; maxFeeBps: bigint; nonce: bigint; deadline: bigint },
) {
  const { chainId } = await ethers.provider.getNetwork();
  return signer.signTypedData(
    { name: "HarmonieTipping", version: "2", chainId, verifyingContract: await tipping.getAddress() },
    {
      Withdraw: [
        { name: "account", type: "address" },
        { name: "token", type: "address" },
        { name: "to", type: "address" },
        { name: "maxFeeBps", type: "uint256" },
        { name: "nonce", type: "uint256" },
        { name: "deadline", type: "uint256" },
      ],
    },
    message,
  );
}

/** The fixture plus a funded fan with an exact stablecoin approval helper. */
async function withStablecoin() {
  const context = await deployProtocol();
  const { stablecoin, tipping, fan } = context;
  await stablecoin.mint(fan.address, 1_000n * USDC);
  const approve = (amount: bigint, from: Signer = fan) =>
    stablecoin.connect(from).approve(tipping.getAddress(), amount);
  return { ...context, approve };
}

describe("HarmonieTipping", () => {
  describe("tip (CORE)", () => {
    it("credits the artist and emits the message", async () => {
      const { tipping, artist, fan } = await loadFixture(deployProtocol);
      await expect(tipping.connect(fan).tip(artist.address, 7n, MESSAGE, { value: ONE }))
        .to.emit(tipping, "TipSent")
        .withArgs(artist.address, fan.address, 7n, ONE, MESSAGE);
      expect(await tipping.earningsOf(artist.address, CORE)).to.deep.equal([ONE - feeOf(ONE), feeOf(ONE)]);
      expect(await ethers.provider.getBalance(await tipping.getAddress())).to.equal(ONE);
    });

    it("emits messages of every length exactly (the event is hand-encoded)", async () => {
      const { tipping, artist, fan } = await loadFixture(deployProtocol);
      for (const message of ["", "a", "x".repeat(31), "y".repeat(32), "z".repeat(33), "é".repeat(140)]) {
        const receipt = await (await tipping.connect(fan).tip(artist.address, 1n, message, { value: ONE })).wait();
        const [log] = receipt!.logs.map((entry) => tipping.interface.parseLog(entry)!);
        expect(log.name).to.equal("TipSent");
        expect(log.args.message).to.equal(message);
        expect(receipt!.logs[0].data.length % 64).to.equal(2); // whole 32-byte words after "0x"
      }
    });

    it("accepts a message of exactly 280 bytes and rejects 281", async () => {
      const { tipping, artist, fan } = await loadFixture(deployProtocol);
      await expect(tipping.connect(fan).tip(artist.address, 0n, "é".repeat(140), { value: ONE })).to.emit(
        tipping,
        "TipSent",
      );
      await expect(tipping.connect(fan).tip(artist.address, 0n, "x".repeat(281), { value: ONE }))
        .to.be.revertedWithCustomError(tipping, "HarmonieTippingMessageTooLong")
        .withArgs(281n, 280n);
    });

    it("rejects a zero tip, the zero address, and tips below the protocol minimum", async () => {
      const { tipping, artist, fan } = await loadFixture(deployProtocol);
      await expect(tipping.connect(fan).tip(artist.address, 0n, "", { value: 0n })).to.be.revertedWithCustomError(
        tipping,
        "HarmonieTippingZeroTip",
      );
      await expect(tipping.connect(fan).tip(CORE, 0n, "", { value: ONE })).to.be.revertedWithCustomError(
        tipping,
        "HarmonieTippingZeroAddress",
      );
      const minimum = await tipping.protocolMinimumTip();
      await expect(tipping.connect(fan).tip(artist.address, 0n, "", { value: minimum - 1n }))
        .to.be.revertedWithCustomError(tipping, "HarmonieTippingBelowMinimum")
        .withArgs(minimum - 1n, minimum);
      await expect(tipping.connect(fan).tip(artist.address, 0n, "", { value: minimum })).to.emit(tipping, "TipSent");
    });

    it("enforces the artist's own minimum above the protocol's", async () => {
      const { tipping, artist, fan } = await loadFixture(deployProtocol);
      const own = ethers.parseEther("0.5");
      await expect(tipping.connect(artist).setMinimumTip(own))
        .to.emit(tipping, "MinimumTipSet")
        .withArgs(artist.address, own);
      expect(await tipping.minimumTipOf(artist.address, CORE)).to.equal(own);
      await expect(tipping.connect(fan).tip(artist.address, 0n, "", { value: own - 1n }))
        .to.be.revertedWithCustomError(tipping, "HarmonieTippingBelowMinimum")
        .withArgs(own - 1n, own);
      await tipping.connect(fan).tip(artist.address, 0n, "", { value: own });
      // A minimum below the protocol's changes nothing; the credit is untouched by minimum changes.
      await tipping.connect(artist).setMinimumTip(1n);
      expect(await tipping.minimumTipOf(artist.address, CORE)).to.equal(await tipping.protocolMinimumTip());
      expect((await tipping.earningsOf(artist.address, CORE))[0]).to.equal(own - feeOf(own));
    });
  });

  describe("tipToken (ERC-20)", () => {
    it("pulls an approved stablecoin tip and credits it in the token's decimals", async () => {
      const { tipping, stablecoin, artist, fan, approve } = await loadFixture(withStablecoin);
      await approve(5n * USDC);
      const tx = tipping.connect(fan).tipToken(stablecoin, artist.address, 3n, 5n * USDC, MESSAGE, NO_REFERRER);
      await expect(tx)
        .to.emit(tipping, "TokenTipSent")
        .withArgs(artist.address, await stablecoin.getAddress(), 3n, fan.address, 5n * USDC, MESSAGE);
      await expect(tx).to.changeTokenBalances(ethers, stablecoin, [fan, tipping], [-5n * USDC, 5n * USDC]);
      expect(await tipping.earningsOf(artist.address, stablecoin)).to.deep.equal([
        5n * USDC - feeOf(5n * USDC),
        feeOf(5n * USDC),
      ]);
      expect(await tipping.earningsOf(artist.address, CORE)).to.deep.equal([0n, 0n]); // per token
      expect(await stablecoin.allowance(fan.address, tipping)).to.equal(0n);
    });

    it("refuses tokens that are not allow-listed, CORE's zero address, and tips below the token minimum", async () => {
      const { tipping, stablecoin, artist, fan, approve } = await loadFixture(withStablecoin);
      const other = await ethers.deployContract("TestStablecoin");
      await expect(tipping.connect(fan).tipToken(other, artist.address, 0n, USDC, "", NO_REFERRER))
        .to.be.revertedWithCustomError(tipping, "HarmonieTippingTokenNotAllowed")
        .withArgs(await other.getAddress());
      await expect(tipping.connect(fan).tipToken(CORE, artist.address, 0n, USDC, "", NO_REFERRER))
        .to.be.revertedWithCustomError(tipping, "HarmonieTippingTokenNotAllowed")
        .withArgs(CORE);
      const minimum = await tipping.minimumTipOf(artist.address, stablecoin);
      expect(minimum).to.equal(10_000n); // 0.01 USDC, set by the local deploy
      await approve(USDC);
      await expect(tipping.connect(fan).tipToken(stablecoin, artist.address, 0n, minimum - 1n, "", NO_REFERRER))
        .to.be.revertedWithCustomError(tipping, "HarmonieTippingBelowMinimum")
        .withArgs(minimum - 1n, minimum);
      await expect(
        tipping.connect(fan).tipToken(stablecoin, artist.address, 0n, 0n, "", NO_REFERRER),
      ).to.be.revertedWithCustomError(tipping, "HarmonieTippingZeroTip");
      await expect(
        tipping.connect(fan).tipToken(stablecoin, CORE, 0n, USDC, "", NO_REFERRER),
      ).to.be.revertedWithCustomError(tipping, "HarmonieTippingZeroAddress");
      await expect(tipping.connect(fan).tipToken(stablecoin, artist.address, 0n, USDC, "x".repeat(281), NO_REFERRER))
        .to.be.revertedWithCustomError(tipping, "HarmonieTippingMessageTooLong")
        .withArgs(281n, 280n);
      expect(await tipping.minimumTipOf(artist.address, other)).to.equal(0n);
    });

    it("refuses a fee-on-transfer token, which would leave credit unbacked", async () => {
      const { tipping, asTimelock, artist, fan } = await loadFixture(deployProtocol);
      const taxed = await ethers.deployContract("FeeOnTransferToken");
      await tipping.connect(asTimelock).allowToken(taxed, 1n);
      await taxed.mint(fan.address, 1_000n);
      await taxed.connect(fan).approve(tipping, 1_000n);
      await expect(tipping.connect(fan).tipToken(taxed, artist.address, 0n, 1_000n, "", NO_REFERRER))
        .to.be.revertedWithCustomError(tipping, "HarmonieTippingTokenShortfall")
        .withArgs(await taxed.getAddress(), 1_000n, 990n);
      const expiresAt = (await time.latest()) + 3600;
      await expect(tipping.connect(fan).openTab(fan.address, taxed, 1_000n, expiresAt, NO_REFERRER))
        .to.be.revertedWithCustomError(tipping, "HarmonieTippingTokenShortfall")
        .withArgs(await taxed.getAddress(), 1_000n, 990n);
    });

    it("refuses a token that reports a transfer it did not make", async () => {
      const { tipping, asTimelock, artist, fan } = await loadFixture(deployProtocol);
      const liar = await ethers.deployContract("LyingToken");
      await tipping.connect(asTimelock).allowToken(liar, 1n);
      await expect(tipping.connect(fan).tipToken(liar, artist.address, 0n, 500n, "", NO_REFERRER))
        .to.be.revertedWithCustomError(tipping, "HarmonieTippingTokenShortfall")
        .withArgs(await liar.getAddress(), 500n, 0n);
    });
  });

  describe("token allow-list (governance)", () => {
    it("the timelock allows, re-prices and removes tokens; credits stay withdrawable after removal", async () => {
      const { tipping, stablecoin, asTimelock, artist, fan, approve } = await loadFixture(withStablecoin);
      const address = await stablecoin.getAddress();
      await expect(tipping.connect(asTimelock).allowToken(stablecoin, 50_000n))
        .to.emit(tipping, "TokenAllowed")
        .withArgs(address, "USDC", 6n, 50_000n);
      expect(await tipping.minimumTipOf(artist.address, stablecoin)).to.equal(50_000n);
      await approve(2n * USDC);
      await tipping.connect(fan).tipToken(stablecoin, artist.address, 0n, USDC, "", NO_REFERRER);
      await expect(tipping.connect(asTimelock).removeToken(stablecoin))
        .to.emit(tipping, "TokenRemoved")
        .withArgs(address);
      await expect(tipping.connect(fan).tipToken(stablecoin, artist.address, 0n, USDC, "", NO_REFERRER))
        .to.be.revertedWithCustomError(tipping, "HarmonieTippingTokenNotAllowed")
        .withArgs(address);
      await expect(tipping.connect(asTimelock).removeToken(stablecoin))
        .to.be.revertedWithCustomError(tipping, "HarmonieTippingTokenNotAllowed")
        .withArgs(address);
      await expect(tipping.connect(artist).withdraw(stablecoin)).to.changeTokenBalance(
        ethers,
        stablecoin,
        artist,
        USDC - feeOf(USDC),
      );
    });

    it("refuses the zero address, an address without code and a zero minimum", async () => {
      const { tipping, stablecoin, asTimelock, fan } = await loadFixture(deployProtocol);
      await expect(tipping.connect(asTimelock).allowToken(CORE, 1n))
        .to.be.revertedWithCustomError(tipping, "HarmonieTippingInvalidToken")
        .withArgs(CORE);
      await expect(tipping.connect(asTimelock).allowToken(fan.address, 1n))
        .to.be.revertedWithCustomError(tipping, "HarmonieTippingInvalidToken")
        .withArgs(fan.address);
      // Contracts that are not ERC-20s with a symbol and decimals.
      for (const name of ["RejectingReceiver", "SymbolOnlyToken"]) {
        const contract = await ethers.deployContract(name);
        await expect(tipping.connect(asTimelock).allowToken(contract, 1n))
          .to.be.revertedWithCustomError(tipping, "HarmonieTippingInvalidToken")
          .withArgs(await contract.getAddress());
      }
      await expect(tipping.connect(asTimelock).allowToken(stablecoin, 0n)).to.be.revertedWithCustomError(
        tipping,
        "HarmonieTippingZeroTip",
      );
      const factory = await ethers.getContractFactory("HarmonieTipping");
      await expect(
        factory.deploy(asTimelock.address, 1n, 100, 60, 0, [await stablecoin.getAddress()], []),
      ).to.be.revertedWithCustomError(tipping, "HarmonieTippingInvalidToken");
    });
  });

  describe("splits", () => {
    const threeWay = (a: string, b: string, c: string) => [
      { recipient: a, bps: 5_000 },
      { recipient: b, bps: 3_000 },
      { recipient: c, bps: 2_000 },
    ];

    it("routes an artist's tips to their split; each recipient withdraws their own share", async () => {
      const { tipping, artist, fan, collaborator, other } = await loadFixture(deployProtocol);
      const shares = threeWay(artist.address, collaborator.address, other.address);
      await expect(tipping.connect(artist).setSplit(0n, shares))
        .to.emit(tipping, "SplitSet")
        .withArgs(
          artist.address,
          0n,
          shares.map((s) => [s.recipient, BigInt(s.bps)]),
        );
      expect(await tipping.splitOf(artist.address, 0n)).to.deep.equal(shares.map((s) => [s.recipient, BigInt(s.bps)]));
      const amount = 1_000_003n * 10n ** 10n; // not divisible: dust goes to the first recipient
      const second = (amount * 3_000n) / 10_000n;
      const third = (amount * 2_000n) / 10_000n;
      const first = amount - second - third;
      const tx = tipping.connect(fan).tip(artist.address, 4n, MESSAGE, { value: amount });
      await expect(tx)
        .to.emit(tipping, "TipShared")
        .withArgs(artist.address, artist.address, CORE, first, 0n)
        .and.to.emit(tipping, "TipShared")
        .withArgs(artist.address, collaborator.address, CORE, second, 0n)
        .and.to.emit(tipping, "TipShared")
        .withArgs(artist.address, other.address, CORE, third, 0n)
        .and.to.emit(tipping, "TipSent")
        .withArgs(artist.address, fan.address, 4n, amount, MESSAGE);
      for (const [signer, share] of [
        [artist, first],
        [collaborator, second],
        [other, third],
      ] as const) {
        await expect(tipping.connect(signer).withdraw(CORE))
          .to.emit(tipping, "Withdrawn")
          .withArgs(signer.address, CORE, signer.address, share - feeOf(share), feeOf(share));
      }
      expect(await ethers.provider.getBalance(tipping)).to.equal(await tipping.owedFees(CORE));
    });

    it("a session split applies to tips naming that session; other tips use the default split or none", async () => {
      const { tipping, artist, fan, collaborator, other } = await loadFixture(deployProtocol);
      await tipping.connect(artist).setSplit(42n, [
        { recipient: collaborator.address, bps: 6_000 },
        { recipient: other.address, bps: 4_000 },
      ]);
      await expect(tipping.connect(fan).tip(artist.address, 42n, "", { value: ONE }))
        .to.emit(tipping, "TipShared")
        .withArgs(artist.address, collaborator.address, CORE, (ONE * 6n) / 10n, 42n);
      await expect(tipping.connect(fan).tip(artist.address, 7n, "", { value: ONE })).not.to.emit(tipping, "TipShared");
      expect((await tipping.earningsOf(collaborator.address, CORE))[1]).to.equal(feeOf((ONE * 6n) / 10n));
      expect((await tipping.earningsOf(artist.address, CORE))[1]).to.equal(feeOf(ONE));

      await tipping.connect(artist).setSplit(0n, [{ recipient: other.address, bps: 10_000 }]);
      await expect(tipping.connect(fan).tip(artist.address, 7n, "", { value: ONE }))
        .to.emit(tipping, "TipShared")
        .withArgs(artist.address, other.address, CORE, ONE, 0n);
      // Someone else's session id selects nothing of theirs: splits are keyed by (artist, session).
      await expect(tipping.connect(fan).tip(collaborator.address, 42n, "", { value: ONE })).not.to.emit(
        tipping,
        "TipShared",
      );
    });

    it("a split still enforces the minimum, and removing every split restores the plain path", async () => {
      const { tipping, artist, fan, collaborator } = await loadFixture(deployProtocol);
      const minimum = await tipping.protocolMinimumTip();
      await tipping.connect(artist).setMinimumTip(ethers.parseEther("0.2"));
      await tipping.connect(artist).setSplit(0n, [{ recipient: collaborator.address, bps: 10_000 }]);
      await tipping.connect(artist).setSplit(9n, [{ recipient: collaborator.address, bps: 10_000 }]);
      expect(await tipping.minimumTipOf(artist.address, CORE)).to.equal(ethers.parseEther("0.2"));
      await expect(tipping.connect(fan).tip(artist.address, 0n, "", { value: minimum }))
        .to.be.revertedWithCustomError(tipping, "HarmonieTippingBelowMinimum")
        .withArgs(minimum, ethers.parseEther("0.2"));
      await tipping.connect(artist).setSplit(0n, []);
      await expect(tipping.connect(fan).tip(artist.address, 9n, "", { value: ONE })).to.emit(tipping, "TipShared");
      await expect(tipping.connect(artist).setSplit(9n, []))
        .to.emit(tipping, "SplitSet")
        .withArgs(artist.address, 9n, []);
      await expect(tipping.connect(fan).tip(artist.address, 9n, "", { value: ONE })).not.to.emit(tipping, "TipShared");
      expect((await tipping.earningsOf(artist.address, CORE))[1]).to.equal(feeOf(ONE));
      expect(await tipping.minimumTipOf(artist.address, CORE)).to.equal(ethers.parseEther("0.2"));
    });

    it("replaces a split in place, longer or shorter", async () => {
      const { tipping, artist, collaborator, other, fan } = await loadFixture(deployProtocol);
      await tipping.connect(artist).setSplit(0n, threeWay(artist.address, collaborator.address, other.address));
      await tipping.connect(artist).setSplit(0n, [{ recipient: other.address, bps: 10_000 }]);
      expect(await tipping.splitOf(artist.address, 0n)).to.deep.equal([[other.address, 10_000n]]);
      await tipping.connect(artist).setSplit(0n, [
        { recipient: fan.address, bps: 1 },
        { recipient: other.address, bps: 9_999 },
      ]);
      expect(await tipping.splitOf(artist.address, 0n)).to.deep.equal([
        [fan.address, 1n],
        [other.address, 9_999n],
      ]);
    });

    it("refuses splits that are empty of shares, over 16, duplicated, zero or not summing to 10,000", async () => {
      const { tipping, artist, collaborator } = await loadFixture(deployProtocol);
      const recipient = (i: number) => ethers.getAddress(`0x${(0x1000 + i).toString(16).padStart(40, "0")}`);
      const sixteen = Array.from({ length: 16 }, (_, i) => ({ recipient: recipient(i), bps: 625 }));
      await expect(tipping.connect(artist).setSplit(0n, sixteen)).to.emit(tipping, "SplitSet");
      const invalid = [
        [...sixteen.slice(0, 15), { recipient: recipient(15), bps: 312 }, { recipient: recipient(16), bps: 313 }],
        [
          { recipient: collaborator.address, bps: 5_000 },
          { recipient: collaborator.address, bps: 5_000 },
        ],
        [
          { recipient: collaborator.address, bps: 10_000 },
          { recipient: artist.address, bps: 0 },
        ],
        [{ recipient: CORE, bps: 10_000 }],
        [{ recipient: collaborator.address, bps: 9_999 }],
      ];
      for (const shares of invalid) {
        await expect(tipping.connect(artist).setSplit(0n, shares)).to.be.revertedWithCustomError(
          tipping,
          "HarmonieTippingInvalidSplit",
        );
      }
    });

    it("splits a stablecoin tip per token", async () => {
      const { tipping, stablecoin, artist, fan, collaborator, approve } = await loadFixture(withStablecoin);
      await tipping.connect(artist).setSplit(0n, [
        { recipient: artist.address, bps: 7_500 },
        { recipient: collaborator.address, bps: 2_500 },
      ]);
      await approve(4n * USDC);
      await expect(tipping.connect(fan).tipToken(stablecoin, artist.address, 0n, 4n * USDC, "", NO_REFERRER))
        .to.emit(tipping, "TipShared")
        .withArgs(artist.address, collaborator.address, await stablecoin.getAddress(), USDC, 0n);
      expect(await tipping.earningsOf(collaborator.address, stablecoin)).to.deep.equal([
        USDC - feeOf(USDC),
        feeOf(USDC),
      ]);
    });
  });

  describe("referrals", () => {
    it("a referred tip settles its fee at once and shares it with the referrer, never the artist's part", async () => {
      const { tipping, artist, fan, other: app } = await loadFixture(deployProtocol);
      const fee = feeOf(ONE);
      const referral = (fee * SHARE_BPS) / 10_000n;
      await expect(tipping.connect(fan).tipWithReferrer(artist.address, 2n, MESSAGE, app.address, { value: ONE }))
        .to.emit(tipping, "ReferralPaid")
        .withArgs(app.address, CORE, artist.address, referral, fee)
        .and.to.emit(tipping, "TipSent")
        .withArgs(artist.address, fan.address, 2n, ONE, MESSAGE);
      expect(await tipping.earningsOf(artist.address, CORE)).to.deep.equal([ONE - fee, 0n]);
      expect(await tipping.earningsOf(app.address, CORE)).to.deep.equal([referral, 0n]);
      expect(await tipping.owedFees(CORE)).to.equal(fee - referral);
      await expect(tipping.connect(app).withdraw(CORE))
        .to.emit(tipping, "Withdrawn")
        .withArgs(app.address, CORE, app.address, referral, 0n);
      // A later fee raise does not touch settled credit.
      await tipping.connect(await ethers.getSigner(await tipping.governance())).setFee(1_000);
      await time.increase(NOTICE);
      expect(await tipping.earningsOf(artist.address, CORE)).to.deep.equal([ONE - fee, 0n]);
    });

    it("a referred stablecoin tip with an artist minimum and a split", async () => {
      const { tipping, stablecoin, artist, fan, collaborator, other: app, approve } = await loadFixture(withStablecoin);
      await tipping.connect(artist).setSplit(0n, [
        { recipient: artist.address, bps: 5_000 },
        { recipient: collaborator.address, bps: 5_000 },
      ]);
      await approve(2n * USDC);
      const fee = feeOf(2n * USDC);
      const referral = (fee * SHARE_BPS) / 10_000n;
      await expect(tipping.connect(fan).tipToken(stablecoin, artist.address, 0n, 2n * USDC, "", app.address))
        .to.emit(tipping, "ReferralPaid")
        .withArgs(app.address, await stablecoin.getAddress(), artist.address, referral, fee);
      expect(await tipping.earningsOf(collaborator.address, stablecoin)).to.deep.equal([USDC - fee / 2n, 0n]);
      expect(await tipping.owedFees(stablecoin)).to.equal(fee - referral);
    });

    it("referred tips check the zero address, message and minimum like plain tips", async () => {
      const { tipping, artist, fan, other: app } = await loadFixture(deployProtocol);
      await expect(
        tipping.connect(fan).tipWithReferrer(CORE, 0n, "", app.address, { value: ONE }),
      ).to.be.revertedWithCustomError(tipping, "HarmonieTippingZeroAddress");
      await expect(
        tipping.connect(fan).tipWithReferrer(artist.address, 0n, "x".repeat(281), app.address, { value: ONE }),
      ).to.be.revertedWithCustomError(tipping, "HarmonieTippingMessageTooLong");
      await expect(
        tipping.connect(fan).tipWithReferrer(artist.address, 0n, "", app.address, { value: 0n }),
      ).to.be.revertedWithCustomError(tipping, "HarmonieTippingZeroTip");
      // Without a referrer it is a plain tip.
      await expect(
        tipping.connect(fan).tipWithReferrer(artist.address, 0n, "", NO_REFERRER, { value: ONE }),
      ).not.to.emit(tipping, "ReferralPaid");
      expect((await tipping.earningsOf(artist.address, CORE))[1]).to.equal(feeOf(ONE));
    });

    it("only the timelock sets the referrer share, up to the whole fee", async () => {
      const { tipping, asTimelock, fan } = await loadFixture(deployProtocol);
      await expect(tipping.connect(asTimelock).setReferrerShare(10_000))
        .to.emit(tipping, "ReferrerShareUpdated")
        .withArgs(SHARE_BPS, 10_000n);
      expect((await tipping.fees()).referrerShareBps).to.equal(10_000n);
      await expect(tipping.connect(asTimelock).setReferrerShare(10_001))
        .to.be.revertedWithCustomError(tipping, "HarmonieTippingShareAboveCap")
        .withArgs(10_001n);
      await expect(tipping.connect(fan).setReferrerShare(0))
        .to.be.revertedWithCustomError(tipping, "GovernedUnauthorized")
        .withArgs(fan.address);
    });
  });

  describe("tabs and session keys", () => {
    async function openCoreTab(amount = 3n * ONE, gas = ethers.parseEther("0.05"), referrer = NO_REFERRER) {
      const context = await loadFixture(withStablecoin);
      const key = ethers.Wallet.createRandom().connect(ethers.provider);
      const expiresAt = BigInt(await time.latest()) + 3600n;
      const tx = context.tipping
        .connect(context.fan)
        .openTab(key.address, CORE, amount, expiresAt, referrer, { value: amount + gas });
      return { ...context, key, expiresAt, tx, amount, gas };
    }

    it("opens a tab in one confirmation and forwards the extra CORE to the key for gas", async () => {
      const { tipping, fan, key, expiresAt, tx, amount, gas } = await openCoreTab();
      await expect(tx)
        .to.emit(tipping, "TabOpened")
        .withArgs(fan.address, key.address, CORE, amount, expiresAt, NO_REFERRER);
      await expect(tx).to.changeEtherBalances(ethers, [fan, key, tipping], [-(amount + gas), gas, amount]);
      expect(await tipping.tabOf(key.address)).to.deep.equal([fan.address, CORE, amount, expiresAt, NO_REFERRER]);
    });

    it("the key tips from the tab without the fan: an ordinary tip from the fan", async () => {
      const { tipping, artist, fan, key, tx, amount } = await openCoreTab();
      await tx;
      await expect(tipping.connect(key).tipFromTab(artist.address, 5n, ONE, MESSAGE))
        .to.emit(tipping, "TipSent")
        .withArgs(artist.address, fan.address, 5n, ONE, MESSAGE);
      expect((await tipping.tabOf(key.address)).balance).to.equal(amount - ONE);
      expect(await tipping.earningsOf(artist.address, CORE)).to.deep.equal([ONE - feeOf(ONE), feeOf(ONE)]);
    });

    it("a key can spend at most its tab, only before expiry, and nothing once revoked", async () => {
      const { tipping, artist, fan, key, tx, expiresAt } = await openCoreTab(2n * ONE);
      await tx;
      await expect(tipping.connect(key).tipFromTab(artist.address, 0n, 3n * ONE, ""))
        .to.be.revertedWithCustomError(tipping, "HarmonieTippingTabExceeded")
        .withArgs(key.address, 3n * ONE, 2n * ONE);
      await tipping.connect(key).tipFromTab(artist.address, 0n, 2n * ONE, "");
      await expect(tipping.connect(key).tipFromTab(artist.address, 0n, 1n, ""))
        .to.be.revertedWithCustomError(tipping, "HarmonieTippingTabExceeded")
        .withArgs(key.address, 1n, 0n);
      await tipping.connect(fan).topUpTab(key.address, ONE, { value: ONE });
      await time.setNextBlockTimestamp(expiresAt - 1n);
      await tipping.connect(key).tipFromTab(artist.address, 0n, ONE / 2n, "");
      await time.setNextBlockTimestamp(expiresAt);
      await expect(tipping.connect(key).tipFromTab(artist.address, 0n, ONE / 4n, ""))
        .to.be.revertedWithCustomError(tipping, "HarmonieTippingTabExpired")
        .withArgs(key.address, expiresAt);
      await expect(tipping.connect(fan).closeTab(key.address))
        .to.emit(tipping, "TabClosed")
        .withArgs(fan.address, key.address, CORE, ONE / 2n, 0n);
      await expect(tipping.connect(key).tipFromTab(artist.address, 0n, 1n, ""))
        .to.be.revertedWithCustomError(tipping, "HarmonieTippingNoTab")
        .withArgs(key.address);
    });

    it("closing refunds the fan (never the key), by the fan or by the key", async () => {
      const { tipping, fan, other, key, tx, amount } = await openCoreTab();
      await tx;
      await expect(tipping.connect(other).closeTab(key.address))
        .to.be.revertedWithCustomError(tipping, "HarmonieTippingNoTab")
        .withArgs(key.address);
      // The key returns its unused gas allowance with the call: all of it reaches the fan.
      const close = tipping.connect(key).closeTab(key.address, { value: 7n });
      await expect(close).to.emit(tipping, "TabClosed").withArgs(fan.address, key.address, CORE, amount, 7n);
      await expect(close).to.changeEtherBalances(ethers, [fan, tipping], [amount + 7n, -amount]);
      await expect(tipping.connect(fan).closeTab(key.address))
        .to.be.revertedWithCustomError(tipping, "HarmonieTippingNoTab")
        .withArgs(key.address);
      expect((await tipping.tabOf(key.address)).fan).to.equal(CORE);
    });

    it("a stablecoin tab: approve + open, tip in the token, close for the rest", async () => {
      const { tipping, stablecoin, artist, fan, approve } = await loadFixture(withStablecoin);
      const key = ethers.Wallet.createRandom().connect(ethers.provider);
      const expiresAt = BigInt(await time.latest()) + 3600n;
      await approve(10n * USDC);
      const gas = ethers.parseEther("0.02");
      const open = tipping.connect(fan).openTab(key.address, stablecoin, 10n * USDC, expiresAt, NO_REFERRER, {
        value: gas,
      });
      await expect(open).to.changeTokenBalances(ethers, stablecoin, [fan, tipping], [-10n * USDC, 10n * USDC]);
      await expect(open).to.changeEtherBalance(ethers, key, gas);
      await expect(tipping.connect(key).tipFromTab(artist.address, 1n, 3n * USDC, MESSAGE))
        .to.emit(tipping, "TokenTipSent")
        .withArgs(artist.address, await stablecoin.getAddress(), 1n, fan.address, 3n * USDC, MESSAGE);
      await expect(tipping.connect(key).tipFromTab(artist.address, 1n, 1n, ""))
        .to.be.revertedWithCustomError(tipping, "HarmonieTippingBelowMinimum")
        .withArgs(1n, 10_000n);
      const close = tipping.connect(key).closeTab(key.address, { value: 11n });
      await expect(close).to.changeTokenBalance(ethers, stablecoin, fan, 7n * USDC);
      await expect(close).to.changeEtherBalance(ethers, fan, 11n);
    });

    it("tips from a referred tab pay the referrer; tab tips follow splits", async () => {
      const {
        tipping,
        artist,
        collaborator,
        other: app,
        key,
        tx,
      } = await openCoreTab(3n * ONE, ethers.parseEther("0.05"), undefined);
      await tx;
      await tipping.connect(artist).setSplit(0n, [{ recipient: collaborator.address, bps: 10_000 }]);
      await expect(tipping.connect(key).tipFromTab(artist.address, 0n, ONE, "")).to.emit(tipping, "TipShared");
      expect((await tipping.earningsOf(collaborator.address, CORE))[1]).to.equal(feeOf(ONE));

      const fan2 = (await ethers.getSigners())[6];
      const key2 = ethers.Wallet.createRandom().connect(ethers.provider);
      await tipping
        .connect(fan2)
        .openTab(key2.address, CORE, ONE, BigInt(await time.latest()) + 60n, app.address, { value: ONE + ONE / 10n });
      expect((await tipping.tabOf(key2.address)).referrer).to.equal(app.address);
      await expect(tipping.connect(key2).tipFromTab(artist.address, 0n, ONE, ""))
        .to.emit(tipping, "ReferralPaid")
        .withArgs(app.address, CORE, artist.address, (feeOf(ONE) * SHARE_BPS) / 10_000n, feeOf(ONE));
      await expect(tipping.connect(fan2).closeTab(key2.address))
        .to.emit(tipping, "TabClosed")
        .withArgs(fan2.address, key2.address, CORE, 0n, 0n);
      expect((await tipping.tabOf(key2.address)).referrer).to.equal(CORE);
    });

    it("refuses bad tabs: zero key, a key already in use, a past expiry, nothing funded, an unlisted token", async () => {
      const { tipping, stablecoin, fan, other, key, tx, amount } = await openCoreTab();
      await tx;
      const later = BigInt(await time.latest()) + 600n;
      await expect(
        tipping.connect(fan).openTab(CORE, CORE, ONE, later, NO_REFERRER, { value: ONE }),
      ).to.be.revertedWithCustomError(tipping, "HarmonieTippingZeroAddress");
      await expect(tipping.connect(other).openTab(key.address, CORE, ONE, later, NO_REFERRER, { value: ONE }))
        .to.be.revertedWithCustomError(tipping, "HarmonieTippingInvalidTab")
        .withArgs(key.address);
      const fresh = ethers.Wallet.createRandom().address;
      const now = BigInt(await time.latest());
      await expect(tipping.connect(fan).openTab(fresh, CORE, ONE, now + 1n, NO_REFERRER, { value: ONE }))
        .to.be.revertedWithCustomError(tipping, "HarmonieTippingInvalidTab")
        .withArgs(fresh);
      await expect(
        tipping.connect(fan).openTab(fresh, CORE, 0n, later, NO_REFERRER, { value: ONE }),
      ).to.be.revertedWithCustomError(tipping, "HarmonieTippingZeroTip");
      await expect(tipping.connect(fan).openTab(fresh, CORE, ONE, later, NO_REFERRER, { value: ONE - 1n }))
        .to.be.revertedWithCustomError(tipping, "HarmonieTippingTokenShortfall")
        .withArgs(CORE, ONE, ONE - 1n);
      const unlisted = await ethers.deployContract("TestStablecoin");
      await expect(tipping.connect(fan).openTab(fresh, unlisted, ONE, later, NO_REFERRER))
        .to.be.revertedWithCustomError(tipping, "HarmonieTippingTokenNotAllowed")
        .withArgs(await unlisted.getAddress());
      // Top-ups: only the fan, only before expiry, something to add; the rest of the CORE goes to the key.
      await expect(tipping.connect(other).topUpTab(key.address, ONE, { value: ONE }))
        .to.be.revertedWithCustomError(tipping, "HarmonieTippingNoTab")
        .withArgs(key.address);
      await expect(tipping.connect(fan).topUpTab(key.address, 0n)).to.be.revertedWithCustomError(
        tipping,
        "HarmonieTippingZeroTip",
      );
      const topUp = tipping.connect(fan).topUpTab(key.address, ONE, { value: ONE + 5n });
      await expect(topUp)
        .to.emit(tipping, "TabToppedUp")
        .withArgs(fan.address, key.address, ONE, amount + ONE);
      await expect(topUp).to.changeEtherBalance(ethers, key, 5n);
      await time.increase(3600);
      const { expiresAt } = await tipping.tabOf(key.address);
      await expect(tipping.connect(fan).topUpTab(key.address, ONE, { value: ONE }))
        .to.be.revertedWithCustomError(tipping, "HarmonieTippingTabExpired")
        .withArgs(key.address, expiresAt);
      // An expired tab is still refunded in full.
      await expect(tipping.connect(fan).closeTab(key.address)).to.changeEtherBalance(ethers, fan, amount + ONE);
      void stablecoin;
    });

    it("tab tips check the zero address, the message and the artist's minimum", async () => {
      const { tipping, artist, key, tx } = await openCoreTab();
      await tx;
      await expect(tipping.connect(key).tipFromTab(CORE, 0n, ONE, "")).to.be.revertedWithCustomError(
        tipping,
        "HarmonieTippingZeroAddress",
      );
      await expect(tipping.connect(key).tipFromTab(artist.address, 0n, ONE, "x".repeat(281)))
        .to.be.revertedWithCustomError(tipping, "HarmonieTippingMessageTooLong")
        .withArgs(281n, 280n);
      await tipping.connect(artist).setMinimumTip(ONE / 2n);
      await expect(tipping.connect(key).tipFromTab(artist.address, 0n, ONE / 4n, ""))
        .to.be.revertedWithCustomError(tipping, "HarmonieTippingBelowMinimum")
        .withArgs(ONE / 4n, ONE / 2n);
      await expect(tipping.connect(key).tipFromTab(artist.address, 0n, 0n, "")).to.be.revertedWithCustomError(
        tipping,
        "HarmonieTippingZeroTip",
      );
    });
  });

  describe("withdraw", () => {
    it("pays the credit less the fee, keeps the fee for the treasury, and uses up the nonce", async () => {
      const { tipping, artist, fan } = await loadFixture(deployProtocol);
      await tipping.connect(fan).tip(artist.address, 0n, MESSAGE, { value: ONE });
      const fee = feeOf(ONE);
      const tx = tipping.connect(artist).withdraw(CORE);
      await expect(tx)
        .to.emit(tipping, "Withdrawn")
        .withArgs(artist.address, CORE, artist.address, ONE - fee, fee);
      await expect(tx).to.changeEtherBalances(ethers, [artist, tipping], [ONE - fee, -(ONE - fee)]);
      expect(await tipping.owedFees(CORE)).to.equal(fee);
      expect(await tipping.nonces(artist.address)).to.equal(1n);
      expect(await tipping.earningsOf(artist.address, CORE)).to.deep.equal([0n, 0n]);
      await expect(tipping.connect(artist).withdraw(CORE))
        .to.be.revertedWithCustomError(tipping, "HarmonieTippingNothingToWithdraw")
        .withArgs(artist.address, CORE);
    });

    it("keeps the artist's minimum and split through withdrawals", async () => {
      const { tipping, artist, fan, collaborator } = await loadFixture(deployProtocol);
      await tipping.connect(artist).setMinimumTip(ONE / 2n);
      await tipping.connect(fan).tip(artist.address, 0n, "", { value: ONE });
      await tipping.connect(artist).setSplit(3n, [{ recipient: collaborator.address, bps: 10_000 }]);
      await tipping.connect(artist).withdraw(CORE);
      expect(await tipping.minimumTipOf(artist.address, CORE)).to.equal(ONE / 2n);
      await expect(tipping.connect(fan).tip(artist.address, 3n, "", { value: ONE })).to.emit(tipping, "TipShared");
    });

    it("withdrawTo pays another address and refuses the zero address", async () => {
      const { tipping, artist, fan, other } = await loadFixture(deployProtocol);
      await tipping.connect(fan).tip(artist.address, 0n, "", { value: ONE });
      await expect(tipping.connect(artist).withdrawTo(CORE, CORE)).to.be.revertedWithCustomError(
        tipping,
        "HarmonieTippingZeroAddress",
      );
      await expect(tipping.connect(artist).withdrawTo(CORE, other.address)).to.changeEtherBalance(
        ethers,
        other,
        ONE - feeOf(ONE),
      );
    });

    it("pays gross and settled credit together, per token", async () => {
      const { tipping, stablecoin, artist, fan, other: app, approve } = await loadFixture(withStablecoin);
      await approve(3n * USDC);
      await tipping.connect(fan).tipToken(stablecoin, artist.address, 0n, USDC, "", NO_REFERRER);
      await tipping.connect(fan).tipToken(stablecoin, artist.address, 0n, 2n * USDC, "", app.address);
      await tipping.connect(fan).tipWithReferrer(artist.address, 0n, "", app.address, { value: ONE });
      const settled = 2n * USDC - feeOf(2n * USDC);
      await expect(tipping.connect(artist).withdraw(stablecoin))
        .to.emit(tipping, "Withdrawn")
        .withArgs(
          artist.address,
          await stablecoin.getAddress(),
          artist.address,
          USDC - feeOf(USDC) + settled,
          feeOf(USDC),
        );
      await expect(tipping.connect(artist).withdraw(CORE))
        .to.emit(tipping, "Withdrawn")
        .withArgs(artist.address, CORE, artist.address, ONE - feeOf(ONE), 0n);
      expect(await tipping.nonces(artist.address)).to.equal(2n);
    });

    it("reverts with TransferFailed when the recipient refuses CORE, losing nothing", async () => {
      const { tipping, artist, fan } = await loadFixture(deployProtocol);
      const rejector = await ethers.deployContract("RejectingReceiver");
      await tipping.connect(fan).tip(artist.address, 0n, "", { value: ONE });
      await expect(tipping.connect(artist).withdrawTo(CORE, await rejector.getAddress()))
        .to.be.revertedWithCustomError(tipping, "HarmonieTippingTransferFailed")
        .withArgs(await rejector.getAddress(), ONE - feeOf(ONE));
      expect((await tipping.earningsOf(artist.address, CORE))[0]).to.equal(ONE - feeOf(ONE));
    });

    it("invalidateNonce revokes signatures without withdrawing", async () => {
      const { tipping, artist } = await loadFixture(deployProtocol);
      await expect(tipping.connect(artist).invalidateNonce())
        .to.emit(tipping, "NonceInvalidated")
        .withArgs(artist.address, 0n);
      await expect(tipping.connect(artist).invalidateNonce())
        .to.emit(tipping, "NonceInvalidated")
        .withArgs(artist.address, 1n);
      expect(await tipping.nonces(artist.address)).to.equal(2n);
    });
  });

  describe("fees: a raise waits for its notice period", () => {
    it("a cut applies at once; a raise only after the notice, withdrawals before it pay the old fee", async () => {
      const { tipping, artist, fan, asTimelock } = await loadFixture(deployProtocol);
      await tipping.connect(fan).tip(artist.address, 0n, "", { value: 2n * ONE });
      await expect(tipping.connect(asTimelock).setFee(100))
        .to.emit(tipping, "FeeUpdated")
        .withArgs(FEE_BPS, 100n, BigInt(await time.latest()) + 1n);
      expect((await tipping.fees()).feeBps).to.equal(100n);

      const raise = await (await tipping.connect(asTimelock).setFee(1_000)).wait();
      const announced = BigInt((await raise!.getBlock()).timestamp);
      const [event] = await tipping.queryFilter(tipping.filters.FeeUpdated(), raise!.blockNumber);
      expect(event.args).to.deep.equal([100n, 1_000n, announced + NOTICE]);
      expect(await tipping.fees()).to.deep.equal([100n, 1_000n, announced + NOTICE, SHARE_BPS, NOTICE]);
      expect(await tipping.earningsOf(artist.address, CORE)).to.deep.equal([
        ONE * 2n - feeOf(2n * ONE, 100n),
        feeOf(2n * ONE, 100n),
      ]);

      // The last second of the notice still pays the old fee…
      await time.setNextBlockTimestamp(announced + NOTICE - 1n);
      await expect(tipping.connect(artist).withdraw(CORE))
        .to.emit(tipping, "Withdrawn")
        .withArgs(artist.address, CORE, artist.address, 2n * ONE - feeOf(2n * ONE, 100n), feeOf(2n * ONE, 100n));
      // …and from its end the new fee is in force (this tip is mined at exactly announced + NOTICE).
      await tipping.connect(fan).tip(artist.address, 0n, "", { value: ONE });
      await expect(tipping.connect(artist).withdraw(CORE))
        .to.emit(tipping, "Withdrawn")
        .withArgs(artist.address, CORE, artist.address, (ONE * 9n) / 10n, ONE / 10n);
      expect(await tipping.fees()).to.deep.equal([1_000n, 0n, 0n, SHARE_BPS, NOTICE]);
    });

    it("a second raise restarts the notice; a cut during a pending raise cancels it", async () => {
      const { tipping, asTimelock } = await loadFixture(deployProtocol);
      await tipping.connect(asTimelock).setFee(500);
      await time.increase(NOTICE / 2n);
      await tipping.connect(asTimelock).setFee(600);
      const { pendingFrom } = await tipping.fees();
      expect(pendingFrom).to.equal(BigInt(await time.latest()) + NOTICE);
      await time.increase(NOTICE / 2n + 1n);
      expect((await tipping.fees()).feeBps).to.equal(FEE_BPS);
      await expect(tipping.connect(asTimelock).setFee(200))
        .to.emit(tipping, "FeeUpdated")
        .withArgs(FEE_BPS, 200n, BigInt(await time.latest()) + 1n);
      await time.increase(NOTICE * 2n);
      expect(await tipping.fees()).to.deep.equal([200n, 0n, 0n, SHARE_BPS, NOTICE]);
      // A raise once the previous one took effect starts from it.
      await tipping.connect(asTimelock).setFee(700);
      await time.increase(NOTICE);
      await expect(tipping.connect(asTimelock).setFee(800))
        .to.emit(tipping, "FeeUpdated")
        .withArgs(700n, 800n, BigInt(await time.latest()) + 1n + NOTICE);
    });

    it("sweeps settled fees per token to the treasury", async () => {
      const { tipping, stablecoin, artist, fan, timelock, approve } = await loadFixture(withStablecoin);
      await expect(tipping.sweepFees(CORE))
        .to.be.revertedWithCustomError(tipping, "HarmonieTippingNoFees")
        .withArgs(CORE);
      await tipping.connect(fan).tip(artist.address, 0n, "", { value: ONE });
      await approve(USDC);
      await tipping.connect(fan).tipToken(stablecoin, artist.address, 0n, USDC, "", NO_REFERRER);
      await tipping.connect(artist).withdraw(CORE);
      await tipping.connect(artist).withdraw(stablecoin);
      const treasury = await timelock.getAddress();
      const core = tipping.connect(fan).sweepFees(CORE);
      await expect(core).to.emit(tipping, "FeesSwept").withArgs(treasury, CORE, feeOf(ONE));
      await expect(core).to.changeEtherBalance(ethers, timelock, feeOf(ONE));
      const usdc = tipping.connect(fan).sweepFees(stablecoin);
      await expect(usdc)
        .to.emit(tipping, "FeesSwept")
        .withArgs(treasury, await stablecoin.getAddress(), feeOf(USDC));
      await expect(usdc).to.changeTokenBalance(ethers, stablecoin, timelock, feeOf(USDC));
      // A second sweep finds nothing: the owed fees were zeroed, credit is never swept.
      await expect(tipping.sweepFees(CORE)).to.be.revertedWithCustomError(tipping, "HarmonieTippingNoFees");
      await expect(tipping.sweepFees(stablecoin)).to.be.revertedWithCustomError(tipping, "HarmonieTippingNoFees");
    });

    it("lets only the timelock set the fee, up to the 10% cap", async () => {
      const { tipping, asTimelock, fan } = await loadFixture(deployProtocol);
      await expect(tipping.connect(asTimelock).setFee(1_001))
        .to.be.revertedWithCustomError(tipping, "HarmonieTippingFeeAboveCap")
        .withArgs(1_001n, 1_000n);
      await expect(tipping.connect(asTimelock).setFee(1_000)).to.emit(tipping, "FeeUpdated");
      await expect(tipping.connect(fan).setFee(0))
        .to.be.revertedWithCustomError(tipping, "GovernedUnauthorized")
        .withArgs(fan.address);
    });

    it("refuses a fee or share above the cap, a zero minimum or a zero governance at deployment", async () => {
      const { tipping, timelock } = await loadFixture(deployProtocol);
      const factory = await ethers.getContractFactory("HarmonieTipping");
      const governance = await timelock.getAddress();
      await expect(factory.deploy(governance, 1n, 1_001, 60, 0, [], []))
        .to.be.revertedWithCustomError(tipping, "HarmonieTippingFeeAboveCap")
        .withArgs(1_001n, 1_000n);
      await expect(factory.deploy(governance, 1n, 100, 60, 10_001, [], []))
        .to.be.revertedWithCustomError(tipping, "HarmonieTippingShareAboveCap")
        .withArgs(10_001n);
      await expect(factory.deploy(governance, 0n, 100, 60, 0, [], [])).to.be.revertedWithCustomError(
        tipping,
        "HarmonieTippingZeroTip",
      );
      await expect(factory.deploy(ethers.ZeroAddress, 1n, 100, 60, 0, [], [])).to.be.revertedWithCustomError(
        tipping,
        "GovernedZeroAddress",
      );
    });
  });

  describe("withdrawFor (EIP-712, relayed)", () => {
    async function signed(overrides: Partial<{ maxFeeBps: bigint; to: string; token: string; nonce: bigint }> = {}) {
      const context = await loadFixture(deployProtocol);
      const { tipping, artist, fan } = context;
      await tipping.connect(fan).tip(artist.address, 0n, "", { value: ONE });
      const deadline = BigInt(await time.latest()) + 3600n;
      const message = {
        account: artist.address,
        token: CORE,
        to: artist.address,
        maxFeeBps: FEE_BPS,
        nonce: 0n,
        deadline,
        ...overrides,
      };
      const signature = await signWithdrawal(artist, tipping, message);
      return { ...context, message, signature };
    }

    const relay = (tipping: any, relayer: Signer, m: any, signature: string) =>
      tipping.connect(relayer).withdrawFor(m.account, m.token, m.to, m.maxFeeBps, m.deadline, signature);

    it("pays the recipient the signature names, once", async () => {
      const { tipping, artist, fan, other, message, signature } = await signed({
        to: "0x000000000000000000000000000000000000bEEF",
      });
      await expect(relay(tipping, other, message, signature))
        .to.emit(tipping, "Withdrawn")
        .withArgs(artist.address, CORE, message.to, ONE - feeOf(ONE), feeOf(ONE));
      expect(await ethers.provider.getBalance(message.to)).to.equal(ONE - feeOf(ONE));
      await tipping.connect(fan).tip(artist.address, 0n, "", { value: ONE });
      await expect(relay(tipping, other, message, signature))
        .to.be.revertedWithCustomError(tipping, "HarmonieTippingInvalidSignature")
        .withArgs(artist.address);
    });

    it("refuses a signature for another recipient, token or fee bound (the signature binds them)", async () => {
      const { tipping, artist, other, message, signature } = await signed();
      for (const change of [{ to: other.address }, { token: other.address }, { maxFeeBps: 1_000n }]) {
        await expect(relay(tipping, other, { ...message, ...change }, signature))
          .to.be.revertedWithCustomError(tipping, "HarmonieTippingInvalidSignature")
          .withArgs(artist.address);
      }
    });

    it("a fee above the signed bound is refused: an old signature cannot force a withdrawal after a raise", async () => {
      const { tipping, artist, other, asTimelock, message, signature } = await signed();
      await tipping.connect(asTimelock).setFee(300);
      await time.increase(NOTICE);
      await expect(relay(tipping, other, message, signature))
        .to.be.revertedWithCustomError(tipping, "HarmonieTippingFeeAboveSigned")
        .withArgs(300n, FEE_BPS);
      expect((await tipping.earningsOf(artist.address, CORE))[1]).to.equal(feeOf(ONE, 300n));
    });

    it("a direct withdrawal or invalidateNonce revokes an unused signature", async () => {
      const { tipping, artist, fan, other, message, signature } = await signed();
      await tipping.connect(artist).withdraw(CORE);
      await tipping.connect(fan).tip(artist.address, 0n, "", { value: ONE });
      await expect(relay(tipping, other, message, signature))
        .to.be.revertedWithCustomError(tipping, "HarmonieTippingInvalidSignature")
        .withArgs(artist.address);
      const next = { ...message, nonce: 1n };
      const fresh = await signWithdrawal(artist, tipping, next);
      await tipping.connect(artist).invalidateNonce();
      await expect(relay(tipping, other, next, fresh))
        .to.be.revertedWithCustomError(tipping, "HarmonieTippingInvalidSignature")
        .withArgs(artist.address);
    });

    it("rejects an expired deadline, the zero recipient and another signer", async () => {
      const { tipping, artist, fan, other } = await signed();
      const past = BigInt(await time.latest()) - 1n;
      const base = { account: artist.address, token: CORE, to: artist.address, maxFeeBps: FEE_BPS, nonce: 0n };
      const expired = await signWithdrawal(artist, tipping, { ...base, deadline: past });
      await expect(relay(tipping, other, { ...base, deadline: past }, expired))
        .to.be.revertedWithCustomError(tipping, "HarmonieTippingSignatureExpired")
        .withArgs(past);
      const deadline = past + 3600n;
      await expect(relay(tipping, other, { ...base, to: CORE, deadline }, expired)).to.be.revertedWithCustomError(
        tipping,
        "HarmonieTippingZeroAddress",
      );
      const forged = await signWithdrawal(fan, tipping, { ...base, deadline });
      await expect(relay(tipping, other, { ...base, deadline }, forged))
        .to.be.revertedWithCustomError(tipping, "HarmonieTippingInvalidSignature")
        .withArgs(artist.address);
      // The deadline itself is still valid.
      const exact = BigInt(await time.latest()) + 10n;
      const onTime = await signWithdrawal(artist, tipping, { ...base, deadline: exact });
      await time.setNextBlockTimestamp(exact);
      await expect(relay(tipping, other, { ...base, deadline: exact }, onTime)).to.emit(tipping, "Withdrawn");
    });

    it("accepts an ERC-1271 smart-wallet account", async () => {
      const { tipping, artist, fan, other } = await loadFixture(deployProtocol);
      const wallet = await ethers.deployContract("ERC1271Wallet", [artist.address]);
      const walletAddress = await wallet.getAddress();
      await tipping.connect(fan).tip(walletAddress, 0n, "", { value: ONE });
      const message = {
        account: walletAddress,
        token: CORE,
        to: artist.address,
        maxFeeBps: FEE_BPS,
        nonce: 0n,
        deadline: BigInt(await time.latest()) + 3600n,
      };
      const signature = await signWithdrawal(artist, tipping, message);
      await expect(relay(tipping, other, message, signature)).to.changeEtherBalance(ethers, artist, ONE - feeOf(ONE));
    });
  });
});

describe("HarmonieTipping deployment", () => {
  it("announces its starting fee and referrer share for indexers, and allow-lists the local stablecoin", async () => {
    const { tipping, registry, stablecoin } = await loadFixture(deployProtocol);
    const [tipFee] = await tipping.queryFilter(tipping.filters.FeeUpdated());
    expect(tipFee.args.slice(0, 2)).to.deep.equal([0n, FEE_BPS]);
    const [licenseFee] = await registry.queryFilter(registry.filters.FeeUpdated());
    expect(licenseFee.args).to.deep.equal([0n, await registry.feeBps()]);
    const [share] = await tipping.queryFilter(tipping.filters.ReferrerShareUpdated());
    expect(share.args).to.deep.equal([0n, SHARE_BPS]);
    const [allowed] = await tipping.queryFilter(tipping.filters.TokenAllowed());
    expect(allowed.args).to.deep.equal([await stablecoin.getAddress(), "USDC", 6n, 10_000n]);
    expect(await stablecoin.decimals()).to.equal(6n);
    expect(await stablecoin.symbol()).to.equal("USDC");
  });
});
