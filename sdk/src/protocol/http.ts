/**
 * The error body every HarmonieCORE service (IPFS gateway, key service, signalling's HTTP side,
 * Livepeer gate) answers with, so one client-side reader understands them all:
 *
 *   { "error": { "name": "NotFoundError", "message": "…", "limitBytes"?: 1048576, "retryAfterSeconds"?: 30 } }
 *
 * `name` is stable (clients branch on it); `message` is for people and never holds a secret, an
 * internal URL or a stack.
 */

/** Stable error names. Where an SDK error class fits, the name is that class's name. */
export type ServiceErrorName =
  /** Malformed request: not JSON, a missing field, bad percent-encoding. */
  | "BadRequest"
  /** Input the SDK would refuse too (same names as the SDK's classes). */
  | "InvalidInputError"
  | "InvalidCidError"
  /** No session token (or access key), or one this server did not issue or that expired. */
  | "SignInRequired"
  /** A Sign-In with Ethereum exchange was refused: unknown or reused nonce, wrong domain, bad signature. */
  | "SignInError"
  /** Signed in, but this wallet may not do this (e.g. deposit the key of another artist's track). */
  | "Forbidden"
  /** The wallet holds no licence for the track or session. */
  | "AccessDeniedError"
  /** Content, key or track not found. */
  | "NotFoundError"
  | "RouteNotFound"
  | "MethodNotAllowed"
  /** An upload over the service's limit (`limitBytes`). */
  | "UploadTooLargeError"
  /** A JSON body over the service's limit (`limitBytes`). */
  | "BodyTooLarge"
  /** Too many requests from this client (`retryAfterSeconds`). */
  | "RateLimited"
  /** The chain (RPC) could not be read. */
  | "ChainUnavailable"
  /** Livepeer Studio could not be reached, or refused the server's request (the message says which). */
  | "LivepeerUnavailable"
  /** The on-chain session named is not the caller's open session for this stream (artist, playback id). */
  | "SessionMismatch"
  | "InternalError";

export interface ServiceError {
  name: ServiceErrorName;
  message: string;
  /** `UploadTooLargeError`, `BodyTooLarge`: the limit. */
  limitBytes?: number;
  /** `RateLimited`: when to try again. */
  retryAfterSeconds?: number;
}

export interface ServiceErrorBody {
  error: ServiceError;
}

/**
 * The structured error of a service's answer body, or undefined when the body is not one.
 *
 * @example
 * const error = serviceErrorOf(await response.json().catch(() => undefined));
 * if (error?.name === "UploadTooLargeError") console.log(error.limitBytes);
 */
export function serviceErrorOf(body: unknown): ServiceError | undefined {
  const error = (body as { error?: unknown } | null | undefined)?.error as Partial<ServiceError> | undefined;
  if (typeof error !== "object" || error === null) return undefined;
  if (typeof error.name !== "string" || typeof error.message !== "string") return undefined;
  return error as ServiceError;
}
