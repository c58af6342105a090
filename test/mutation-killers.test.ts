import { expect } from "chai";
import type { Interface } from "ethers";
import { deployProtocol, ethers, ISRC, networkHelpers, offer, trackInput } from "./fixtures.ts";

// Tests written for mutants that survived `npm run mutate` (mutation/README.md): each names the
// behaviour the rest of the suite did not pin down.

const { loadFixture, time } = networkHelpers;
const ONE = ethers.parseEther("1");
const CORE = ethers.ZeroAddress;
const NO_REFERRER = ethers.ZeroAddress;

describe("Mutation killers", () => {
  describe("HarmonieTipping: every entry point that moves funds refuses re-entry", () => {
    /** An allow-listed token whose next transfer calls tipping with `call`, and the artist's credit in it. */
    async function withHookToken() {
      const context = await loadFixture(deployProtocol);
      const { tipping, asTimelock, artist, fan } = context;
      const token = await ethers.deployContract("ReentrantToken", [await tipping.getAddress()]);
      await tipping.connect(asTimelock).allowToken(token, 1n);
      await token.mint(fan.address, 10n * ONE);
      await token.connect(fan).approve(tipping, 10n * ONE);
      await tipping.connect(fan).tipToken(token, artist.address, 0n, ONE, "", NO_REFERRER);
      const guard = tipping.interface.getError("ReentrancyGuardReentrantCall")!.selector;
      return { ...context, token, guard };
    }

    // Called by the token from inside the artist's withdrawal. Without its guard, each of these would
    // run (and revert for another reason, or succeed: sweepFees would pay the fee just booked).
    const reentries: Array<[string, (token: string, key: string, deadline: bigint) => unknown[]]> = [
      ["tipToken", (token, key) => [token, key, 0n, 1n, "", NO_REFERRER]],
      ["openTab", (token, key, deadline) => [key, token, 1n, deadline, NO_REFERRER]],
      ["topUpTab", (_token, key) => [key, 1n]],
      ["closeTab", (_token, key) => [key]],
      ["withdrawTo", (token, key) => [token, key]],
      ["withdrawFor", (token, key, deadline) => [key, token, key, 1_000n, deadline, "0x"]],
      ["sweepFees", (token) => [token]],
    ];
    for (const [name, args] of reentries) {
      it(`${name} from a token callback during a withdrawal`, async () => {
        const { tipping, token, guard, artist } = await withHookToken();
        const key = ethers.Wallet.createRandom().address;
        const deadline = BigInt(await time.latest()) + 3600n;
        const contract: Interface = tipping.interface; // any function by name
        const data = contract.encodeFunctionData(name, args(await token.getAddress(), key, deadline));
        await token.arm(data);
        await tipping.connect(artist).withdraw(token);
        expect(await token.reentries()).to.equal(1n);
        expect(await token.reentryError()).to.equal(guard);
        // The fee stays owed to the treasury.
        expect(await tipping.owedFees(token)).to.equal((ONE * 250n) / 10_000n);
      });
    }

    it("withdraw from a token callback during a tab's refund", async () => {
      const { tipping, token, guard, fan } = await withHookToken();
      const key = ethers.Wallet.createRandom().address;
      await tipping.connect(fan).openTab(key, token, ONE, (await time.latest()) + 3600, NO_REFERRER);
      await token.arm(tipping.interface.encodeFunctionData("withdraw", [CORE]));
      await tipping.connect(fan).closeTab(key);
      expect(await token.reentryError()).to.equal(guard);
    });
  });
  describe("HarmonieTipping: boundaries", () => {
    it("deploys with the fee at its 10% cap and the referrer share at the whole fee", async () => {
      const { timelock } = await loadFixture(deployProtocol);
      const factory = await ethers.getContractFactory("HarmonieTipping");
      const tipping = await factory.deploy(await timelock.getAddress(), 1n, 1_000, 60, 10_000, [], []);
      expect(await tipping.fees()).to.deep.equal([1_000n, 0n, 0n, 10_000n, 60n]);
    });

    it("a tab takes top-ups until the second before its expiry, not at it", async () => {
      const { tipping, fan } = await loadFixture(deployProtocol);
      const key = ethers.Wallet.createRandom().address;
      const expiresAt = BigInt(await time.latest()) + 100n;
      await tipping.connect(fan).openTab(key, CORE, ONE, expiresAt, NO_REFERRER, { value: ONE });
      await time.setNextBlockTimestamp(expiresAt - 1n);
      await expect(tipping.connect(fan).topUpTab(key, ONE, { value: ONE }))
        .to.emit(tipping, "TabToppedUp")
        .withArgs(fan.address, key, ONE, 2n * ONE);
      await time.setNextBlockTimestamp(expiresAt);
      await expect(tipping.connect(fan).topUpTab(key, ONE, { value: ONE }))
        .to.be.revertedWithCustomError(tipping, "HarmonieTippingTabExpired")
        .withArgs(key, expiresAt);
    });

    it("closing a referred tab forgets its referrer, so the key can open a fresh tab without one", async () => {
      const { tipping, fan, other } = await loadFixture(deployProtocol);
      const key = ethers.Wallet.createRandom().address;
      const expiresAt = BigInt(await time.latest()) + 3600n;
      await tipping.connect(fan).openTab(key, CORE, ONE, expiresAt, other.address, { value: ONE });
      await tipping.connect(fan).closeTab(key);
      expect(await tipping.tabOf(key)).to.deep.equal([ethers.ZeroAddress, CORE, 0n, 0n, NO_REFERRER]);
      await tipping.connect(fan).openTab(key, CORE, ONE, expiresAt, NO_REFERRER, { value: ONE });
      expect((await tipping.tabOf(key)).referrer).to.equal(NO_REFERRER);
    });
    it("setting the fee in force again is a cut, not a raise: at once, nothing pending", async () => {
      const { tipping, asTimelock } = await loadFixture(deployProtocol);
      const at = BigInt(await time.latest()) + 10n;
      await time.setNextBlockTimestamp(at);
      await expect(tipping.connect(asTimelock).setFee(250)).to.emit(tipping, "FeeUpdated").withArgs(250n, 250n, at);
      expect(await tipping.fees()).to.deep.equal([250n, 0n, 0n, 2_000n, 120n]);
    });

    it("from the second a raise takes effect, the schedule shows it in force and nothing pending", async () => {
      const { tipping, asTimelock } = await loadFixture(deployProtocol);
      const at = BigInt(await time.latest()) + 10n;
      await time.setNextBlockTimestamp(at);
      await tipping.connect(asTimelock).setFee(1_000);
      await time.setNextBlockTimestamp(at + 119n);
      await networkHelpers.mine();
      expect(await tipping.fees()).to.deep.equal([250n, 1_000n, at + 120n, 2_000n, 120n]);
      await time.setNextBlockTimestamp(at + 120n);
      await networkHelpers.mine();
      expect(await tipping.fees()).to.deep.equal([1_000n, 0n, 0n, 2_000n, 120n]);
    });
    it("a referred tab's tip to an artist without a split pays the referrer too (not the plain fast path)", async () => {
      const { tipping, artist, fan, other: app } = await loadFixture(deployProtocol);
      const key = ethers.Wallet.createRandom().connect(ethers.provider);
      const expiresAt = BigInt(await time.latest()) + 3600n;
      await tipping.connect(fan).openTab(key.address, CORE, ONE, expiresAt, app.address, { value: ONE + ONE / 10n });
      const fee = (ONE * 250n) / 10_000n;
      const referral = (fee * 2_000n) / 10_000n;
      await expect(tipping.connect(key).tipFromTab(artist.address, 0n, ONE, ""))
        .to.emit(tipping, "ReferralPaid")
        .withArgs(app.address, CORE, artist.address, referral, fee);
      expect(await tipping.earningsOf(artist.address, CORE)).to.deep.equal([ONE - fee, 0n]);
      expect(await tipping.earningsOf(app.address, CORE)).to.deep.equal([referral, 0n]);
      expect(await tipping.owedFees(CORE)).to.equal(fee - referral);
    });
    it("removing the last split restores the plain tip's gas (the split flag is cleared)", async () => {
      const { tipping, artist, fan, collaborator } = await loadFixture(deployProtocol);
      const tip = async () =>
        (await (await tipping.connect(fan).tip(artist.address, 0n, "", { value: ONE })).wait())!.gasUsed;
      await tip();
      const plain = await tip();
      await tipping.connect(artist).setSplit(0n, [{ recipient: collaborator.address, bps: 10_000 }]);
      await tipping.connect(artist).setSplit(0n, []);
      expect(await tip()).to.equal(plain);
    });
    it("a key closing its spent CORE tab with CORE attached refunds that CORE to the fan", async () => {
      const { tipping, artist, fan } = await loadFixture(deployProtocol);
      const key = ethers.Wallet.createRandom().connect(ethers.provider);
      const expiresAt = BigInt(await time.latest()) + 3600n;
      await tipping.connect(fan).openTab(key.address, CORE, ONE, expiresAt, NO_REFERRER, { value: ONE + ONE / 10n });
      await tipping.connect(key).tipFromTab(artist.address, 0n, ONE, "");
      const close = tipping.connect(key).closeTab(key.address, { value: 7n });
      await expect(close).to.emit(tipping, "TabClosed").withArgs(fan.address, key.address, CORE, 0n, 7n);
      await expect(close).to.changeEtherBalance(ethers, fan, 7n);
    });
  });

  describe("ContentRegistry: every entry point that moves funds refuses re-entry", () => {
    /** A licence sold in an allow-listed token whose next transfer calls the registry (as the token). */
    async function withHookTokenSale() {
      const context = await loadFixture(deployProtocol);
      const { registry, tipping, asTimelock, artist, collaborator, fan } = context;
      const token = await ethers.deployContract("ReentrantToken", [await registry.getAddress()]);
      await tipping.connect(asTimelock).allowToken(token, 1n);
      await registry.connect(artist).registerTrack(trackInput(artist.address, collaborator.address));
      const trackId = await registry.trackIdOf(ISRC);
      await registry.connect(artist).addOffer(trackId, offer({ token: await token.getAddress(), price: ONE }));
      await token.mint(fan.address, ONE);
      await token.connect(fan).approve(registry, ONE);
      await registry.connect(fan).purchaseLicense(trackId, 2n, NO_REFERRER);
      const guard = registry.interface.getError("ReentrancyGuardReentrantCall")!.selector;
      return { ...context, token, trackId, guard };
    }

    // Called by the token from inside a payout. Without its own guard, each would run and fail for
    // another reason (no royalties, nothing to withdraw, no fees, an unknown offer) or succeed.
    const reentries: Array<[string, string, (token: string, trackId: bigint, to: string) => unknown[]]> = [
      ["collectRoyalties", "withdraw", (token, trackId) => [trackId, token]],
      ["withdraw", "sweepFees", (token) => [token]],
      ["withdrawTo", "withdraw", (token, _trackId, to) => [token, to]],
      ["sweepFees", "withdraw", (token) => [token]],
      ["purchaseLicense", "withdraw", (_token, trackId) => [trackId, 2n, NO_REFERRER]],
    ];
    for (const [name, outer, args] of reentries) {
      it(`${name} from a token callback during ${outer}`, async () => {
        const { registry, token, trackId, guard, artist } = await withHookTokenSale();
        const fees = await registry.owedFees(token);
        const credit = await registry.creditOf(artist.address, token);
        const contract: Interface = registry.interface; // any function by name
        const data = contract.encodeFunctionData(name, args(await token.getAddress(), trackId, artist.address));
        await token.arm(data);
        if (outer === "withdraw") await registry.connect(artist).withdraw(token);
        else await registry.sweepFees(token);
        expect(await token.reentries()).to.equal(1n);
        expect(await token.reentryError()).to.equal(guard);
        // The other side of the books is untouched by the failed re-entry.
        if (outer === "withdraw") expect(await registry.owedFees(token)).to.equal(fees);
        else expect(await registry.creditOf(artist.address, token)).to.equal(credit);
      });
    }
  });

  describe("ContentRegistry: boundaries and bookkeeping", () => {
    async function withTrack() {
      const context = await loadFixture(deployProtocol);
      const { registry, artist, collaborator } = context;
      await registry.connect(artist).registerTrack(trackInput(artist.address, collaborator.address));
      return { ...context, trackId: await registry.trackIdOf(ISRC) };
    }

    it("takes a fee at its cap, in the constructor and from governance", async () => {
      const { registry, tipping, timelock, governor, asTimelock } = await withTrack();
      const cap = await registry.MAX_FEE_BPS();
      const fresh = await ethers.deployContract("ContentRegistry", [timelock, governor, tipping, cap]);
      expect(await fresh.feeBps()).to.equal(cap);
      await expect(registry.connect(asTimelock).setFee(cap)).to.emit(registry, "FeeUpdated");
    });

    it("registers a track whose royalty is exactly the cap", async () => {
      const { registry, artist, collaborator } = await loadFixture(deployProtocol);
      const royaltyBps = await registry.MAX_ROYALTY_BPS();
      const input = trackInput(artist.address, collaborator.address, { royaltyBps });
      await expect(registry.connect(artist).registerTrack(input)).to.emit(registry, "TrackRegistered");
    });

    it("an offer id equal to the offer count is unknown: to buyers and to the artist", async () => {
      const { registry, artist, fan, trackId } = await withTrack();
      const count = (await registry.trackOf(trackId)).offerCount;
      await expect(registry.connect(fan).purchaseLicense(trackId, count, NO_REFERRER, { value: ONE }))
        .to.be.revertedWithCustomError(registry, "ContentRegistryUnknownOffer")
        .withArgs(trackId, count);
      await expect(registry.connect(artist).setOfferActive(trackId, count, false))
        .to.be.revertedWithCustomError(registry, "ContentRegistryUnknownOffer")
        .withArgs(trackId, count);
    });

    it("a metadata update is what the track then reads", async () => {
      const { registry, artist, trackId } = await withTrack();
      const cid = "bafkreifjjcie6lypi6ny7amxnfftagclbuxndqonfipmb64f2km2devei4";
      await registry.connect(artist).updateMetadata(trackId, cid);
      expect((await registry.trackOf(trackId)).metadataCid).to.equal(cid);
    });

    it("revoking a track drops its pending hand-over", async () => {
      const { registry, artist, other, asTimelock, trackId } = await withTrack();
      await registry.connect(artist).offerTrackTransfer(trackId, other.address);
      await registry.connect(asTimelock).revokeTrack(trackId, "stolen");
      expect(await registry.pendingArtistOf(trackId)).to.equal(ethers.ZeroAddress);
    });

    it("a sale credits each collaborator once: one RevenueCredited per split", async () => {
      const { registry, fan, trackId } = await withTrack();
      const receipt = await (
        await registry.connect(fan).purchaseLicense(trackId, 0n, NO_REFERRER, { value: ONE })
      ).wait();
      const credited = receipt!.logs.filter((log) => registry.interface.parseLog(log)?.name === "RevenueCredited");
      expect(credited).to.have.length(2); // 70/30 between the artist and the collaborator
    });

    it("a second token sale is measured against the balance already held", async () => {
      const { registry, stablecoin, artist, fan, trackId } = await withTrack();
      const usdc = await stablecoin.getAddress();
      // The local deployment allow-lists its stablecoin.
      await registry.connect(artist).addOffer(trackId, offer({ token: usdc, price: 1_000_000n }));
      await stablecoin.mint(fan.address, 2_000_000n);
      await stablecoin.connect(fan).approve(registry, 2_000_000n);
      await registry.connect(fan).purchaseLicense(trackId, 2n, NO_REFERRER);
      await expect(registry.connect(fan).purchaseLicense(trackId, 2n, NO_REFERRER)).to.emit(
        registry,
        "LicensePurchased",
      );
      expect(await stablecoin.balanceOf(registry)).to.equal(2_000_000n);
    });

    it("after collecting royalties the vault can no longer pay the registry directly", async () => {
      const { registry, trackId, other } = await withTrack();
      const vault = await registry.royaltyAddressOf(trackId);
      await other.sendTransaction({ to: vault, value: ONE });
      await registry.collectRoyalties(trackId, CORE);
      await networkHelpers.impersonateAccount(vault);
      await networkHelpers.setBalance(vault, ONE);
      const asVault = await ethers.getSigner(vault);
      await expect(
        asVault.sendTransaction({ to: await registry.getAddress(), value: 1n }),
      ).to.be.revertedWithCustomError(registry, "ContentRegistryWrongPayment");
    });

    it("a collaborator dropped by a reassignment is no longer a rights holder", async () => {
      const { registry, asTimelock, collaborator, other, trackId } = await withTrack();
      expect(await registry.isRightsHolder(collaborator.address, trackId)).to.equal(true);
      await registry
        .connect(asTimelock)
        .reassignTrack(trackId, other.address, [{ recipient: other.address, bps: 10_000 }], "", "rightful artist");
      expect(await registry.isRightsHolder(collaborator.address, trackId)).to.equal(false);
    });

    it("withdrawTo names the earner, then the recipient", async () => {
      const { registry, artist, fan, other, trackId } = await withTrack();
      await registry.connect(fan).purchaseLicense(trackId, 0n, NO_REFERRER, { value: ONE });
      const credit = await registry.creditOf(artist.address, CORE);
      await expect(registry.connect(artist).withdrawTo(CORE, other.address))
        .to.emit(registry, "EarningsWithdrawn")
        .withArgs(artist.address, other.address, CORE, credit);
    });
  });

  describe("Governance, profiles and rights v2", () => {
    it("StakedCore: a staker re-entering completeUnstake from the payout meets the guard, and is paid once", async () => {
      const { stakedCore } = await loadFixture(deployProtocol);
      const attacker = await ethers.deployContract("ReentrantUnstaker", [await stakedCore.getAddress()]);
      await attacker.stakeAndRequest({ value: ONE });
      const { unlockAt } = await stakedCore.pendingUnstakeOf(await attacker.getAddress());
      await time.increaseTo(unlockAt);
      await attacker.complete();
      expect(await attacker.paidTimes()).to.equal(1n);
      const guard = stakedCore.interface.getError("ReentrancyGuardReentrantCall")!.selector;
      expect(await attacker.reentryError()).to.equal(guard);
    });

    it("StakedCore: an unstake completes at its unlock second, and a cancelled request is gone", async () => {
      const { stakedCore, fan } = await loadFixture(deployProtocol);
      await stakedCore.connect(fan).stake({ value: ONE });
      await stakedCore.connect(fan).requestUnstake(ONE / 2n);
      await expect(stakedCore.connect(fan).cancelUnstake()).to.emit(stakedCore, "UnstakeCancelled");
      expect((await stakedCore.pendingUnstakeOf(fan.address)).amount).to.equal(0n);
      await expect(stakedCore.connect(fan).cancelUnstake())
        .to.be.revertedWithCustomError(stakedCore, "StakedCoreNothingToUnstake")
        .withArgs(fan.address);
      await stakedCore.connect(fan).requestUnstake(ONE);
      const { unlockAt } = await stakedCore.pendingUnstakeOf(fan.address);
      await time.setNextBlockTimestamp(unlockAt);
      await expect(stakedCore.connect(fan).completeUnstake()).to.emit(stakedCore, "Unstaked");
    });

    it("Governed: a pausable contract refuses a zero guardian source", async () => {
      const { profiles, timelock } = await loadFixture(deployProtocol);
      const factory = await ethers.getContractFactory("ArtistProfiles");
      await expect(factory.deploy(await timelock.getAddress(), ethers.ZeroAddress)).to.be.revertedWithCustomError(
        profiles,
        "GovernedZeroAddress",
      );
    });

    it("ArtistProfiles: an update stores the new profile; a new handle is claimed and points to its owner", async () => {
      const { profiles, artist, other } = await loadFixture(deployProtocol);
      await profiles.connect(artist).register("nova", "bafkreiold", true);
      await profiles.connect(artist).updateProfile("bafkreinew");
      expect((await profiles.profileOf(artist.address)).profileCid).to.equal("bafkreinew");
      await profiles.connect(artist).changeHandle("nova_beats");
      expect((await profiles.profileOf(artist.address)).handle).to.equal("nova_beats");
      expect(await profiles.accountOf("nova_beats")).to.equal(artist.address);
      expect(await profiles.accountOf("nova")).to.equal(ethers.ZeroAddress);
      await expect(profiles.connect(other).register("nova_beats", "bafkreix", false)).to.be.revertedWithCustomError(
        profiles,
        "ArtistProfilesHandleTaken",
      );
    });

    it("ISRC: registrant codes accept the last letter and digit of each range (Z, 9)", async () => {
      const { registry, asTimelock, other } = await loadFixture(deployProtocol);
      for (const code of ["ZZZZZ", "AZ9Z9", "ZA000"]) {
        await expect(registry.connect(asTimelock).setRegistrant(code, other.address)).to.emit(
          registry,
          "RegistrantSet",
        );
        expect(await registry.registrantOf(code)).to.equal(other.address);
      }
      await expect(
        registry.connect(other).registerTrack(trackInput(other.address, other.address, { isrc: "ZZZZZ2500001" })),
      ).to.emit(registry, "TrackRegistered");
    });

    it("LiveStreams: a title of exactly MAX_TITLE_BYTES opens; ArtistProfiles: handles with 0 and 9", async () => {
      const { liveStreams, profiles, artist, fan, other } = await loadFixture(deployProtocol);
      await expect(liveStreams.connect(artist).openSession("x".repeat(200), "p", 0n)).to.emit(
        liveStreams,
        "SessionOpened",
      );
      await expect(profiles.connect(fan).register("dj_0", "bafkreia", false)).to.emit(profiles, "ProfileRegistered");
      await expect(profiles.connect(other).register("mc_9", "bafkreib", false)).to.emit(profiles, "ProfileRegistered");
      expect(await profiles.accountOf("dj_0")).to.equal(fan.address);
    });
  });
});
