import { expect } from "chai";
import { deployProtocol, ethers, networkHelpers } from "./fixtures.ts";

const { loadFixture } = networkHelpers;
const ONE = ethers.parseEther("1");
const MESSAGE = "Great set tonight, thank you!!!!"; // 32 bytes

async function signWithdrawal(
  signer: { signTypedData: Function },
  tipping: any,
  artist: string,
  nonce: bigint,
  deadline: bigint,
) {
  const { chainId } = await ethers.provider.getNetwork();
  return signer.signTypedData(
    { name: "HarmonieTipping", version: "1", chainId, verifyingContract: await tipping.getAddress() },
    {
      Withdraw: [
        { name: "artist", type: "address" },
        { name: "nonce", type: "uint256" },
        { name: "deadline", type: "uint256" },
      ],
    },
    { artist, nonce, deadline },
  );
}

describe("HarmonieTipping", () => {
  describe("tip", () => {
    it("credits the artist and emits the message", async () => {
      const { tipping, artist, fan } = await loadFixture(deployProtocol);
      await expect(tipping.connect(fan).tip(artist.address, 7n, MESSAGE, { value: ONE }))
        .to.emit(tipping, "TipSent")
        .withArgs(artist.address, fan.address, 7n, ONE, MESSAGE);
      const [net, fee] = await tipping.earningsOf(artist.address);
      expect(net + fee).to.equal(ONE);
      expect(fee).to.equal((ONE * 250n) / 10_000n);
      expect(await ethers.provider.getBalance(await tipping.getAddress())).to.equal(ONE);
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
      await expect(tipping.connect(fan).tip(ethers.ZeroAddress, 0n, "", { value: ONE })).to.be.revertedWithCustomError(
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
      expect(await tipping.minimumTipOf(artist.address)).to.equal(own);
      await expect(tipping.connect(fan).tip(artist.address, 0n, "", { value: own - 1n }))
        .to.be.revertedWithCustomError(tipping, "HarmonieTippingBelowMinimum")
        .withArgs(own - 1n, own);
      // A minimum below the protocol's changes nothing.
      await tipping.connect(artist).setMinimumTip(1n);
      expect(await tipping.minimumTipOf(artist.address)).to.equal(await tipping.protocolMinimumTip());
    });
  });

  describe("withdraw", () => {
    it("pays the credit less the fee and keeps the fee for the treasury", async () => {
      const { tipping, artist, fan } = await loadFixture(deployProtocol);
      await tipping.connect(fan).tip(artist.address, 0n, MESSAGE, { value: ONE });
      const fee = (ONE * 250n) / 10_000n;
      const tx = tipping.connect(artist).withdraw();
      await expect(tx)
        .to.emit(tipping, "Withdrawn")
        .withArgs(artist.address, artist.address, ONE - fee, fee);
      await expect(tx).to.changeEtherBalances(ethers, [artist, tipping], [ONE - fee, -(ONE - fee)]);
      expect(await tipping.owedFees()).to.equal(fee);
      expect(await tipping.earningsOf(artist.address)).to.deep.equal([0n, 0n]);
      await expect(tipping.connect(artist).withdraw())
        .to.be.revertedWithCustomError(tipping, "HarmonieTippingNothingToWithdraw")
        .withArgs(artist.address);
    });

    it("withdrawTo pays another address and refuses the zero address", async () => {
      const { tipping, artist, fan, other } = await loadFixture(deployProtocol);
      await tipping.connect(fan).tip(artist.address, 0n, "", { value: ONE });
      await expect(tipping.connect(artist).withdrawTo(ethers.ZeroAddress)).to.be.revertedWithCustomError(
        tipping,
        "HarmonieTippingZeroAddress",
      );
      const fee = (ONE * 250n) / 10_000n;
      await expect(tipping.connect(artist).withdrawTo(other.address)).to.changeEtherBalance(ethers, other, ONE - fee);
    });

    it("reverts with TransferFailed when the recipient refuses CORE, losing nothing", async () => {
      const { tipping, artist, fan } = await loadFixture(deployProtocol);
      const rejector = await ethers.deployContract("RejectingReceiver");
      await tipping.connect(fan).tip(artist.address, 0n, "", { value: ONE });
      const fee = (ONE * 250n) / 10_000n;
      await expect(tipping.connect(artist).withdrawTo(await rejector.getAddress()))
        .to.be.revertedWithCustomError(tipping, "HarmonieTippingTransferFailed")
        .withArgs(await rejector.getAddress(), ONE - fee);
      expect((await tipping.earningsOf(artist.address))[0]).to.equal(ONE - fee);
    });

    it("applies the fee in force at withdrawal time", async () => {
      const { tipping, artist, fan, asTimelock } = await loadFixture(deployProtocol);
      await tipping.connect(fan).tip(artist.address, 0n, "", { value: ONE });
      await tipping.connect(asTimelock).setFee(1_000);
      await expect(tipping.connect(artist).withdraw())
        .to.emit(tipping, "Withdrawn")
        .withArgs(artist.address, artist.address, (ONE * 9n) / 10n, ONE / 10n);
    });
  });

  describe("withdrawFor (EIP-712, relayed)", () => {
    it("pays the artist when a relayer submits the artist's signature, once", async () => {
      const { tipping, artist, fan, other } = await loadFixture(deployProtocol);
      await tipping.connect(fan).tip(artist.address, 0n, "", { value: ONE });
      const deadline = BigInt(await networkHelpers.time.latest()) + 3600n;
      const signature = await signWithdrawal(artist, tipping, artist.address, 0n, deadline);
      const fee = (ONE * 250n) / 10_000n;
      await expect(tipping.connect(other).withdrawFor(artist.address, deadline, signature)).to.changeEtherBalance(
        ethers,
        artist,
        ONE - fee,
      );
      expect(await tipping.nonces(artist.address)).to.equal(1n);
      await tipping.connect(fan).tip(artist.address, 0n, "", { value: ONE });
      await expect(tipping.connect(other).withdrawFor(artist.address, deadline, signature))
        .to.be.revertedWithCustomError(tipping, "HarmonieTippingInvalidSignature")
        .withArgs(artist.address);
    });

    it("rejects an expired deadline and another signer", async () => {
      const { tipping, artist, fan, other } = await loadFixture(deployProtocol);
      await tipping.connect(fan).tip(artist.address, 0n, "", { value: ONE });
      const past = BigInt(await networkHelpers.time.latest()) - 1n;
      const expired = await signWithdrawal(artist, tipping, artist.address, 0n, past);
      await expect(tipping.connect(other).withdrawFor(artist.address, past, expired))
        .to.be.revertedWithCustomError(tipping, "HarmonieTippingSignatureExpired")
        .withArgs(past);
      const deadline = past + 3600n;
      const forged = await signWithdrawal(fan, tipping, artist.address, 0n, deadline);
      await expect(tipping.connect(other).withdrawFor(artist.address, deadline, forged))
        .to.be.revertedWithCustomError(tipping, "HarmonieTippingInvalidSignature")
        .withArgs(artist.address);
    });

    it("accepts an ERC-1271 smart-wallet artist", async () => {
      const { tipping, artist, fan, other } = await loadFixture(deployProtocol);
      const wallet = await ethers.deployContract("ERC1271Wallet", [artist.address]);
      const walletAddress = await wallet.getAddress();
      await tipping.connect(fan).tip(walletAddress, 0n, "", { value: ONE });
      const deadline = BigInt(await networkHelpers.time.latest()) + 3600n;
      const signature = await signWithdrawal(artist, tipping, walletAddress, 0n, deadline);
      await expect(tipping.connect(other).withdrawFor(walletAddress, deadline, signature)).to.emit(
        tipping,
        "Withdrawn",
      );
    });
  });

  describe("fees and governance", () => {
    it("sweeps settled fees to the treasury", async () => {
      const { tipping, artist, fan, timelock } = await loadFixture(deployProtocol);
      await expect(tipping.sweepFees()).to.be.revertedWithCustomError(tipping, "HarmonieTippingNoFees");
      await tipping.connect(fan).tip(artist.address, 0n, "", { value: ONE });
      await tipping.connect(artist).withdraw();
      const fee = (ONE * 250n) / 10_000n;
      const tx = tipping.connect(fan).sweepFees();
      await expect(tx)
        .to.emit(tipping, "FeesSwept")
        .withArgs(await timelock.getAddress(), fee);
      await expect(tx).to.changeEtherBalance(ethers, timelock, fee);
      expect(await tipping.owedFees()).to.equal(0n);
    });

    it("lets only the timelock set the fee, up to the 10% cap", async () => {
      const { tipping, asTimelock, fan } = await loadFixture(deployProtocol);
      await expect(tipping.connect(asTimelock).setFee(300)).to.emit(tipping, "FeeUpdated").withArgs(250n, 300n);
      expect(await tipping.feeBps()).to.equal(300n);
      await expect(tipping.connect(asTimelock).setFee(1_001))
        .to.be.revertedWithCustomError(tipping, "HarmonieTippingFeeAboveCap")
        .withArgs(1_001n, 1_000n);
      await expect(tipping.connect(fan).setFee(0))
        .to.be.revertedWithCustomError(tipping, "GovernedUnauthorized")
        .withArgs(fan.address);
    });

    it("refuses a fee above the cap or a zero governance at deployment", async () => {
      const { tipping, timelock } = await loadFixture(deployProtocol);
      const factory = await ethers.getContractFactory("HarmonieTipping");
      await expect(factory.deploy(await timelock.getAddress(), 1n, 1_001))
        .to.be.revertedWithCustomError(tipping, "HarmonieTippingFeeAboveCap")
        .withArgs(1_001n, 1_000n);
      await expect(factory.deploy(ethers.ZeroAddress, 1n, 100)).to.be.revertedWithCustomError(
        tipping,
        "GovernedZeroAddress",
      );
    });
  });
});

describe("HarmonieTipping deployment", () => {
  it("announces its starting fee for indexers", async () => {
    const { tipping, registry } = await loadFixture(deployProtocol);
    for (const contract of [tipping, registry]) {
      const [event] = await contract.queryFilter(contract.filters.FeeUpdated());
      expect(event.args).to.deep.equal([0n, await contract.feeBps()]);
    }
  });
});
