import { expect } from "chai";
import { deployProtocol, ethers, ISRC, networkHelpers, trackInput } from "./fixtures.ts";

const { loadFixture } = networkHelpers;
const ONE = ethers.parseEther("1");

describe("Attacks", () => {
  describe("re-entrancy", () => {
    it("a receiver re-entering tipping withdraw is paid once", async () => {
      const { tipping, fan } = await loadFixture(deployProtocol);
      const attacker = await ethers.deployContract("ReentrantArtist", [await tipping.getAddress()]);
      const attackerAddress = await attacker.getAddress();
      await tipping.connect(fan).tip(attackerAddress, 0n, "", { value: ONE });
      await tipping.connect(fan).tip(fan.address, 0n, "", { value: ONE }); // someone else's credit to steal
      await attacker.withdraw();
      const fee = (ONE * 250n) / 10_000n;
      expect(await attacker.paidTimes()).to.equal(1n);
      expect(await ethers.provider.getBalance(attackerAddress)).to.equal(ONE - fee);
      const guard = tipping.interface.getError("ReentrancyGuardReentrantCall")!.selector;
      expect(await attacker.reentryError()).to.equal(guard);
      expect(await ethers.provider.getBalance(await tipping.getAddress())).to.equal(ONE + fee);
    });

    it("a token whose transfers call back into tipping cannot withdraw or close a tab twice", async () => {
      const { tipping, asTimelock, artist, fan } = await loadFixture(deployProtocol);
      const token = await ethers.deployContract("ReentrantToken", [await tipping.getAddress()]);
      await tipping.connect(asTimelock).allowToken(token, 1n);
      await token.mint(fan.address, 10n * ONE);
      await token.connect(fan).approve(tipping, 10n * ONE);
      await tipping.connect(fan).tipToken(token, artist.address, 0n, ONE, "", ethers.ZeroAddress);
      const guard = tipping.interface.getError("ReentrancyGuardReentrantCall")!.selector;

      // During the artist's payout, the hook calls withdraw again (as the token: it has no credit, but
      // the guard refuses before anything is read).
      await token.arm(tipping.interface.encodeFunctionData("withdraw", [await token.getAddress()]));
      await tipping.connect(artist).withdraw(token);
      expect(await token.reentries()).to.equal(1n);
      expect(await token.reentryError()).to.equal(guard);
      expect(await token.balanceOf(artist.address)).to.equal(ONE - (ONE * 250n) / 10_000n);

      // During a tab's refund, the hook tries to close the same tab again.
      const key = ethers.Wallet.createRandom().address;
      const expiresAt = (await networkHelpers.time.latest()) + 3600;
      await tipping.connect(fan).openTab(key, token, ONE, expiresAt, ethers.ZeroAddress);
      await token.arm(tipping.interface.encodeFunctionData("closeTab", [key]));
      await tipping.connect(fan).closeTab(key);
      expect(await token.reentryError()).to.equal(guard);
      expect(await token.balanceOf(await tipping.getAddress())).to.equal((ONE * 250n) / 10_000n);
    });

    it("a session key contract re-entering from its gas allowance cannot close the tab being opened", async () => {
      const { tipping, artist, fan } = await loadFixture(deployProtocol);
      const key = await ethers.deployContract("ReentrantKey", [await tipping.getAddress(), artist.address]);
      const keyAddress = await key.getAddress();
      const expiresAt = (await networkHelpers.time.latest()) + 3600;
      await tipping.connect(fan).openTab(keyAddress, ethers.ZeroAddress, ONE, expiresAt, ethers.ZeroAddress, {
        value: ONE + 1000n,
      });
      const guard = tipping.interface.getError("ReentrancyGuardReentrantCall")!.selector;
      expect(await key.reentryError()).to.equal(guard);
      expect((await tipping.tabOf(keyAddress)).balance).to.equal(ONE);
      // Closing later refunds the fan, not the key.
      await expect(key.closeTab()).to.changeEtherBalance(ethers, fan, ONE);
    });

    it("a smart wallet's signature check cannot re-enter: it runs as a static call", async () => {
      const { tipping, artist, fan, other } = await loadFixture(deployProtocol);
      const wallet = await ethers.deployContract("ReentrantWallet", [await tipping.getAddress(), artist.address]);
      const walletAddress = await wallet.getAddress();
      await tipping.connect(fan).tip(walletAddress, 0n, "", { value: ONE });
      const deadline = BigInt(await networkHelpers.time.latest()) + 3600n;
      await expect(
        tipping.connect(other).withdrawFor(walletAddress, ethers.ZeroAddress, walletAddress, 1_000n, deadline, "0x"),
      )
        .to.be.revertedWithCustomError(tipping, "HarmonieTippingInvalidSignature")
        .withArgs(walletAddress);
      expect((await tipping.earningsOf(walletAddress, ethers.ZeroAddress))[1]).to.equal((ONE * 250n) / 10_000n);
    });

    it("a buyer re-entering purchaseLicense from the ERC-1155 hook gets one licence", async () => {
      const { registry, artist, collaborator } = await loadFixture(deployProtocol);
      await registry.connect(artist).registerTrack(trackInput(artist.address, collaborator.address));
      const trackId = await registry.trackIdOf(ISRC);
      const attacker = await ethers.deployContract("ReentrantBuyer", [await registry.getAddress()]);
      await attacker.buy(trackId, 0n, { value: ONE });
      expect(await attacker.hookCalls()).to.equal(1n);
      expect(await registry.balanceOf(await attacker.getAddress(), trackId << 32n)).to.equal(1n);
      expect((await registry.offerOf(trackId, 0n)).issued).to.equal(1n);
      const guard = registry.interface.getError("ReentrancyGuardReentrantCall")!.selector;
      expect(await attacker.reentryError()).to.equal(guard);
    });

    it("a collaborator re-entering licence withdraw is paid once", async () => {
      const { registry, artist, fan } = await loadFixture(deployProtocol);
      const attacker = await ethers.deployContract("ReentrantBuyer", [await registry.getAddress()]);
      const attackerAddress = await attacker.getAddress();
      const splits = [
        { recipient: attackerAddress, bps: 5_000 },
        { recipient: artist.address, bps: 5_000 },
      ];
      await registry.connect(artist).registerTrack(trackInput(artist.address, artist.address, { splits }));
      await registry
        .connect(fan)
        .purchaseLicense(await registry.trackIdOf(ISRC), 0n, ethers.ZeroAddress, { value: ONE });
      const credit = await registry.creditOf(attackerAddress, ethers.ZeroAddress);
      await attacker.withdraw();
      expect(await attacker.paidTimes()).to.equal(1n);
      expect(await ethers.provider.getBalance(attackerAddress)).to.equal(credit);
      expect(await registry.creditOf(artist.address, ethers.ZeroAddress)).to.equal(credit); // the other half is untouched
    });
  });

  describe("admin functions refuse everyone but the timelock", () => {
    it("on every contract", async () => {
      const { tipping, registry, profiles, liveStreams, fan, deployer } = await loadFixture(deployProtocol);
      for (const caller of [fan, deployer]) {
        const calls = [
          () => tipping.connect(caller).setFee(0),
          () => tipping.connect(caller).setReferrerShare(0),
          () => tipping.connect(caller).allowToken(caller.address, 1n),
          () => tipping.connect(caller).removeToken(caller.address),
          () => registry.connect(caller).setFee(0),
          () => registry.connect(caller).flagTrack(1n, "x"),
          () => registry.connect(caller).unflagTrack(1n),
          () => registry.connect(caller).revokeTrack(1n, "x"),
          () => registry.connect(caller).setRegistrant("USRC1", caller.address),
          () => registry.connect(caller).pause(), // the guardian is unset in the fixture
          () => registry.connect(caller).unpause(),
          () => profiles.connect(caller).pause(),
          () => profiles.connect(caller).unpause(),
          () => liveStreams.connect(caller).pause(),
          () => liveStreams.connect(caller).unpause(),
        ];
        for (const call of calls) {
          await expect(call()).to.be.revertedWithCustomError(tipping, "GovernedUnauthorized").withArgs(caller.address);
        }
      }
    });
  });
});
