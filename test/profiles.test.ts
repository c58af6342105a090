import { expect } from "chai";
import { deployProtocol, networkHelpers } from "./fixtures.ts";

const { loadFixture } = networkHelpers;

async function withArtist() {
  const f = await deployProtocol();
  await f.profiles.connect(f.artist).register("nova_beats", "bafkreiprofile", true);
  return f;
}

describe("ArtistProfiles", () => {
  it("registers a profile with a unique handle", async () => {
    const { profiles, artist } = await loadFixture(deployProtocol);
    await expect(profiles.connect(artist).register("nova_beats", "bafkreiprofile", true))
      .to.emit(profiles, "ProfileRegistered")
      .withArgs(artist.address, "nova_beats", "bafkreiprofile", true);
    expect(await profiles.profileOf(artist.address)).to.deep.equal(["nova_beats", "bafkreiprofile", true]);
    expect(await profiles.accountOf("nova_beats")).to.equal(artist.address);
    expect(await profiles.isArtist(artist.address)).to.equal(true);
  });

  for (const handle of ["ab", "a".repeat(33), "Nova", "nova-beats", "nova beats", "növa", ""]) {
    it(`rejects the invalid handle "${handle}"`, async () => {
      const { profiles, artist } = await loadFixture(deployProtocol);
      await expect(profiles.connect(artist).register(handle, "cid", true))
        .to.be.revertedWithCustomError(profiles, "ArtistProfilesInvalidHandle")
        .withArgs(handle);
    });
  }

  it("accepts handles of 3 and 32 characters", async () => {
    const { profiles, artist, fan } = await loadFixture(deployProtocol);
    await profiles.connect(artist).register("a_1", "cid", true);
    const long = "z".repeat(32);
    await profiles.connect(fan).register(long, "cid", false);
    expect((await profiles.profileOf(fan.address)).handle).to.equal(long);
    expect(await profiles.accountOf(long)).to.equal(fan.address);
    expect(await profiles.accountOf("z".repeat(33))).to.equal("0x0000000000000000000000000000000000000000");
  });

  it("rejects taken handles, double registration and empty profiles", async () => {
    const { profiles, artist, fan } = await loadFixture(withArtist);
    await expect(profiles.connect(fan).register("nova_beats", "cid", false))
      .to.be.revertedWithCustomError(profiles, "ArtistProfilesHandleTaken")
      .withArgs("nova_beats");
    await expect(profiles.connect(artist).register("other", "cid", false))
      .to.be.revertedWithCustomError(profiles, "ArtistProfilesAlreadyRegistered")
      .withArgs(artist.address);
    await expect(profiles.connect(fan).register("fan_one", "", false)).to.be.revertedWithCustomError(
      profiles,
      "ArtistProfilesEmptyProfile",
    );
  });

  it("updates the profile document, the handle and the artist flag", async () => {
    const { profiles, artist, fan } = await loadFixture(withArtist);
    await expect(profiles.connect(artist).updateProfile("bafkreinew"))
      .to.emit(profiles, "ProfileUpdated")
      .withArgs(artist.address, "bafkreinew");
    await expect(profiles.connect(artist).updateProfile("")).to.be.revertedWithCustomError(
      profiles,
      "ArtistProfilesEmptyProfile",
    );
    await expect(profiles.connect(artist).changeHandle("nova"))
      .to.emit(profiles, "HandleChanged")
      .withArgs(artist.address, "nova_beats", "nova");
    expect(await profiles.accountOf("nova_beats")).to.equal("0x0000000000000000000000000000000000000000");
    await profiles.connect(fan).register("nova_beats", "cid", false); // the old handle is free again
    await expect(profiles.connect(artist).setArtist(false))
      .to.emit(profiles, "ArtistStatusChanged")
      .withArgs(artist.address, false);
    expect(await profiles.isArtist(artist.address)).to.equal(false);
  });

  it("requires a profile to update it, and reports unknown profiles", async () => {
    const { profiles, fan } = await loadFixture(deployProtocol);
    for (const call of [
      () => profiles.connect(fan).updateProfile("cid"),
      () => profiles.connect(fan).changeHandle("abc"),
      () => profiles.connect(fan).setArtist(true),
    ]) {
      await expect(call())
        .to.be.revertedWithCustomError(profiles, "ArtistProfilesUnknownProfile")
        .withArgs(fan.address);
    }
    await expect(profiles.profileOf(fan.address)).to.be.revertedWithCustomError(
      profiles,
      "ArtistProfilesUnknownProfile",
    );
  });

  it("follows and unfollows artists as events only", async () => {
    const { profiles, artist, fan } = await loadFixture(withArtist);
    await expect(profiles.connect(fan).follow(artist.address))
      .to.emit(profiles, "Followed")
      .withArgs(fan.address, artist.address);
    await expect(profiles.connect(fan).unfollow(artist.address))
      .to.emit(profiles, "Unfollowed")
      .withArgs(fan.address, artist.address);
    await expect(profiles.connect(artist).follow(artist.address)).to.be.revertedWithCustomError(
      profiles,
      "ArtistProfilesSelfFollow",
    );
    await expect(profiles.connect(artist).follow(fan.address))
      .to.be.revertedWithCustomError(profiles, "ArtistProfilesNotAnArtist")
      .withArgs(fan.address);
  });

  it("while paused, stops registering, updating, handle and artist changes and follows; unfollow and views stay open", async () => {
    const { profiles, artist, fan, asTimelock } = await loadFixture(withArtist);
    await profiles.connect(fan).follow(artist.address);
    await profiles.connect(asTimelock).pause();
    const stopped = [
      () => profiles.connect(fan).register("fan_one", "cid", false),
      () => profiles.connect(artist).updateProfile("bafkreinew"),
      () => profiles.connect(artist).changeHandle("nova_live"),
      () => profiles.connect(artist).setArtist(false),
      () => profiles.connect(fan).follow(artist.address),
    ];
    for (const call of stopped) {
      await expect(call()).to.be.revertedWithCustomError(profiles, "EnforcedPause");
    }
    // A fan can always drop an artist, even one whose account was taken over.
    await expect(profiles.connect(fan).unfollow(artist.address))
      .to.emit(profiles, "Unfollowed")
      .withArgs(fan.address, artist.address);
    expect(await profiles.profileOf(artist.address)).to.deep.equal(["nova_beats", "bafkreiprofile", true]);
    expect(await profiles.accountOf("nova_beats")).to.equal(artist.address);
    await profiles.connect(asTimelock).unpause();
    await expect(profiles.connect(fan).register("fan_one", "cid", false)).to.emit(profiles, "ProfileRegistered");
    await expect(profiles.connect(fan).follow(artist.address)).to.emit(profiles, "Followed");
  });
});
