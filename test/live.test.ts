import { expect } from "chai";
import { deployProtocol, ethers, ISRC, ISRC_2, networkHelpers, trackInput } from "./fixtures.ts";

const { loadFixture, time } = networkHelpers;

describe("LiveStreams", () => {
  it("opens sessions with increasing ids and closes them with the peak audience", async () => {
    const { liveStreams, artist } = await loadFixture(deployProtocol);
    expect(await liveStreams.nextStreamId()).to.equal(1n);
    await expect(liveStreams.connect(artist).openSession("Friday set", "playback-1", 0n))
      .to.emit(liveStreams, "SessionOpened")
      .withArgs(1n, artist.address, 0n, "Friday set", "playback-1");
    const openedAt = BigInt(await time.latest());
    await liveStreams.connect(artist).openSession("Saturday set", "playback-2", 0n);
    expect(await liveStreams.nextStreamId()).to.equal(3n);
    await expect(liveStreams.connect(artist).closeSession(1n, 250))
      .to.emit(liveStreams, "SessionClosed")
      .withArgs(1n, artist.address, 250n);
    const session = await liveStreams.sessionOf(1n);
    expect([session.artist, session.gatingTrackId, session.openedAt, session.peakViewers]).to.deep.equal([
      artist.address,
      0n,
      openedAt,
      250n,
    ]);
    expect(session.closedAt).to.equal(BigInt(await time.latest()));
  });

  it("rejects bad titles and unknown gating tracks", async () => {
    const { liveStreams, artist } = await loadFixture(deployProtocol);
    await expect(liveStreams.connect(artist).openSession("", "p", 0n))
      .to.be.revertedWithCustomError(liveStreams, "LiveStreamsInvalidTitle")
      .withArgs(0n, 200n);
    await expect(liveStreams.connect(artist).openSession("x".repeat(201), "p", 0n))
      .to.be.revertedWithCustomError(liveStreams, "LiveStreamsInvalidTitle")
      .withArgs(201n, 200n);
    await expect(liveStreams.connect(artist).openSession("Set", "p", 77n))
      .to.be.revertedWithCustomError(liveStreams, "LiveStreamsUnknownTrack")
      .withArgs(77n);
  });

  it("lets only the session's artist close it, once", async () => {
    const { liveStreams, artist, fan } = await loadFixture(deployProtocol);
    await liveStreams.connect(artist).openSession("Set", "p", 0n);
    await expect(liveStreams.connect(fan).closeSession(1n, 1))
      .to.be.revertedWithCustomError(liveStreams, "LiveStreamsNotSessionArtist")
      .withArgs(1n, fan.address);
    await liveStreams.connect(artist).closeSession(1n, 1);
    await expect(liveStreams.connect(artist).closeSession(1n, 1))
      .to.be.revertedWithCustomError(liveStreams, "LiveStreamsSessionClosed")
      .withArgs(1n);
    await expect(liveStreams.connect(artist).closeSession(9n, 1))
      .to.be.revertedWithCustomError(liveStreams, "LiveStreamsUnknownSession")
      .withArgs(9n);
    await expect(liveStreams.sessionOf(9n)).to.be.revertedWithCustomError(liveStreams, "LiveStreamsUnknownSession");
  });

  it("admits only licence holders to a gated session", async () => {
    const { liveStreams, registry, artist, collaborator, fan, other } = await loadFixture(deployProtocol);
    await registry.connect(artist).registerTrack(trackInput(artist.address, collaborator.address));
    const trackId = await registry.trackIdOf(ISRC);
    await expect(liveStreams.connect(artist).openSession("Members only", "p", trackId))
      .to.emit(liveStreams, "SessionOpened")
      .withArgs(1n, artist.address, trackId, "Members only", "p");
    await liveStreams.connect(artist).openSession("Open", "p2", 0n);
    expect(await liveStreams.canWatch(fan.address, 1n)).to.equal(false);
    expect(await liveStreams.canWatch(other.address, 2n)).to.equal(true);
    await registry.connect(fan).purchaseLicense(trackId, 0n, ethers.ZeroAddress, { value: ethers.parseEther("1") });
    expect(await liveStreams.canWatch(fan.address, 1n)).to.equal(true);
  });

  it("accepts as a gate only an exclusive track the artist is the artist or a collaborator of", async () => {
    const { liveStreams, registry, artist, collaborator, other } = await loadFixture(deployProtocol);
    await registry.connect(artist).registerTrack(trackInput(artist.address, collaborator.address));
    const trackId = await registry.trackIdOf(ISRC);
    // Someone else's catalogue.
    await expect(liveStreams.connect(other).openSession("Not mine", "p", trackId))
      .to.be.revertedWithCustomError(liveStreams, "LiveStreamsNotRightsHolder")
      .withArgs(trackId, other.address);
    // A collaborator on the track may gate their own show with it.
    await expect(liveStreams.connect(collaborator).openSession("Guest set", "p", trackId)).to.emit(
      liveStreams,
      "SessionOpened",
    );
    // An open track would let everyone in.
    await registry
      .connect(artist)
      .registerTrack(trackInput(artist.address, collaborator.address, { isrc: ISRC_2, exclusive: false }));
    const openTrack = await registry.trackIdOf(ISRC_2);
    await expect(liveStreams.connect(artist).openSession("Open gate", "p", openTrack))
      .to.be.revertedWithCustomError(liveStreams, "LiveStreamsGateNotExclusive")
      .withArgs(openTrack);
  });

  it("while paused, opens no session but lets a running one close and record its audience", async () => {
    const { liveStreams, artist, fan, asTimelock } = await loadFixture(deployProtocol);
    await liveStreams.connect(artist).openSession("Running set", "p", 0n);
    await liveStreams.connect(asTimelock).pause();
    await expect(liveStreams.connect(artist).openSession("Set", "p", 0n)).to.be.revertedWithCustomError(
      liveStreams,
      "EnforcedPause",
    );
    expect(await liveStreams.canWatch(fan.address, 1n)).to.equal(true);
    await expect(liveStreams.connect(artist).closeSession(1n, 42))
      .to.emit(liveStreams, "SessionClosed")
      .withArgs(1n, artist.address, 42n);
    expect((await liveStreams.sessionOf(1n)).peakViewers).to.equal(42n);
  });

  it("refuses a zero registry", async () => {
    const { liveStreams, timelock, governor } = await loadFixture(deployProtocol);
    const factory = await ethers.getContractFactory("LiveStreams");
    await expect(
      factory.deploy(await timelock.getAddress(), await governor.getAddress(), ethers.ZeroAddress),
    ).to.be.revertedWithCustomError(liveStreams, "GovernedZeroAddress");
  });
});
