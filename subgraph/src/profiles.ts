import { store } from "@graphprotocol/graph-ts";
import {
  ArtistStatusChanged,
  Followed,
  HandleChanged,
  Paused,
  ProfileRegistered,
  ProfileUpdated,
  Unfollowed,
  Unpaused,
} from "../generated/ArtistProfiles/ArtistProfiles";
import { Artist, Follow } from "../generated/schema";
import { loadArtistDailyStats, loadOrCreateAccount, loadOrCreateArtist, recordPauseChange } from "./utils";

// ArtistProfiles: handles, profile documents, the artist flag, and follows (events only on chain).

export function handleProfileRegistered(event: ProfileRegistered): void {
  let account = loadOrCreateAccount(event.params.account);
  account.handle = event.params.handle;
  account.profileCid = event.params.profileCid;
  account.isArtist = event.params.isArtist;
  account.profileRegisteredAt = event.block.timestamp;
  account.save();
  // After saving the account: the artist loader links it to the new Artist and saves it again.
  if (event.params.isArtist) loadOrCreateArtist(event.params.account);
}

export function handleProfileUpdated(event: ProfileUpdated): void {
  let account = loadOrCreateAccount(event.params.account);
  account.profileCid = event.params.profileCid;
  account.save();
}

export function handleHandleChanged(event: HandleChanged): void {
  let account = loadOrCreateAccount(event.params.account);
  account.handle = event.params.newHandle;
  account.save();
}

export function handleArtistStatusChanged(event: ArtistStatusChanged): void {
  let account = loadOrCreateAccount(event.params.account);
  account.isArtist = event.params.isArtist;
  account.save();
  // An Artist keeps its history when the flag is dropped; it is only created here.
  if (event.params.isArtist) loadOrCreateArtist(event.params.account);
}

export function handleFollowed(event: Followed): void {
  let artist = loadOrCreateArtist(event.params.artist);
  let follower = loadOrCreateAccount(event.params.follower);
  let id = artist.id + "-" + follower.id;
  // The contract stores nothing, so repeat follows are possible: count each pair once.
  if (Follow.load(id) != null) return;

  let follow = new Follow(id);
  follow.artist = artist.id;
  follow.follower = follower.id;
  follow.createdAt = event.block.timestamp;
  follow.save();

  artist.followerCount += 1;
  artist.save();

  let artistDay = loadArtistDailyStats(artist, event);
  artistDay.newFollowers += 1;
  artistDay.save();
}

export function handleUnfollowed(event: Unfollowed): void {
  let id = event.params.artist.toHexString() + "-" + event.params.follower.toHexString();
  // Unfollowing without following is possible on chain; nothing to undo then.
  if (Follow.load(id) == null) return;
  store.remove("Follow", id);

  let artist = Artist.load(event.params.artist.toHexString())!;
  artist.followerCount -= 1;
  artist.save();

  let artistDay = loadArtistDailyStats(artist, event);
  artistDay.save(); // refreshes the day's follower count
}

export function handlePaused(event: Paused): void {
  recordPauseChange(event, "PROFILES", true, event.params.account);
}

export function handleUnpaused(event: Unpaused): void {
  recordPauseChange(event, "PROFILES", false, event.params.account);
}
