/** Opening a track's package (and an exclusive one's key): loaded on Unlock or Save, not with the page. */
export { getTrackKey, openTrack } from "@harmonie/sdk";
export { readerOf } from "../../lib/wallet.ts";
