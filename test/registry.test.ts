import { expect } from "chai";
import { deployProtocol, ethers, ISRC, ISRC_2, networkHelpers, offer, trackInput } from "./fixtures.ts";

const { loadFixture, time } = networkHelpers;
const ONE = ethers.parseEther("1");
const MONTH = 30n * 24n * 3600n;
const CORE = ethers.ZeroAddress;
const FLAGGED = 1n; // TrackStatus

async function withTrack() {
  const f = await deployProtocol();
  await f.registry.connect(f.artist).registerTrack(trackInput(f.artist.address, f.collaborator.address));
  const trackId = await f.registry.trackIdOf(ISRC);
  return { ...f, trackId };
}

describe("ContentRegistry", () => {
  describe("registerTrack", () => {
    it("stores the track under its packed ISRC and emits its splits and offers", async () => {
      const { registry, artist, collaborator } = await loadFixture(deployProtocol);
      const input = trackInput(artist.address, collaborator.address);
      const trackId = BigInt(`0x${Buffer.from(ISRC).toString("hex")}`);
      const tx = registry.connect(artist).registerTrack(input);
      await expect(tx)
        .to.emit(registry, "TrackRegistered")
        .withArgs(
          trackId,
          artist.address,
          ISRC,
          input.metadataCid,
          true,
          500,
          [
            [artist.address, 7_000n],
            [collaborator.address, 3_000n],
          ],
          ethers.ZeroAddress,
        );
      await expect(tx)
        .to.emit(registry, "LicenseOfferCreated")
        .withArgs(trackId, 0n, trackId << 32n, ethers.ZeroAddress, ONE, 0n, 0n, 0n, true, false);
      await expect(tx)
        .to.emit(registry, "LicenseOfferCreated")
        .withArgs(trackId, 1n, (trackId << 32n) | 1n, ethers.ZeroAddress, ONE / 10n, 3n, 0n, MONTH, false, false);
      expect(await registry.exists(trackId)).to.equal(true);
      expect(await registry.trackOf(trackId)).to.deep.equal([
        artist.address,
        ISRC,
        input.metadataCid,
        true,
        0n, // TrackStatus.Active
        500n,
        2n,
      ]);
      expect(await registry.splitsOf(trackId)).to.deep.equal([
        [artist.address, 7_000n],
        [collaborator.address, 3_000n],
      ]);
      expect(await registry.offerOf(trackId, 1n)).to.deep.equal([
        ethers.ZeroAddress,
        ONE / 10n,
        3n,
        0n,
        MONTH,
        false,
        false,
        true,
        0n,
      ]);
      expect(await registry.licenseTokenId(trackId, 1n)).to.equal((trackId << 32n) | 1n);
      expect(await registry.uri(trackId << 32n)).to.equal(`ipfs://${input.metadataCid}/metadata.json`);
    });

    for (const isrc of [
      "",
      "USRC1760783",
      "USRC176078390",
      "US-RC1-76-07839",
      "usrc17607839",
      "U1RC17607839",
      "USR_17607839",
      "USRC1760783A",
      "USRC1A607839",
    ]) {
      it(`rejects the invalid ISRC "${isrc}"`, async () => {
        const { registry, artist, collaborator } = await loadFixture(deployProtocol);
        await expect(registry.connect(artist).registerTrack(trackInput(artist.address, collaborator.address, { isrc })))
          .to.be.revertedWithCustomError(registry, "ContentRegistryInvalidIsrc")
          .withArgs(isrc);
      });
    }

    it("rejects a duplicate ISRC", async () => {
      const { registry, artist, collaborator, other } = await loadFixture(withTrack);
      await expect(registry.connect(other).registerTrack(trackInput(other.address, collaborator.address)))
        .to.be.revertedWithCustomError(registry, "ContentRegistryDuplicateIsrc")
        .withArgs(ISRC);
      await expect(registry.trackIdOf("bad")).to.be.revertedWithCustomError(registry, "ContentRegistryInvalidIsrc");
      expect(artist.address).to.not.equal(other.address);
    });

    it("rejects bad splits, too many offers, a high royalty and empty metadata", async () => {
      const { registry, artist, collaborator } = await loadFixture(deployProtocol);
      const register = (overrides: Record<string, unknown>) =>
        registry.connect(artist).registerTrack(trackInput(artist.address, collaborator.address, overrides));
      await expect(register({ splits: [{ recipient: artist.address, bps: 9_999 }] }))
        .to.be.revertedWithCustomError(registry, "ContentRegistryInvalidSplitTotal")
        .withArgs(9_999n);
      await expect(register({ splits: [] }))
        .to.be.revertedWithCustomError(registry, "ContentRegistryInvalidSplitCount")
        .withArgs(0n, 16n);
      const seventeen = Array.from({ length: 17 }, () => ({ recipient: artist.address, bps: 1 }));
      await expect(register({ splits: seventeen }))
        .to.be.revertedWithCustomError(registry, "ContentRegistryInvalidSplitCount")
        .withArgs(17n, 16n);
      await expect(register({ splits: [{ recipient: ethers.ZeroAddress, bps: 10_000 }] }))
        .to.be.revertedWithCustomError(registry, "ContentRegistryInvalidSplit")
        .withArgs(0n);
      await expect(
        register({
          splits: [
            { recipient: artist.address, bps: 10_000 },
            { recipient: collaborator.address, bps: 0 },
          ],
        }),
      )
        .to.be.revertedWithCustomError(registry, "ContentRegistryInvalidSplit")
        .withArgs(1n);
      const offer = trackInput(artist.address, collaborator.address).offers[0];
      await expect(register({ offers: Array(33).fill(offer) }))
        .to.be.revertedWithCustomError(registry, "ContentRegistryTooManyOffers")
        .withArgs(33n, 32n);
      await expect(register({ royaltyBps: 2_501 }))
        .to.be.revertedWithCustomError(registry, "ContentRegistryRoyaltyTooHigh")
        .withArgs(2_501n, 2_500n);
      await expect(register({ metadataCid: "" })).to.be.revertedWithCustomError(
        registry,
        "ContentRegistryEmptyMetadata",
      );
    });

    it("accepts exactly 16 splits", async () => {
      const { registry, artist } = await loadFixture(deployProtocol);
      const splits = Array.from({ length: 16 }, (_, i) => ({
        recipient: ethers.Wallet.createRandom().address,
        bps: i === 0 ? 2_500 : 500,
      }));
      await expect(
        registry.connect(artist).registerTrack(trackInput(artist.address, artist.address, { splits })),
      ).to.emit(registry, "TrackRegistered");
    });
  });

  describe("artist management", () => {
    it("updates metadata, adds offers, reprices and pauses offers", async () => {
      const { registry, artist, trackId } = await loadFixture(withTrack);
      await expect(registry.connect(artist).updateMetadata(trackId, "bafynew"))
        .to.emit(registry, "TrackMetadataUpdated")
        .withArgs(trackId, "bafynew");
      await expect(registry.connect(artist).updateMetadata(trackId, "")).to.be.revertedWithCustomError(
        registry,
        "ContentRegistryEmptyMetadata",
      );
      const terms = offer({ price: 5n, supplyCap: 1, derivativesAllowed: true });
      await expect(registry.connect(artist).addOffer(trackId, terms))
        .to.emit(registry, "LicenseOfferCreated")
        .withArgs(trackId, 2n, (trackId << 32n) | 2n, ethers.ZeroAddress, 5n, 1n, 0n, 0n, false, true);
      await expect(registry.connect(artist).setOfferPrice(trackId, 2n, 7n))
        .to.emit(registry, "LicenseOfferPriceUpdated")
        .withArgs(trackId, 2n, 7n);
      await expect(registry.connect(artist).setOfferActive(trackId, 2n, false))
        .to.emit(registry, "LicenseOfferStatusUpdated")
        .withArgs(trackId, 2n, false);
      expect((await registry.offerOf(trackId, 2n)).active).to.equal(false);
      await expect(registry.offerOf(trackId, 3n))
        .to.be.revertedWithCustomError(registry, "ContentRegistryUnknownOffer")
        .withArgs(trackId, 3n);
    });

    it("lets only the artist manage the track", async () => {
      const { registry, fan, trackId } = await loadFixture(withTrack);
      for (const call of [
        () => registry.connect(fan).updateMetadata(trackId, "x"),
        () => registry.connect(fan).setOfferPrice(trackId, 0n, 1n),
        () => registry.connect(fan).setOfferActive(trackId, 0n, false),
        () => registry.connect(fan).addOffer(trackId, offer({ price: 1n })),
        () => registry.connect(fan).offerTrackTransfer(trackId, fan.address),
      ]) {
        await expect(call())
          .to.be.revertedWithCustomError(registry, "ContentRegistryNotArtist")
          .withArgs(trackId, fan.address);
      }
      await expect(registry.connect(fan).updateMetadata(1n, "x"))
        .to.be.revertedWithCustomError(registry, "ContentRegistryUnknownTrack")
        .withArgs(1n);
      await expect(registry.trackOf(1n)).to.be.revertedWithCustomError(registry, "ContentRegistryUnknownTrack");
    });

    it("caps offers at 32 per track", async () => {
      const { registry, artist, collaborator } = await loadFixture(deployProtocol);
      const offer = trackInput(artist.address, collaborator.address).offers[0];
      await registry
        .connect(artist)
        .registerTrack(trackInput(artist.address, collaborator.address, { offers: Array(32).fill(offer) }));
      const trackId = await registry.trackIdOf(ISRC);
      await expect(registry.connect(artist).addOffer(trackId, offer))
        .to.be.revertedWithCustomError(registry, "ContentRegistryTooManyOffers")
        .withArgs(33n, 32n);
    });
  });

  describe("purchaseLicense", () => {
    it("mints the licence, takes the fee and credits collaborators by their splits", async () => {
      const { registry, fan, artist, collaborator, trackId } = await loadFixture(withTrack);
      const fee = (ONE * 500n) / 10_000n;
      const rest = ONE - fee;
      const tx = registry.connect(fan).purchaseLicense(trackId, 0n, ethers.ZeroAddress, { value: ONE });
      await expect(tx)
        .to.emit(registry, "LicensePurchased")
        .withArgs(trackId, 0n, fan.address, trackId << 32n, CORE, ONE, fee, ethers.ZeroAddress, 0n, 0n, false);
      await expect(tx)
        .to.emit(registry, "RevenueCredited")
        .withArgs(trackId, collaborator.address, CORE, (rest * 3_000n) / 10_000n);
      await expect(tx)
        .to.emit(registry, "RevenueCredited")
        .withArgs(trackId, artist.address, CORE, rest - (rest * 3_000n) / 10_000n);
      await expect(tx).to.emit(registry, "TransferSingle");
      expect(await registry.balanceOf(fan.address, trackId << 32n)).to.equal(1n);
      expect(await registry.creditOf(collaborator.address, CORE)).to.equal((rest * 3_000n) / 10_000n);
      expect(await registry.owedFees(CORE)).to.equal(fee);
      expect(await registry.hasAccess(fan.address, trackId)).to.equal(true);
      expect(await registry.licenseOf(fan.address, trackId)).to.deep.equal([1n, 0n]);
      expect((await registry.offerOf(trackId, 0n)).issued).to.equal(1n);
    });

    it("rounds split dust to the first collaborator so every wei is accounted for", async () => {
      const { registry, fan, artist, collaborator } = await loadFixture(deployProtocol);
      const offers = [offer({ price: 1_001n })];
      const splits = [
        { recipient: artist.address, bps: 3_333 },
        { recipient: collaborator.address, bps: 6_667 },
      ];
      await registry
        .connect(artist)
        .registerTrack(trackInput(artist.address, collaborator.address, { offers, splits }));
      await registry.connect(fan).purchaseLicense(await registry.trackIdOf(ISRC), 0n, CORE, { value: 1_001n });
      const credited =
        (await registry.creditOf(artist.address, CORE)) + (await registry.creditOf(collaborator.address, CORE));
      expect(credited + (await registry.owedFees(CORE))).to.equal(1_001n);
      expect(await ethers.provider.getBalance(await registry.getAddress())).to.equal(1_001n);
    });

    it("a renewal extends the holder's access without using up the cap: the cap counts holders", async () => {
      const { registry, fan, other, collaborator, trackId } = await loadFixture(withTrack);
      const tokenId = (trackId << 32n) | 1n;
      const price = ONE / 10n;
      await registry.connect(fan).purchaseLicense(trackId, 1n, CORE, { value: price });
      const firstExpiry = BigInt(await time.latest()) + MONTH;
      expect(await registry.licenseOf(fan.address, trackId)).to.deep.equal([0n, firstExpiry]);
      // Three renewals by one fan: the measured v1 bug exhausted a 3-unit offer this way.
      for (let i = 1n; i <= 3n; i++) {
        await expect(registry.connect(fan).purchaseLicense(trackId, 1n, CORE, { value: price }))
          .to.emit(registry, "LicensePurchased")
          .withArgs(
            trackId,
            1n,
            fan.address,
            tokenId,
            CORE,
            price,
            price / 20n,
            CORE,
            0n,
            firstExpiry + i * MONTH,
            true,
          );
      }
      expect(await registry.balanceOf(fan.address, tokenId)).to.equal(1n);
      expect((await registry.offerOf(trackId, 1n)).issued).to.equal(1n);
      await registry.connect(other).purchaseLicense(trackId, 1n, CORE, { value: price });
      await registry.connect(collaborator).purchaseLicense(trackId, 1n, CORE, { value: price });
      const [, , , fourth] = await ethers.getSigners().then((s) => s.slice(5));
      await expect(registry.connect(fourth).purchaseLicense(trackId, 1n, CORE, { value: price }))
        .to.be.revertedWithCustomError(registry, "ContentRegistrySupplyExhausted")
        .withArgs(trackId, 1n);
      // A holder still renews a sold-out offer.
      await expect(registry.connect(other).purchaseLicense(trackId, 1n, CORE, { value: price })).to.emit(
        registry,
        "LicensePurchased",
      );
    });

    it("ends access at expiry; renewing after it starts from the purchase", async () => {
      const { registry, fan, trackId } = await loadFixture(withTrack);
      await registry.connect(fan).purchaseLicense(trackId, 1n, CORE, { value: ONE / 10n });
      const expiry = BigInt(await time.latest()) + MONTH;
      await time.increaseTo(expiry - 1n);
      expect(await registry.hasAccess(fan.address, trackId)).to.equal(true);
      await time.increaseTo(expiry);
      expect(await registry.hasAccess(fan.address, trackId)).to.equal(false);
      await registry.connect(fan).purchaseLicense(trackId, 1n, CORE, { value: ONE / 10n });
      expect((await registry.licenseOf(fan.address, trackId))[1]).to.equal(BigInt(await time.latest()) + MONTH);
      expect(await registry.hasAccess(fan.address, trackId)).to.equal(true);
    });

    it("enforces a per-buyer limit on new licences, counted per buyer", async () => {
      const { registry, fan, other, artist, trackId } = await loadFixture(withTrack);
      await registry.connect(artist).addOffer(trackId, offer({ price: 5n, perBuyerLimit: 2 }));
      for (let i = 1n; i <= 2n; i++) {
        await registry.connect(fan).purchaseLicense(trackId, 2n, CORE, { value: 5n });
        expect(await registry.purchasesOf(fan.address, trackId, 2n)).to.equal(i);
      }
      await expect(registry.connect(fan).purchaseLicense(trackId, 2n, CORE, { value: 5n }))
        .to.be.revertedWithCustomError(registry, "ContentRegistryBuyerLimitReached")
        .withArgs(trackId, 2n, 2n);
      // Giving a licence away does not reset the count; another buyer has their own.
      await registry.connect(fan).safeTransferFrom(fan.address, other.address, (trackId << 32n) | 2n, 2n, "0x");
      await expect(
        registry.connect(fan).purchaseLicense(trackId, 2n, CORE, { value: 5n }),
      ).to.be.revertedWithCustomError(registry, "ContentRegistryBuyerLimitReached");
      await registry.connect(other).purchaseLicense(trackId, 2n, CORE, { value: 5n });
      expect(await registry.licenseOf(other.address, trackId)).to.deep.equal([3n, 0n]);
      expect(await registry.purchasesOf(other.address, trackId, 0n)).to.equal(0n); // no limit: not counted
    });

    it("rejects wrong payment, inactive and unknown offers, unknown and frozen tracks", async () => {
      const { registry, fan, artist, asTimelock, trackId } = await loadFixture(withTrack);
      await expect(registry.connect(fan).purchaseLicense(trackId, 0n, CORE, { value: ONE - 1n }))
        .to.be.revertedWithCustomError(registry, "ContentRegistryWrongPayment")
        .withArgs(ONE - 1n, ONE);
      await registry.connect(artist).setOfferActive(trackId, 0n, false);
      await expect(registry.connect(fan).purchaseLicense(trackId, 0n, CORE, { value: ONE }))
        .to.be.revertedWithCustomError(registry, "ContentRegistryOfferInactive")
        .withArgs(trackId, 0n);
      await expect(registry.connect(fan).purchaseLicense(trackId, 9n, CORE, { value: ONE }))
        .to.be.revertedWithCustomError(registry, "ContentRegistryUnknownOffer")
        .withArgs(trackId, 9n);
      await expect(registry.connect(fan).purchaseLicense(42n, 0n, CORE, { value: ONE }))
        .to.be.revertedWithCustomError(registry, "ContentRegistryUnknownTrack")
        .withArgs(42n);
      await registry.connect(artist).setOfferActive(trackId, 0n, true);
      await registry.connect(asTimelock).flagTrack(trackId, "ownership dispute");
      await expect(registry.connect(fan).purchaseLicense(trackId, 0n, CORE, { value: ONE }))
        .to.be.revertedWithCustomError(registry, "ContentRegistryTrackFrozen")
        .withArgs(trackId, FLAGGED);
    });

    it("sells free licences without moving CORE", async () => {
      const { registry, fan, artist, collaborator } = await loadFixture(deployProtocol);
      await registry
        .connect(artist)
        .registerTrack(trackInput(artist.address, collaborator.address, { offers: [offer()] }));
      const trackId = await registry.trackIdOf(ISRC);
      await expect(registry.connect(fan).purchaseLicense(trackId, 0n, fan.address))
        .to.emit(registry, "LicensePurchased")
        .withArgs(trackId, 0n, fan.address, trackId << 32n, CORE, 0n, 0n, fan.address, 0n, 0n, false);
      expect(await registry.creditOf(artist.address, CORE)).to.equal(0n);
      expect(await registry.creditOf(fan.address, CORE)).to.equal(0n);
    });
  });

  describe("stablecoin licences and referrers", () => {
    async function withUsdcOffer() {
      const f = await withTrack();
      const usdc = await f.stablecoin.getAddress();
      await f.registry.connect(f.artist).addOffer(f.trackId, offer({ token: usdc, price: 4_990_000n, supplyCap: 10 }));
      await f.stablecoin.mint(f.fan.address, 100_000_000n);
      return { ...f, usdc };
    }

    it("sells a licence priced in the allow-listed stablecoin, with fees and splits in USDC", async () => {
      const { registry, stablecoin, fan, artist, collaborator, trackId, usdc } = await loadFixture(withUsdcOffer);
      const price = 4_990_000n;
      await stablecoin.connect(fan).approve(await registry.getAddress(), price);
      const fee = (price * 500n) / 10_000n;
      const share = ((price - fee) * 3_000n) / 10_000n;
      await expect(registry.connect(fan).purchaseLicense(trackId, 2n, CORE))
        .to.emit(registry, "LicensePurchased")
        .withArgs(trackId, 2n, fan.address, (trackId << 32n) | 2n, usdc, price, fee, CORE, 0n, 0n, false);
      expect(await stablecoin.balanceOf(await registry.getAddress())).to.equal(price);
      expect(await registry.creditOf(collaborator.address, usdc)).to.equal(share);
      expect(await registry.creditOf(artist.address, usdc)).to.equal(price - fee - share);
      expect(await registry.creditOf(artist.address, CORE)).to.equal(0n);
      expect(await registry.owedFees(usdc)).to.equal(fee);
      await expect(registry.connect(collaborator).withdraw(usdc)).to.changeTokenBalance(
        ethers,
        stablecoin,
        collaborator,
        share,
      );
      await expect(registry.sweepFees(usdc))
        .to.emit(registry, "FeesSwept")
        .withArgs(await registry.governance(), usdc, fee);
      expect(await stablecoin.balanceOf(await registry.getAddress())).to.equal(price - fee - share);
    });

    it("refuses CORE with a token offer, a missing approval, and tokens off the allow-list", async () => {
      const { registry, stablecoin, fan, artist, asTimelock, tipping, trackId, usdc } =
        await loadFixture(withUsdcOffer);
      await expect(registry.connect(fan).purchaseLicense(trackId, 2n, CORE, { value: 1n }))
        .to.be.revertedWithCustomError(registry, "ContentRegistryWrongPayment")
        .withArgs(1n, 0n);
      await expect(registry.connect(fan).purchaseLicense(trackId, 2n, CORE)).to.be.revertedWithCustomError(
        stablecoin,
        "ERC20InsufficientAllowance",
      );
      const stranger = await ethers.deployContract("TestStablecoin");
      const strangerAddress = await stranger.getAddress();
      await expect(registry.connect(artist).addOffer(trackId, offer({ token: strangerAddress, price: 1n })))
        .to.be.revertedWithCustomError(registry, "ContentRegistryTokenNotAllowed")
        .withArgs(strangerAddress);
      // An offer outlives its token's removal from the allow-list; its sales stop.
      await tipping.connect(asTimelock).removeToken(usdc);
      await stablecoin.connect(fan).approve(await registry.getAddress(), 4_990_000n);
      await expect(registry.connect(fan).purchaseLicense(trackId, 2n, CORE))
        .to.be.revertedWithCustomError(registry, "ContentRegistryTokenNotAllowed")
        .withArgs(usdc);
    });

    it("refuses a fee-on-transfer token even if allow-listed: no credit is ever unbacked", async () => {
      const { registry, tipping, asTimelock, artist, fan, trackId } = await loadFixture(withTrack);
      const taxed = await ethers.deployContract("FeeOnTransferToken");
      const taxedAddress = await taxed.getAddress();
      await tipping.connect(asTimelock).allowToken(taxedAddress, 1n);
      await registry.connect(artist).addOffer(trackId, offer({ token: taxedAddress, price: 1_000n }));
      await taxed.mint(fan.address, 1_000n);
      await taxed.connect(fan).approve(await registry.getAddress(), 1_000n);
      await expect(registry.connect(fan).purchaseLicense(trackId, 2n, CORE))
        .to.be.revertedWithCustomError(registry, "ContentRegistryTokenShortfall")
        .withArgs(taxedAddress, 1_000n, 990n);
    });

    it("gives a referrer the protocol's share of the fee; the collaborators' part does not change", async () => {
      const { registry, tipping, fan, other, artist, collaborator, asTimelock, trackId } = await loadFixture(withTrack);
      const fee = ONE / 20n;
      const referral = (fee * 2_000n) / 10_000n; // referrerShareBps from the tipping contract
      await expect(registry.connect(fan).purchaseLicense(trackId, 0n, other.address, { value: ONE }))
        .to.emit(registry, "LicensePurchased")
        .withArgs(trackId, 0n, fan.address, trackId << 32n, CORE, ONE, fee, other.address, referral, 0n, false);
      expect(await registry.creditOf(other.address, CORE)).to.equal(referral);
      expect(await registry.owedFees(CORE)).to.equal(fee - referral);
      const rest = ONE - fee;
      expect(await registry.creditOf(collaborator.address, CORE)).to.equal((rest * 3_000n) / 10_000n);
      expect(await registry.creditOf(artist.address, CORE)).to.equal(rest - (rest * 3_000n) / 10_000n);
      // One governance knob for tips and licences.
      await tipping.connect(asTimelock).setReferrerShare(5_000);
      await registry.connect(collaborator).purchaseLicense(trackId, 0n, other.address, { value: ONE });
      expect(await registry.creditOf(other.address, CORE)).to.equal(referral + fee / 2n);
    });
  });

  describe("access, transfers and royalties", () => {
    it("grants access to the artist, collaborators, licence holders, and everyone on open tracks", async () => {
      const { registry, artist, collaborator, fan, other, trackId } = await loadFixture(withTrack);
      expect(await registry.hasAccess(artist.address, trackId)).to.equal(true);
      expect(await registry.hasAccess(collaborator.address, trackId)).to.equal(true);
      expect(await registry.hasAccess(fan.address, trackId)).to.equal(false);
      expect(await registry.hasAccess(fan.address, 123n)).to.equal(false);
      expect(await registry.isRightsHolder(collaborator.address, trackId)).to.equal(true);
      expect(await registry.isRightsHolder(artist.address, trackId)).to.equal(true);
      expect(await registry.isRightsHolder(fan.address, trackId)).to.equal(false);
      expect(await registry.isRightsHolder(artist.address, 123n)).to.equal(false);
      expect(await registry.isExclusive(trackId)).to.equal(true);
      await registry
        .connect(artist)
        .registerTrack(trackInput(artist.address, collaborator.address, { isrc: ISRC_2, exclusive: false }));
      expect(await registry.hasAccess(other.address, await registry.trackIdOf(ISRC_2))).to.equal(true);
      expect(await registry.isExclusive(await registry.trackIdOf(ISRC_2))).to.equal(false);
    });

    it("moves a perpetual licence's access with the token but keeps timed licences personal", async () => {
      const { registry, fan, other, trackId } = await loadFixture(withTrack);
      await registry.connect(fan).purchaseLicense(trackId, 0n, CORE, { value: ONE });
      await registry.connect(fan).purchaseLicense(trackId, 1n, CORE, { value: ONE / 10n });
      await registry.connect(fan).safeTransferFrom(fan.address, other.address, trackId << 32n, 1n, "0x");
      expect(await registry.hasAccess(other.address, trackId)).to.equal(true);
      expect(await registry.licenseOf(other.address, trackId)).to.deep.equal([1n, 0n]);
      expect((await registry.licenseOf(fan.address, trackId))[0]).to.equal(0n);
      const timed = (trackId << 32n) | 1n;
      await expect(registry.connect(fan).safeTransferFrom(fan.address, other.address, timed, 1n, "0x"))
        .to.be.revertedWithCustomError(registry, "ContentRegistryLicenseNotTransferable")
        .withArgs(timed);
      await registry.connect(other).safeBatchTransferFrom(other.address, fan.address, [trackId << 32n], [1n], "0x");
      expect(await registry.licenseOf(fan.address, trackId)).to.deep.equal([
        1n,
        (await registry.licenseOf(fan.address, trackId))[1],
      ]);
    });

    it("names the track's own royalty address and credits what it collects to the splits", async () => {
      const { registry, stablecoin, fan, artist, collaborator, trackId } = await loadFixture(withTrack);
      const vault = await registry.royaltyAddressOf(trackId);
      expect(await registry.royaltyInfo(trackId << 32n, ONE)).to.deep.equal([vault, ONE / 20n]);
      expect(await registry.royaltyInfo(123n << 32n, ONE)).to.deep.equal([ethers.ZeroAddress, 0n]);
      expect(vault).to.not.equal(await registry.royaltyAddressOf(trackId + 1n));
      await expect(registry.collectRoyalties(trackId, CORE))
        .to.be.revertedWithCustomError(registry, "ContentRegistryNoRoyalties")
        .withArgs(trackId, CORE);
      // A marketplace pays royalties before the vault exists, and again after.
      await fan.sendTransaction({ to: vault, value: 1_000n });
      await expect(registry.connect(fan).collectRoyalties(trackId, CORE))
        .to.emit(registry, "RoyaltiesCollected")
        .withArgs(trackId, CORE, 1_000n);
      expect(await registry.creditOf(collaborator.address, CORE)).to.equal(300n);
      expect(await registry.creditOf(artist.address, CORE)).to.equal(700n);
      await fan.sendTransaction({ to: vault, value: 10n });
      await stablecoin.mint(vault, 2_000n);
      await registry.collectRoyalties(trackId, CORE);
      await registry.collectRoyalties(trackId, await stablecoin.getAddress());
      expect(await registry.creditOf(collaborator.address, CORE)).to.equal(303n);
      expect(await registry.creditOf(collaborator.address, await stablecoin.getAddress())).to.equal(600n);
      expect(await ethers.provider.getBalance(vault)).to.equal(0n);
      expect(await ethers.provider.getBalance(await registry.getAddress())).to.equal(1_010n);
      // Only the registry sweeps the vault; nobody sends the registry stray CORE.
      const asVault = await ethers.getContractAt("RoyaltyVault", vault);
      await expect(asVault.connect(fan).sweep(CORE))
        .to.be.revertedWithCustomError(asVault, "RoyaltyVaultUnauthorized")
        .withArgs(fan.address);
      await expect(fan.sendTransaction({ to: await registry.getAddress(), value: 1n })).to.be.revertedWithCustomError(
        registry,
        "ContentRegistryWrongPayment",
      );
      const stranger = await ethers.deployContract("TestStablecoin");
      await expect(registry.collectRoyalties(trackId, await stranger.getAddress())).to.be.revertedWithCustomError(
        registry,
        "ContentRegistryTokenNotAllowed",
      );
    });

    it("supports the EIP-2981 and ERC-1155 interfaces", async () => {
      const { registry } = await loadFixture(withTrack);
      expect(await registry.supportsInterface("0x2a55205a")).to.equal(true); // IERC2981
      expect(await registry.supportsInterface("0xd9b67a26")).to.equal(true); // IERC1155
      expect(await registry.supportsInterface("0xffffffff")).to.equal(false);
    });
  });

  describe("earnings and governance", () => {
    it("lets collaborators withdraw, to themselves or elsewhere", async () => {
      const { registry, fan, artist, collaborator, other, trackId } = await loadFixture(withTrack);
      await registry.connect(fan).purchaseLicense(trackId, 0n, CORE, { value: ONE });
      const credit = await registry.creditOf(collaborator.address, CORE);
      const tx = registry.connect(collaborator).withdraw(CORE);
      await expect(tx)
        .to.emit(registry, "EarningsWithdrawn")
        .withArgs(collaborator.address, collaborator.address, CORE, credit);
      await expect(tx).to.changeEtherBalance(ethers, collaborator, credit);
      await expect(registry.connect(collaborator).withdraw(CORE))
        .to.be.revertedWithCustomError(registry, "ContentRegistryNothingToWithdraw")
        .withArgs(collaborator.address, CORE);
      const artistCredit = await registry.creditOf(artist.address, CORE);
      await expect(registry.connect(artist).withdrawTo(CORE, other.address)).to.changeEtherBalance(
        ethers,
        other,
        artistCredit,
      );
      await expect(registry.connect(artist).withdrawTo(CORE, ethers.ZeroAddress)).to.be.revertedWithCustomError(
        registry,
        "ContentRegistryZeroAddress",
      );
    });

    it("reverts with TransferFailed when the recipient refuses CORE", async () => {
      const { registry, fan, artist, trackId } = await loadFixture(withTrack);
      await registry.connect(fan).purchaseLicense(trackId, 0n, CORE, { value: ONE });
      const rejector = await ethers.deployContract("RejectingReceiver");
      await expect(
        registry.connect(artist).withdrawTo(CORE, await rejector.getAddress()),
      ).to.be.revertedWithCustomError(registry, "ContentRegistryTransferFailed");
    });

    it("sweeps fees to the treasury once and lets only the timelock set the fee", async () => {
      const { registry, fan, asTimelock, timelock, trackId } = await loadFixture(withTrack);
      await expect(registry.sweepFees(CORE))
        .to.be.revertedWithCustomError(registry, "ContentRegistryNoFees")
        .withArgs(CORE);
      await registry.connect(fan).purchaseLicense(trackId, 0n, CORE, { value: ONE });
      const fee = ONE / 20n;
      await expect(registry.sweepFees(CORE))
        .to.emit(registry, "FeesSwept")
        .withArgs(await timelock.getAddress(), CORE, fee);
      await expect(registry.sweepFees(CORE)).to.be.revertedWithCustomError(registry, "ContentRegistryNoFees");
      await expect(registry.connect(asTimelock).setFee(100)).to.emit(registry, "FeeUpdated").withArgs(500n, 100n);
      expect(await registry.feeBps()).to.equal(100n);
      await expect(registry.connect(asTimelock).setFee(1_001))
        .to.be.revertedWithCustomError(registry, "ContentRegistryFeeAboveCap")
        .withArgs(1_001n, 1_000n);
      const factory = await ethers.getContractFactory("ContentRegistry");
      const timelockAddress = await timelock.getAddress();
      await expect(
        factory.deploy(timelockAddress, timelockAddress, timelockAddress, 1_001),
      ).to.be.revertedWithCustomError(registry, "ContentRegistryFeeAboveCap");
      await expect(
        factory.deploy(timelockAddress, timelockAddress, ethers.ZeroAddress, 0),
      ).to.be.revertedWithCustomError(registry, "GovernedZeroAddress");
    });

    it("a pause stops every change to tracks, offers, sales and licences; withdrawals and sweeps stay open", async () => {
      const { registry, fan, other, artist, collaborator, asTimelock, trackId } = await loadFixture(withTrack);
      await registry.connect(fan).purchaseLicense(trackId, 0n, CORE, { value: ONE });
      await fan.sendTransaction({ to: await registry.royaltyAddressOf(trackId), value: 100n });
      await expect(registry.connect(asTimelock).pause()).to.emit(registry, "Paused");
      const stopped = [
        () => registry.connect(fan).purchaseLicense(trackId, 0n, CORE, { value: ONE }),
        () =>
          registry.connect(artist).registerTrack(trackInput(artist.address, collaborator.address, { isrc: ISRC_2 })),
        () => registry.connect(artist).registerTrackWithApproval(trackInput(artist.address, artist.address), 0n, "0x"),
        () => registry.connect(artist).updateMetadata(trackId, "bafynew"),
        () => registry.connect(artist).addOffer(trackId, offer()),
        () => registry.connect(artist).setOfferPrice(trackId, 0n, 1n),
        () => registry.connect(artist).setOfferActive(trackId, 0n, false),
        () => registry.connect(artist).offerTrackTransfer(trackId, other.address),
        () => registry.connect(other).acceptTrackTransfer(trackId),
        () => registry.connect(fan).safeTransferFrom(fan.address, other.address, trackId << 32n, 1n, "0x"),
        () => registry.collectRoyalties(trackId, CORE),
      ];
      for (const call of stopped) {
        await expect(call()).to.be.revertedWithCustomError(registry, "EnforcedPause");
      }
      await expect(registry.connect(collaborator).withdraw(CORE)).to.emit(registry, "EarningsWithdrawn");
      await expect(registry.sweepFees(CORE)).to.emit(registry, "FeesSwept");
      await expect(registry.connect(asTimelock).flagTrack(trackId, "during the pause")).to.emit(
        registry,
        "TrackFlagged",
      );
      await registry.connect(asTimelock).unflagTrack(trackId);
      await expect(registry.connect(asTimelock).unpause()).to.emit(registry, "Unpaused");
      await expect(registry.connect(fan).purchaseLicense(trackId, 0n, CORE, { value: ONE })).to.emit(
        registry,
        "LicensePurchased",
      );
    });
  });
});
