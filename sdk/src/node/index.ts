/**
 * Node-only parts of the storage module: filesystem blockstore and the
 * IPFS HTTP service. (Test stand-ins live in ./testing and are not exported.)
 */
export { openFsBlockstore, createFsBackend } from "./fs-blockstore.ts";
export {
  startIpfsService,
  createIpfsRequestHandler,
  type IpfsService,
  type IpfsServiceOptions,
} from "./http-service.ts";
export { createRateLimiter, type RateLimiter, type RateLimitOptions, type RateLimitDecision } from "./rate-limit.ts";
export { startKeyService, type KeyService, type KeyServiceOptions } from "./key-service.ts";
export { createSessionIssuer, type SessionIssuer, type SessionClaims } from "./sessions.ts";
export { startSignallingService, type SignallingService, type SignallingServiceOptions } from "./signalling-service.ts";
export {
  startLivepeerAccessControl,
  type LivepeerAccessControl,
  type LivepeerAccessControlOptions,
} from "./livepeer-access-control.ts";
