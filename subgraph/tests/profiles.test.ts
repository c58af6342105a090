import { afterEach, assert, beforeEach, clearStore, describe, test } from "matchstick-as/assembly/index";
import { handleFollowed, handleProfileRegistered, handleUnfollowed } from "../src/profiles";
import { ARTIST, createFollowed, createProfileRegistered, createUnfollowed, DAY, FAN, OTHER_FAN } from "./events";

const FOLLOW = ARTIST + "-" + FAN;

describe("follows", () => {
  beforeEach(() => {
    handleProfileRegistered(createProfileRegistered(ARTIST, "nina_keys", true));
  });

  afterEach(() => {
    clearStore();
  });

  test("an artist profile creates the Artist", () => {
    assert.fieldEquals("Account", ARTIST, "handle", "nina_keys");
    assert.fieldEquals("Account", ARTIST, "isArtist", "true");
    assert.fieldEquals("Account", ARTIST, "artist", ARTIST);
    assert.fieldEquals("Artist", ARTIST, "followerCount", "0");
  });

  test("a follow is counted once", () => {
    handleFollowed(createFollowed(FAN, ARTIST));
    handleFollowed(createFollowed(FAN, ARTIST)); // the contract does not reject repeats
    handleFollowed(createFollowed(OTHER_FAN, ARTIST));

    assert.entityCount("Follow", 2);
    assert.fieldEquals("Follow", FOLLOW, "follower", FAN);
    assert.fieldEquals("Artist", ARTIST, "followerCount", "2");
    assert.fieldEquals("ArtistDailyStats", ARTIST + "-" + DAY, "newFollowers", "2");
    assert.fieldEquals("ArtistDailyStats", ARTIST + "-" + DAY, "followerCount", "2");
  });

  test("an unfollow removes the follow and decrements the count", () => {
    handleFollowed(createFollowed(FAN, ARTIST));
    handleUnfollowed(createUnfollowed(FAN, ARTIST));
    handleUnfollowed(createUnfollowed(FAN, ARTIST)); // nothing left to undo

    assert.notInStore("Follow", FOLLOW);
    assert.fieldEquals("Artist", ARTIST, "followerCount", "0");
    assert.fieldEquals("ArtistDailyStats", ARTIST + "-" + DAY, "followerCount", "0");
  });
});
