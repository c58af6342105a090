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

    it("a buyer re-entering purchaseLicense from the ERC-1155 hook gets one licence", async () => {
      const { registry, artist, collaborator } = await loadFixture(deployProtocol);
      await registry.connect(artist).registerTrack(trackInput(artist.address, collaborator.address));
      const trackId = await registry.trackIdOf(ISRC);
      const attacker = await ethers.deployContract("ReentrantBuyer", [await registry.getAddress()]);
      await attacker.buy(trackId, 0n, { value: ONE });
      expect(await attacker.hookCalls()).to.equal(1n);
      expect(await registry.balanceOf(await attacker.getAddress(), trackId << 32n)).to.equal(1n);
      expect((await registry.offerOf(trackId, 0n)).sold).to.equal(1n);
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
      await registry.connect(fan).purchaseLicense(await registry.trackIdOf(ISRC), 0n, { value: ONE });
      const credit = await registry.creditOf(attackerAddress);
      await attacker.withdraw();
      expect(await attacker.paidTimes()).to.equal(1n);
      expect(await ethers.provider.getBalance(attackerAddress)).to.equal(credit);
      expect(await registry.creditOf(artist.address)).to.equal(credit); // the other half is untouched
    });
  });

  describe("admin functions refuse everyone but the timelock", () => {
    it("on every contract", async () => {
      const { tipping, registry, profiles, liveStreams, fan, deployer } = await loadFixture(deployProtocol);
      for (const caller of [fan, deployer]) {
        const calls = [
          () => tipping.connect(caller).setFee(0),
          () => registry.connect(caller).setFee(0),
          () => registry.connect(caller).flagTrack(1n, "x"),
          () => registry.connect(caller).unflagTrack(1n),
          () => registry.connect(caller).pause(),
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
