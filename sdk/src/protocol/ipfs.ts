/**
 * The IPFS service's wire protocol beyond the Trustless Gateway (`GET /ipfs/<cid>[/path]`, raw blocks
 * and CARs: https://specs.ipfs.tech/http-gateways/trustless-gateway/):
 *
 *   POST /upload[?wrap=true]   multipart/form-data (a part per file) or a raw body → UploadResponse
 *   POST /pin/<cid>            → PinResponse (the DAG must be complete)
 *   GET  /health               → IpfsServiceHealth
 *
 * Errors: `InvalidCidError`, `InvalidInputError`, `BadRequest` (400), `NotFoundError` (404),
 * `UploadTooLargeError` (413, with `limitBytes`), `RateLimited` (429, with `retryAfterSeconds`).
 */
export interface UploadResponse {
  /** Root CID (a directory when more than one file or `wrap=true`). */
  cid: string;
  files: { path: string; cid: string; size: number }[];
}

export interface PinResponse {
  pinned: string;
}

export interface IpfsServiceHealth {
  ok: true;
  service: "ipfs";
}
