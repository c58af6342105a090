import { expect } from "chai";
import { deployProtocol, ethers, ISRC, ISRC_2, networkHelpers, offer, trackInput } from "./fixtures.ts";

const { loadFixture, time } = networkHelpers;
const ONE = ethers.parseEther("1");
const CORE = ethers.ZeroAddress;
const [ACTIVE, FLAGGED, REVOKED] = [0n, 1n, 2n]; // TrackStatus
const CODE = "USRC1"; // ISRC's registrant code: US-RC1-76-07839

type Signer = Awaited<ReturnType<typeof ethers.getSigners>>[number];

/** The registrant's EIP-712 approval for `artist` to register `isrc`. */
async function approval(
  registry: { getAddress(): Promise<string> },
  registrant: Signer,
  isrc: string,
  artist: string,
  deadline: bigint,
) {
  const { chainId } = await ethers.provider.getNetwork();
  return registrant.signTypedData(
    { name: "ContentRegistry", version: "2", chainId, verifyingContract: await registry.getAddress() },
    {
      TrackApproval: [
        { name: "isrc", type: "string" },
        { name: "artist", type: "address" },
        { name: "deadline", type: "uint256" },
      ],
    },
    { isrc, artist, deadline },
  );
}

/** A squatter registered the artist's ISRC first; a fan bought a licence from the squatter. */
async function squatted() {
  const f = await deployProtocol();
  const [, , , , , squatter, label] = await ethers.getSigners();
  await f.registry.connect(squatter).registerTrack(trackInput(squatter.address, squatter.address));
  const trackId = await f.registry.trackIdOf(ISRC);
  await f.registry.connect(f.fan).purchaseLicense(trackId, 0n, CORE, { value: ONE });
  return { ...f, squatter, label, trackId };
}

