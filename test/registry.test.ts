import { expect } from "chai";
import { deployProtocol, ethers, ISRC, ISRC_2, networkHelpers, trackInput } from "./fixtures.ts";

const { loadFixture, time } = networkHelpers;
const ONE = ethers.parseEther("1");
const MONTH = 30n * 24n * 3600n;

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
        .withArgs(trackId, artist.address, ISRC, input.metadataCid, true, 500, [
          [artist.address, 7_000n],
          [collaborator.address, 3_000n],
        ]);
      await expect(tx)
        .to.emit(registry, "LicenseOfferCreated")
        .withArgs(trackId, 0n, trackId << 32n, ONE, 0n, 0n, true, false);
      await expect(tx)
        .to.emit(registry, "LicenseOfferCreated")
        .withArgs(trackId, 1n, (trackId << 32n) | 1n, ONE / 10n, 3n, MONTH, false, false);
      expect(await registry.exists(trackId)).to.equal(true);
      expect(await registry.trackOf(trackId)).to.deep.equal([
        artist.address,
        ISRC,
        input.metadataCid,
        true,
        false,
        500n,
        2n,
      ]);
      expect(await registry.splitsOf(trackId)).to.deep.equal([
        [artist.address, 7_000n],
        [collaborator.address, 3_000n],
      ]);
      expect(await registry.offerOf(trackId, 1n)).to.deep.equal([ONE / 10n, 3n, MONTH, false, false, true, 0n]);
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
      const terms = { price: 5n, supplyCap: 1, duration: 0, commercialUse: false, derivativesAllowed: true };
      await expect(registry.connect(artist).addOffer(trackId, terms))
        .to.emit(registry, "LicenseOfferCreated")
        .withArgs(trackId, 2n, (trackId << 32n) | 2n, 5n, 1n, 0n, false, true);
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
        () =>
          registry.connect(fan).addOffer(trackId, {
            price: 1n,
            supplyCap: 0,
            duration: 0,
            commercialUse: false,
            derivativesAllowed: false,
          }),
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
      const tx = registry.connect(fan).purchaseLicense(trackId, 0n, { value: ONE });
      await expect(tx)
        .to.emit(registry, "LicensePurchased")
        .withArgs(trackId, 0n, fan.address, trackId << 32n, ONE, fee, 0n);
      await expect(tx)
        .to.emit(registry, "RevenueCredited")
        .withArgs(trackId, collaborator.address, (rest * 3_000n) / 10_000n);
      await expect(tx)
        .to.emit(registry, "RevenueCredited")
        .withArgs(trackId, artist.address, rest - (rest * 3_000n) / 10_000n);
      await expect(tx).to.emit(registry, "TransferSingle");
      expect(await registry.balanceOf(fan.address, trackId << 32n)).to.equal(1n);
      expect(await registry.creditOf(collaborator.address)).to.equal((rest * 3_000n) / 10_000n);
      expect(await registry.owedFees()).to.equal(fee);
      expect(await registry.hasAccess(fan.address, trackId)).to.equal(true);
    });

    it("rounds split dust to the first collaborator so every wei is accounted for", async () => {
      const { registry, fan, artist, collaborator } = await loadFixture(deployProtocol);
      const offers = [{ price: 1_001n, supplyCap: 0, duration: 0, commercialUse: false, derivativesAllowed: false }];
      const splits = [
        { recipient: artist.address, bps: 3_333 },
        { recipient: collaborator.address, bps: 6_667 },
      ];
      await registry
        .connect(artist)
        .registerTrack(trackInput(artist.address, collaborator.address, { offers, splits }));
      await registry.connect(fan).purchaseLicense(await registry.trackIdOf(ISRC), 0n, { value: 1_001n });
      const credited = (await registry.creditOf(artist.address)) + (await registry.creditOf(collaborator.address));
      expect(credited + (await registry.owedFees())).to.equal(1_001n);
      expect(await ethers.provider.getBalance(await registry.getAddress())).to.equal(1_001n);
    });

    it("records expiry for timed licences, extends on renewal, and ends access after it", async () => {
      const { registry, fan, trackId } = await loadFixture(withTrack);
      const tokenId = (trackId << 32n) | 1n;
      await registry.connect(fan).purchaseLicense(trackId, 1n, { value: ONE / 10n });
      const firstExpiry = await registry.licenseExpiry(fan.address, tokenId);
      expect(firstExpiry).to.equal(BigInt(await time.latest()) + MONTH);
      await registry.connect(fan).purchaseLicense(trackId, 1n, { value: ONE / 10n });
      expect(await registry.licenseExpiry(fan.address, tokenId)).to.equal(firstExpiry + MONTH);
      await time.increaseTo(firstExpiry + MONTH - 1n);
      expect(await registry.hasAccess(fan.address, trackId)).to.equal(true);
      await time.increaseTo(firstExpiry + MONTH + 1n);
      expect(await registry.hasAccess(fan.address, trackId)).to.equal(false);
      // Renewing after expiry starts from the purchase, not from the old expiry.
      await registry.connect(fan).purchaseLicense(trackId, 1n, { value: ONE / 10n });
      expect(await registry.licenseExpiry(fan.address, tokenId)).to.equal(BigInt(await time.latest()) + MONTH);
      expect(await registry.hasAccess(fan.address, trackId)).to.equal(true);
    });

    it("rejects wrong payment, exhausted supply, inactive and unknown offers, unknown and flagged tracks", async () => {
      const { registry, fan, other, artist, asTimelock, trackId } = await loadFixture(withTrack);
      await expect(registry.connect(fan).purchaseLicense(trackId, 0n, { value: ONE - 1n }))
        .to.be.revertedWithCustomError(registry, "ContentRegistryWrongPayment")
        .withArgs(ONE - 1n, ONE);
      await registry.connect(fan).purchaseLicense(trackId, 1n, { value: ONE / 10n });
      await registry.connect(other).purchaseLicense(trackId, 1n, { value: ONE / 10n });
      await registry.connect(other).purchaseLicense(trackId, 1n, { value: ONE / 10n });
      await expect(registry.connect(fan).purchaseLicense(trackId, 1n, { value: ONE / 10n }))
        .to.be.revertedWithCustomError(registry, "ContentRegistrySupplyExhausted")
        .withArgs(trackId, 1n);
      await registry.connect(artist).setOfferActive(trackId, 0n, false);
      await expect(registry.connect(fan).purchaseLicense(trackId, 0n, { value: ONE }))
        .to.be.revertedWithCustomError(registry, "ContentRegistryOfferInactive")
        .withArgs(trackId, 0n);
      await expect(registry.connect(fan).purchaseLicense(trackId, 9n, { value: ONE }))
        .to.be.revertedWithCustomError(registry, "ContentRegistryUnknownOffer")
        .withArgs(trackId, 9n);
      await expect(registry.connect(fan).purchaseLicense(42n, 0n, { value: ONE }))
        .to.be.revertedWithCustomError(registry, "ContentRegistryUnknownTrack")
        .withArgs(42n);
      await expect(registry.connect(asTimelock).flagTrack(trackId, "ownership dispute"))
        .to.emit(registry, "TrackFlagged")
        .withArgs(trackId, "ownership dispute");
      expect((await registry.trackOf(trackId)).flagged).to.equal(true);
      await registry.connect(artist).setOfferActive(trackId, 0n, true);
      await expect(registry.connect(fan).purchaseLicense(trackId, 0n, { value: ONE }))
        .to.be.revertedWithCustomError(registry, "ContentRegistryTrackFlagged")
        .withArgs(trackId);
      await expect(registry.connect(asTimelock).unflagTrack(trackId))
        .to.emit(registry, "TrackUnflagged")
        .withArgs(trackId);
      await expect(registry.connect(fan).purchaseLicense(trackId, 0n, { value: ONE })).to.emit(
        registry,
        "LicensePurchased",
      );
      await expect(registry.connect(asTimelock).flagTrack(1n, "x")).to.be.revertedWithCustomError(
        registry,
        "ContentRegistryUnknownTrack",
      );
      await expect(registry.connect(asTimelock).unflagTrack(1n)).to.be.revertedWithCustomError(
        registry,
        "ContentRegistryUnknownTrack",
      );
    });

    it("sells free licences without moving CORE", async () => {
      const { registry, fan, artist, collaborator } = await loadFixture(deployProtocol);
      const offers = [{ price: 0n, supplyCap: 0, duration: 0, commercialUse: false, derivativesAllowed: false }];
      await registry.connect(artist).registerTrack(trackInput(artist.address, collaborator.address, { offers }));
      const trackId = await registry.trackIdOf(ISRC);
      await expect(registry.connect(fan).purchaseLicense(trackId, 0n))
        .to.emit(registry, "LicensePurchased")
        .withArgs(trackId, 0n, fan.address, trackId << 32n, 0n, 0n, 0n);
      expect(await registry.creditOf(artist.address)).to.equal(0n);
    });
  });

  describe("access, transfers and royalties", () => {
    it("grants access to collaborators, licence holders, and everyone on open tracks", async () => {
      const { registry, artist, collaborator, fan, other, trackId } = await loadFixture(withTrack);
      expect(await registry.hasAccess(artist.address, trackId)).to.equal(true);
      expect(await registry.hasAccess(collaborator.address, trackId)).to.equal(true);
      expect(await registry.hasAccess(fan.address, trackId)).to.equal(false);
      expect(await registry.hasAccess(fan.address, 123n)).to.equal(false);
      await registry
        .connect(artist)
        .registerTrack(trackInput(artist.address, collaborator.address, { isrc: ISRC_2, exclusive: false }));
      expect(await registry.hasAccess(other.address, await registry.trackIdOf(ISRC_2))).to.equal(true);
    });

    it("lets perpetual licences be resold but keeps timed licences personal", async () => {
      const { registry, fan, other, trackId } = await loadFixture(withTrack);
      await registry.connect(fan).purchaseLicense(trackId, 0n, { value: ONE });
      await registry.connect(fan).purchaseLicense(trackId, 1n, { value: ONE / 10n });
      await registry.connect(fan).safeTransferFrom(fan.address, other.address, trackId << 32n, 1n, "0x");
      expect(await registry.hasAccess(other.address, trackId)).to.equal(true);
      const timed = (trackId << 32n) | 1n;
      await expect(registry.connect(fan).safeTransferFrom(fan.address, other.address, timed, 1n, "0x"))
        .to.be.revertedWithCustomError(registry, "ContentRegistryLicenseNotTransferable")
        .withArgs(timed);
    });

    it("reports EIP-2981 royalties to the artist and supports the interfaces", async () => {
      const { registry, artist, trackId } = await loadFixture(withTrack);
      expect(await registry.royaltyInfo(trackId << 32n, ONE)).to.deep.equal([artist.address, ONE / 20n]);
      expect(await registry.supportsInterface("0x2a55205a")).to.equal(true); // IERC2981
      expect(await registry.supportsInterface("0xd9b67a26")).to.equal(true); // IERC1155
      expect(await registry.supportsInterface("0xffffffff")).to.equal(false);
    });
  });

  describe("earnings and governance", () => {
    it("lets collaborators withdraw, to themselves or elsewhere", async () => {
      const { registry, fan, artist, collaborator, other, trackId } = await loadFixture(withTrack);
      await registry.connect(fan).purchaseLicense(trackId, 0n, { value: ONE });
      const credit = await registry.creditOf(collaborator.address);
      const tx = registry.connect(collaborator).withdraw();
      await expect(tx)
        .to.emit(registry, "EarningsWithdrawn")
        .withArgs(collaborator.address, collaborator.address, credit);
      await expect(tx).to.changeEtherBalance(ethers, collaborator, credit);
      await expect(registry.connect(collaborator).withdraw())
        .to.be.revertedWithCustomError(registry, "ContentRegistryNothingToWithdraw")
        .withArgs(collaborator.address);
      const artistCredit = await registry.creditOf(artist.address);
      await expect(registry.connect(artist).withdrawTo(other.address)).to.changeEtherBalance(
        ethers,
        other,
        artistCredit,
      );
      await expect(registry.connect(artist).withdrawTo(ethers.ZeroAddress)).to.be.revertedWithCustomError(
        registry,
        "ContentRegistryZeroAddress",
      );
    });

    it("reverts with TransferFailed when the recipient refuses CORE", async () => {
      const { registry, fan, artist, trackId } = await loadFixture(withTrack);
      await registry.connect(fan).purchaseLicense(trackId, 0n, { value: ONE });
      const rejector = await ethers.deployContract("RejectingReceiver");
      await expect(registry.connect(artist).withdrawTo(await rejector.getAddress())).to.be.revertedWithCustomError(
        registry,
        "ContentRegistryTransferFailed",
      );
    });

    it("sweeps fees to the treasury and lets only the timelock set the fee", async () => {
      const { registry, fan, asTimelock, timelock, trackId } = await loadFixture(withTrack);
      await expect(registry.sweepFees()).to.be.revertedWithCustomError(registry, "ContentRegistryNoFees");
      await registry.connect(fan).purchaseLicense(trackId, 0n, { value: ONE });
      const fee = ONE / 20n;
      await expect(registry.sweepFees())
        .to.emit(registry, "FeesSwept")
        .withArgs(await timelock.getAddress(), fee);
      await expect(registry.connect(asTimelock).setFee(100)).to.emit(registry, "FeeUpdated").withArgs(500n, 100n);
      expect(await registry.feeBps()).to.equal(100n);
      await expect(registry.connect(asTimelock).setFee(1_001))
        .to.be.revertedWithCustomError(registry, "ContentRegistryFeeAboveCap")
        .withArgs(1_001n, 1_000n);
      const factory = await ethers.getContractFactory("ContentRegistry");
      await expect(
        factory.deploy(await timelock.getAddress(), await timelock.getAddress(), await timelock.getAddress(), 1_001),
      ).to.be.revertedWithCustomError(registry, "ContentRegistryFeeAboveCap");
    });

    it("blocks registration and purchases while paused", async () => {
      const { registry, fan, artist, collaborator, asTimelock, trackId } = await loadFixture(withTrack);
      await expect(registry.connect(asTimelock).pause()).to.emit(registry, "Paused");
      await expect(registry.connect(fan).purchaseLicense(trackId, 0n, { value: ONE })).to.be.revertedWithCustomError(
        registry,
        "EnforcedPause",
      );
      await expect(
        registry.connect(artist).registerTrack(trackInput(artist.address, collaborator.address, { isrc: ISRC_2 })),
      ).to.be.revertedWithCustomError(registry, "EnforcedPause");
      await expect(registry.connect(asTimelock).unpause()).to.emit(registry, "Unpaused");
      await expect(registry.connect(fan).purchaseLicense(trackId, 0n, { value: ONE })).to.emit(
        registry,
        "LicensePurchased",
      );
    });
  });
});
