/**
 * Exclusive tracks end to end: the artist deposits the track key with the key service; a listener
 * signs in with Ethereum, receives the key only if `hasAccess` holds on chain, and decrypts the audio
 * locally. Without access the listener gets an `AccessDeniedError`, never plaintext.
 */
import { getTrack, hasAccess } from "./actions/catalog.ts";
import { type DeploymentOption, type HarmonieClient, resolveDeployment } from "./actions/internal.ts";
import { signInToService } from "./auth.ts";
import { AccessDeniedError, AccountRequiredError, HarmonieError, StorageBackendError } from "./errors.ts";
import type { StorageReader } from "./storage/backend.ts";
import { decryptTrackAudio, exportTrackKey, importTrackKey } from "./storage/encryption.ts";
import type { TrackMetadata } from "./storage/metadata.ts";
import { loadStorage } from "./storage/optional.ts";
import { collect } from "./storage/types.ts";
import { serviceErrorOf } from "./protocol/http.ts";
import { type DepositKeyRequest, type TrackKeyResponse, trackKeyPath } from "./protocol/keys.ts";

export interface KeyServiceParams {
  /** The key service's base URL, e.g. `http://127.0.0.1:8790`. */
  keyService: string;
  /** The host it expects in sign-in messages; defaults to the URL's host. */
  keyServiceDomain?: string;
}

async function call(keyService: string, path: string, init: RequestInit = {}): Promise<Response> {
  try {
    return await fetch(new URL(path, keyService), init);
  } catch (cause) {
    throw new StorageBackendError(`key service ${keyService}`, "unreachable", { cause });
  }
}

async function errorOf(response: Response) {
  return (
    serviceErrorOf(await response.json().catch(() => undefined)) ?? { name: undefined, message: response.statusText }
  );
}

/** Signs in to the key service with the client's wallet and returns a session token. */
function session(client: HarmonieClient, params: KeyServiceParams): Promise<string> {
  return signInToService(client, {
    url: params.keyService,
    domain: params.keyServiceDomain,
    statement: "Unlock HarmonieCORE tracks.",
    refused: ({ message, status, cause }) =>
      status === undefined
        ? new StorageBackendError(`key service ${params.keyService}`, "unreachable", { cause })
        : new HarmonieError(`The key service refused the sign-in: ${message}`),
  });
}

/**
 * Deposits an exclusive track's key with the key service. Only the track's artist may.
 *
 * @example
 * const key = await generateTrackKey();
 * const track = await addTrackPackage(storage, { ..., encryption: { key } });
 * const { trackId } = await registerTrack(artistWallet, { ..., metadataCid: track.cid.toString(), exclusive: true });
 * await depositTrackKey(artistWallet, { trackId, key, keyService });
 */
export async function depositTrackKey(
  client: HarmonieClient,
  params: KeyServiceParams & { trackId: bigint; key: CryptoKey },
): Promise<void> {
  const token = await session(client, params);
  const key = btoa(String.fromCharCode(...(await exportTrackKey(params.key))));
  const response = await call(params.keyService, trackKeyPath(params.trackId), {
    method: "PUT",
    headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
    body: JSON.stringify({ key } satisfies DepositKeyRequest),
  });
  if (!response.ok) throw new HarmonieError(`The key service refused the key: ${(await errorOf(response)).message}`);
}

/**
 * An exclusive track's key from the key service, for a wallet with access on chain (one sign-in).
 * With it, `openEncryptedAudio` (`@harmonie/sdk/storage`) streams the audio chunk by chunk.
 *
 * @example
 * const key = await getTrackKey(fanWallet, { trackId, keyService });
 * const audio = await openEncryptedAudio(verifiedFile, key, { context: metadata.files.audio.encryption?.context });
 * @throws AccessDeniedError when the wallet holds no licence
 */
export async function getTrackKey(
  client: HarmonieClient,
  params: DeploymentOption & Partial<KeyServiceParams> & { trackId: bigint },
): Promise<CryptoKey> {
  const deployment = resolveDeployment(client, params);
  const account = client.account;
  if (!account) throw new AccountRequiredError();
  // Check on chain first: no sign-in prompt for a wallet that cannot get the key anyway.
  if (!(await hasAccess(client, { deployment, account: account.address, trackId: params.trackId }))) {
    throw new AccessDeniedError(params.trackId, account.address);
  }
  if (!params.keyService) throw new HarmonieError("This track is exclusive: pass `keyService` to unlock it.");
  const token = await session(client, params as KeyServiceParams);
  const response = await call(params.keyService, trackKeyPath(params.trackId), {
    headers: { authorization: `Bearer ${token}` },
  });
  if (!response.ok) {
    const error = await errorOf(response);
    if (error.name === "AccessDeniedError") throw new AccessDeniedError(params.trackId, account.address);
    throw new HarmonieError(`The key service could not release the key: ${error.message}`);
  }
  const { key } = (await response.json()) as TrackKeyResponse;
  return importTrackKey(Uint8Array.from(atob(key), (char) => char.charCodeAt(0)));
}

export interface OpenedTrack {
  metadata: TrackMetadata;
  /** The audio, decrypted if the track is exclusive, verified against its CID. */
  audio: Uint8Array;
  mimeType: string;
}

/**
 * Fetches a track's package from storage and returns its audio, unlocking exclusive audio through the
 * key service when the client's wallet has access.
 *
 * @example
 * const { audio, mimeType } = await openTrack(fanWallet, { trackId, storage, keyService });
 * player.src = URL.createObjectURL(new Blob([audio], { type: mimeType }));
 * @throws AccessDeniedError when the wallet holds no licence for an exclusive track
 */
export async function openTrack(
  client: HarmonieClient,
  params: DeploymentOption & Partial<KeyServiceParams> & { trackId: bigint; storage: StorageReader },
): Promise<OpenedTrack> {
  const deployment = resolveDeployment(client, params);
  const track = await getTrack(client, { deployment, trackId: params.trackId });
  // Loaded on first use: the storage packages are optional for apps that never open a track.
  const { readTrackMetadata } = await loadStorage(() => import("./storage/packages.ts"));
  const metadata = await readTrackMetadata(params.storage, track.metadataCid);
  const { path, mimeType, encryption } = metadata.files.audio;
  const stored = await collect(params.storage.cat(`${track.metadataCid}/${path}`));
  if (!encryption) return { metadata, audio: stored, mimeType };

  const key = await getTrackKey(client, { ...(params as KeyServiceParams), deployment, trackId: params.trackId });
  const audio = await decryptTrackAudio(stored, key, { context: encryption.context });
  return { metadata, audio, mimeType };
}