describe("ISRC rights", () => {
  describe("registrant codes", () => {
    it("governance assigns a code; registering under it needs the registrant's signature", async () => {
      const { registry, asTimelock, artist, collaborator, other } = await loadFixture(deployProtocol);
      const [, , , , , , label] = await ethers.getSigners();
      await expect(registry.connect(asTimelock).setRegistrant(CODE, label.address))
        .to.emit(registry, "RegistrantSet")
        .withArgs(CODE, CORE, label.address);
      expect(await registry.registrantOf(CODE)).to.equal(label.address);
      // The squatter's first-come registration is refused…
      await expect(registry.connect(other).registerTrack(trackInput(other.address, other.address)))
        .to.be.revertedWithCustomError(registry, "ContentRegistryRegistrantApprovalRequired")
        .withArgs(ISRC, label.address);
      // …the artist registers with the label's approval, and still sends the transaction.
      const deadline = BigInt(await time.latest()) + 3_600n;
      const signature = await approval(registry, label, ISRC, artist.address, deadline);
      const input = trackInput(artist.address, collaborator.address);
      await expect(registry.connect(artist).registerTrackWithApproval(input, deadline, signature))
        .to.emit(registry, "TrackRegistered")
        .withArgs(
          await registry.trackIdOf(ISRC),
          artist.address,
          ISRC,
          input.metadataCid,
          true,
          500,
          [
            [artist.address, 7_000n],
            [collaborator.address, 3_000n],
          ],
          label.address,
        );
      // The label may register under its own code directly.
      await expect(
        registry.connect(label).registerTrack(trackInput(label.address, label.address, { isrc: "USRC17607840" })),
      ).to.emit(registry, "TrackRegistered");
      // Other codes stay first-come.
      await expect(
        registry.connect(other).registerTrack(trackInput(other.address, other.address, { isrc: ISRC_2 })),
      ).to.emit(registry, "TrackRegistered");
    });

    it("an approval binds the artist and the ISRC, and expires", async () => {
      const { registry, asTimelock, artist, other } = await loadFixture(deployProtocol);
      const [, , , , , , label] = await ethers.getSigners();
      const input = trackInput(artist.address, artist.address);
      const deadline = BigInt(await time.latest()) + 3_600n;
      await expect(
        registry.connect(artist).registerTrackWithApproval(input, deadline, "0x"),
      ).to.be.revertedWithCustomError(registry, "ContentRegistryNoRegistrant");
      await registry.connect(asTimelock).setRegistrant(CODE, label.address);
      const signature = await approval(registry, label, ISRC, artist.address, deadline);
      // Copied by someone else: the signature names the artist.
      await expect(registry.connect(other).registerTrackWithApproval(input, deadline, signature))
        .to.be.revertedWithCustomError(registry, "ContentRegistryInvalidApproval")
        .withArgs(ISRC, label.address);
      // For another ISRC under the same code.
      await expect(
        registry
          .connect(artist)
          .registerTrackWithApproval(
            trackInput(artist.address, artist.address, { isrc: "USRC17607840" }),
            deadline,
            signature,
          ),
      ).to.be.revertedWithCustomError(registry, "ContentRegistryInvalidApproval");
      // Signed by anyone but the registrant.
      const forged = await approval(registry, other, ISRC, artist.address, deadline);
      await expect(
        registry.connect(artist).registerTrackWithApproval(input, deadline, forged),
      ).to.be.revertedWithCustomError(registry, "ContentRegistryInvalidApproval");
      await time.setNextBlockTimestamp(deadline); // the last second it is valid
      await expect(registry.connect(artist).registerTrackWithApproval(input, deadline, signature)).to.emit(
        registry,
        "TrackRegistered",
      );
      const late = BigInt(await time.latest()) + 10n;
      const lateSignature = await approval(registry, label, "USRC17607840", artist.address, late);
      await time.setNextBlockTimestamp(late + 1n);
      await expect(
        registry
          .connect(artist)
          .registerTrackWithApproval(
            trackInput(artist.address, artist.address, { isrc: "USRC17607840" }),
            late,
            lateSignature,
          ),
      )
        .to.be.revertedWithCustomError(registry, "ContentRegistryApprovalExpired")
        .withArgs(late);
    });

    it("accepts a label's smart-wallet (ERC-1271) approval", async () => {
      const { registry, asTimelock, artist } = await loadFixture(deployProtocol);
      const [, , , , , , owner] = await ethers.getSigners();
      const wallet = await ethers.deployContract("ERC1271Wallet", [owner.address]);
      await registry.connect(asTimelock).setRegistrant(CODE, await wallet.getAddress());
      const deadline = BigInt(await time.latest()) + 60n;
      const signature = await approval(registry, owner, ISRC, artist.address, deadline);
      await expect(
        registry
          .connect(artist)
          .registerTrackWithApproval(trackInput(artist.address, artist.address), deadline, signature),
      ).to.emit(registry, "TrackRegistered");
    });

    it("the squatter's higher-priced copy of the artist's transaction loses in the same block", async () => {
      const { registry, asTimelock, artist } = await loadFixture(deployProtocol);
      const [, , , , , squatter, label] = await ethers.getSigners();
      await registry.connect(asTimelock).setRegistrant(CODE, label.address);
      const deadline = BigInt(await time.latest()) + 3_600n;
      const signature = await approval(registry, label, ISRC, artist.address, deadline);
      const input = trackInput(artist.address, artist.address);
      await ethers.provider.send("evm_setAutomine", [false]);
      try {
        const honest = await registry
          .connect(artist)
          .registerTrackWithApproval(input, deadline, signature, { gasPrice: 2_000_000_000n, gasLimit: 1_000_000n });
        // The attacker copies the pending calldata from the mempool and outbids it.
        const pending = await ethers.provider.getTransaction(honest.hash);
        const copy = await squatter.sendTransaction({
          to: pending!.to!,
          data: pending!.data,
          gasPrice: 20_000_000_000n,
          gasLimit: 1_000_000n,
        });
        await ethers.provider.send("evm_mine", []);
        const [copyReceipt, honestReceipt] = await Promise.all([
          ethers.provider.getTransactionReceipt(copy.hash),
          ethers.provider.getTransactionReceipt(honest.hash),
        ]);
        expect(copyReceipt!.blockNumber).to.equal(honestReceipt!.blockNumber);
        expect(copyReceipt!.index).to.be.lessThan(honestReceipt!.index); // the copy ran first…
        expect(copyReceipt!.status).to.equal(0); // …and failed
        expect(honestReceipt!.status).to.equal(1);
      } finally {
        await ethers.provider.send("evm_setAutomine", [true]);
      }
      expect((await registry.trackOf(await registry.trackIdOf(ISRC))).artist).to.equal(artist.address);
    });

    it("validates codes and lets governance unclaim one", async () => {
      const { registry, asTimelock, other } = await loadFixture(deployProtocol);
      for (const code of ["", "USRC", "USRC12", "US-RC", "usrc1", "U1RC1", "USR_1"]) {
        await expect(registry.connect(asTimelock).setRegistrant(code, other.address))
          .to.be.revertedWithCustomError(registry, "ContentRegistryInvalidRegistrantCode")
          .withArgs(code);
      }
      await expect(registry.registrantOf("x")).to.be.revertedWithCustomError(
        registry,
        "ContentRegistryInvalidRegistrantCode",
      );
      await registry.connect(asTimelock).setRegistrant("GB0A1", other.address);
      await expect(registry.connect(asTimelock).setRegistrant("GB0A1", CORE))
        .to.emit(registry, "RegistrantSet")
        .withArgs("GB0A1", other.address, CORE);
      expect(await registry.registrantOf("GB0A1")).to.equal(CORE);
    });
  });

  describe("flag, revoke and reassign", () => {
    it("a flagged track is frozen: no edits, offers, prices, sales, transfers or royalties", async () => {
      const { registry, asTimelock, squatter, fan, other, trackId } = await loadFixture(squatted);
      await fan.sendTransaction({ to: await registry.royaltyAddressOf(trackId), value: 1_000n });
      await expect(registry.connect(asTimelock).flagTrack(trackId, "ISRC claimed by its artist"))
        .to.emit(registry, "TrackFlagged")
        .withArgs(trackId, "ISRC claimed by its artist");
      const frozen = [
        () => registry.connect(squatter).updateMetadata(trackId, "bafyfake"),
        () => registry.connect(squatter).addOffer(trackId, offer({ price: 1n })),
        () => registry.connect(squatter).setOfferPrice(trackId, 0n, 1n),
        () => registry.connect(squatter).setOfferActive(trackId, 0n, false),
        () => registry.connect(squatter).offerTrackTransfer(trackId, other.address),
        () => registry.connect(other).purchaseLicense(trackId, 0n, CORE, { value: ONE }),
        () => registry.collectRoyalties(trackId, CORE),
      ];
      for (const call of frozen) {
        await expect(call())
          .to.be.revertedWithCustomError(registry, "ContentRegistryTrackFrozen")
          .withArgs(trackId, FLAGGED);
      }
      expect((await registry.royaltyInfo(trackId << 32n, ONE))[1]).to.equal(0n);
      // The fan keeps the licence and its access; it can still give it away.
      expect(await registry.hasAccess(fan.address, trackId)).to.equal(true);
      await registry.connect(fan).safeTransferFrom(fan.address, other.address, trackId << 32n, 1n, "0x");
      expect(await registry.hasAccess(other.address, trackId)).to.equal(true);
      await expect(registry.connect(asTimelock).flagTrack(trackId, "again"))
        .to.be.revertedWithCustomError(registry, "ContentRegistryWrongStatus")
        .withArgs(trackId, FLAGGED);
      await registry.connect(asTimelock).unflagTrack(trackId);
      await expect(registry.connect(asTimelock).unflagTrack(trackId))
        .to.be.revertedWithCustomError(registry, "ContentRegistryWrongStatus")
        .withArgs(trackId, ACTIVE);
      expect((await registry.royaltyInfo(trackId << 32n, ONE))[1]).to.equal(ONE / 20n);
    });

    it("governance reassigns a squatted track: future revenue moves, past credit and licences stay", async () => {
      const { registry, asTimelock, squatter, artist, collaborator, fan, other, trackId } = await loadFixture(squatted);
      const squatterCredit = await registry.creditOf(squatter.address, CORE);
      expect(squatterCredit).to.be.greaterThan(0n);
      await registry.connect(squatter).offerTrackTransfer(trackId, other.address);
      const splits = [
        { recipient: artist.address, bps: 8_000 },
        { recipient: collaborator.address, bps: 2_000 },
      ];
      await expect(
        registry.connect(asTimelock).reassignTrack(trackId, artist.address, splits, "bafyreal", "DAO vote 12"),
      )
        .to.emit(registry, "TrackReassigned")
        .withArgs(
          trackId,
          squatter.address,
          artist.address,
          [
            [artist.address, 8_000n],
            [collaborator.address, 2_000n],
          ],
          await asTimelock.getAddress(),
          "DAO vote 12",
        )
        .and.to.emit(registry, "TrackMetadataUpdated")
        .withArgs(trackId, "bafyreal");
      const track = await registry.trackOf(trackId);
      expect([track.artist, track.metadataCid, track.status]).to.deep.equal([artist.address, "bafyreal", ACTIVE]);
      expect(await registry.splitsOf(trackId)).to.deep.equal([
        [artist.address, 8_000n],
        [collaborator.address, 2_000n],
      ]);
      // Past: the squatter's credit is untouched (a separate governance decision could claw it back
      // only by a new contract), the fan's licence still works, the pending transfer is gone.
      expect(await registry.creditOf(squatter.address, CORE)).to.equal(squatterCredit);
      expect(await registry.hasAccess(fan.address, trackId)).to.equal(true);
      expect(await registry.balanceOf(fan.address, trackId << 32n)).to.equal(1n);
      expect(await registry.pendingArtistOf(trackId)).to.equal(CORE);
      await expect(registry.connect(other).acceptTrackTransfer(trackId)).to.be.revertedWithCustomError(
        registry,
        "ContentRegistryNotOfferedTo",
      );
      // Future: the next sale pays the new split; the squatter can no longer manage the track.
      await registry.connect(other).purchaseLicense(trackId, 0n, CORE, { value: ONE });
      const rest = ONE - ONE / 20n;
      expect(await registry.creditOf(collaborator.address, CORE)).to.equal((rest * 2_000n) / 10_000n);
      expect(await registry.creditOf(squatter.address, CORE)).to.equal(squatterCredit);
      await expect(registry.connect(squatter).updateMetadata(trackId, "bafyfake"))
        .to.be.revertedWithCustomError(registry, "ContentRegistryNotArtist")
        .withArgs(trackId, squatter.address);
      // Without a new package the metadata stays.
      await expect(
        registry.connect(asTimelock).reassignTrack(trackId, collaborator.address, splits, "", "typo"),
      ).to.not.emit(registry, "TrackMetadataUpdated");
    });

    it("checks a reassignment's splits and new artist, and who may reassign", async () => {
      const { registry, asTimelock, artist, squatter, trackId } = await loadFixture(squatted);
      await expect(
        registry
          .connect(asTimelock)
          .reassignTrack(trackId, artist.address, [{ recipient: artist.address, bps: 9_000 }], "", ""),
      )
        .to.be.revertedWithCustomError(registry, "ContentRegistryInvalidSplitTotal")
        .withArgs(9_000n);
      await expect(
        registry.connect(asTimelock).reassignTrack(trackId, CORE, [{ recipient: artist.address, bps: 10_000 }], "", ""),
      ).to.be.revertedWithCustomError(registry, "ContentRegistryZeroAddress");
      await expect(
        registry
          .connect(asTimelock)
          .reassignTrack(42n, artist.address, [{ recipient: artist.address, bps: 10_000 }], "", ""),
      )
        .to.be.revertedWithCustomError(registry, "ContentRegistryUnknownTrack")
        .withArgs(42n);
      // Nobody else, the squatter included, without a claimed code.
      await expect(
        registry
          .connect(squatter)
          .reassignTrack(trackId, squatter.address, [{ recipient: squatter.address, bps: 10_000 }], "", ""),
      )
        .to.be.revertedWithCustomError(registry, "ContentRegistryNotRegistrant")
        .withArgs(trackId, squatter.address);
    });

    it("the code's registrant reassigns a squatted track without a vote, but cannot overrule a revocation", async () => {
      const { registry, asTimelock, artist, label, squatter, trackId } = await loadFixture(squatted);
      const splits = [{ recipient: artist.address, bps: 10_000 }];
      await registry.connect(asTimelock).setRegistrant(CODE, label.address);
      await expect(registry.connect(label).reassignTrack(trackId, artist.address, splits, "", "our catalogue"))
        .to.emit(registry, "TrackReassigned")
        .withArgs(
          trackId,
          squatter.address,
          artist.address,
          [[artist.address, 10_000n]],
          label.address,
          "our catalogue",
        );
      // Not under another code.
      await registry.connect(squatter).registerTrack(trackInput(squatter.address, squatter.address, { isrc: ISRC_2 }));
      const other = await registry.trackIdOf(ISRC_2);
      await expect(registry.connect(label).reassignTrack(other, artist.address, splits, "", ""))
        .to.be.revertedWithCustomError(registry, "ContentRegistryNotRegistrant")
        .withArgs(other, label.address);
      await registry.connect(asTimelock).revokeTrack(trackId, "fraudulent upload");
      await expect(registry.connect(label).reassignTrack(trackId, artist.address, splits, "", ""))
        .to.be.revertedWithCustomError(registry, "ContentRegistryWrongStatus")
        .withArgs(trackId, REVOKED);
    });

    it("revoking freezes a track for good, keeps holders' access, and only governance can revive it", async () => {
      const { registry, asTimelock, squatter, artist, fan, trackId } = await loadFixture(squatted);
      await expect(registry.connect(asTimelock).revokeTrack(trackId, "stolen recording"))
        .to.emit(registry, "TrackRevoked")
        .withArgs(trackId, "stolen recording");
      expect((await registry.trackOf(trackId)).status).to.equal(REVOKED);
      await expect(registry.connect(squatter).setOfferPrice(trackId, 0n, 0n))
        .to.be.revertedWithCustomError(registry, "ContentRegistryTrackFrozen")
        .withArgs(trackId, REVOKED);
      expect((await registry.royaltyInfo(trackId << 32n, ONE))[1]).to.equal(0n);
      expect(await registry.hasAccess(fan.address, trackId)).to.equal(true);
      await expect(registry.connect(asTimelock).unflagTrack(trackId)).to.be.revertedWithCustomError(
        registry,
        "ContentRegistryWrongStatus",
      );
      await expect(registry.connect(asTimelock).revokeTrack(trackId, "twice")).to.be.revertedWithCustomError(
        registry,
        "ContentRegistryWrongStatus",
      );
      await expect(registry.connect(asTimelock).revokeTrack(42n, "x")).to.be.revertedWithCustomError(
        registry,
        "ContentRegistryUnknownTrack",
      );
      // The squatter's credit stays withdrawable: earned money always leaves.
      await expect(registry.connect(squatter).withdraw(CORE)).to.emit(registry, "EarningsWithdrawn");
      await registry
        .connect(asTimelock)
        .reassignTrack(trackId, artist.address, [{ recipient: artist.address, bps: 10_000 }], "", "rightful artist");
      expect((await registry.trackOf(trackId)).status).to.equal(ACTIVE);
    });
  });

  describe("handing a track over", () => {
    it("moves a track in two steps; splits stay; the offer can be withdrawn", async () => {
      const { registry, artist, collaborator, other, fan } = await loadFixture(deployProtocol);
      await registry.connect(artist).registerTrack(trackInput(artist.address, collaborator.address));
      const trackId = await registry.trackIdOf(ISRC);
      await expect(registry.connect(artist).offerTrackTransfer(trackId, other.address))
        .to.emit(registry, "TrackTransferOffered")
        .withArgs(trackId, artist.address, other.address);
      expect(await registry.pendingArtistOf(trackId)).to.equal(other.address);
      await expect(registry.connect(fan).acceptTrackTransfer(trackId))
        .to.be.revertedWithCustomError(registry, "ContentRegistryNotOfferedTo")
        .withArgs(trackId, fan.address);
      await registry.connect(artist).offerTrackTransfer(trackId, CORE);
      await expect(registry.connect(other).acceptTrackTransfer(trackId)).to.be.revertedWithCustomError(
        registry,
        "ContentRegistryNotOfferedTo",
      );
      await registry.connect(artist).offerTrackTransfer(trackId, other.address);
      await expect(registry.connect(other).acceptTrackTransfer(trackId))
        .to.emit(registry, "TrackTransferred")
        .withArgs(trackId, artist.address, other.address);
      expect((await registry.trackOf(trackId)).artist).to.equal(other.address);
      expect(await registry.pendingArtistOf(trackId)).to.equal(CORE);
      expect(await registry.splitsOf(trackId)).to.deep.equal([
        [artist.address, 7_000n],
        [collaborator.address, 3_000n],
      ]);
      await expect(registry.connect(artist).updateMetadata(trackId, "x")).to.be.revertedWithCustomError(
        registry,
        "ContentRegistryNotArtist",
      );
      await expect(registry.connect(other).updateMetadata(trackId, "bafynew")).to.emit(
        registry,
        "TrackMetadataUpdated",
      );
      await expect(registry.connect(fan).acceptTrackTransfer(42n)).to.be.revertedWithCustomError(
        registry,
        "ContentRegistryUnknownTrack",
      );
    });
  });
});
