/**
 * Node-only parts of the storage module: filesystem blockstore and the
 * IPFS HTTP service. (Test stand-ins live in ./testing and are not exported.)
 */
export { openFsBlockstore, createFsBackend } from "./ipfs/fs-blockstore.ts";
export {
  startIpfsService,
  createIpfsRequestHandler,
  type IpfsService,
  type IpfsServiceOptions,
} from "./ipfs/gateway.ts";
export {
  createRateLimiter,
  type RateLimiter,
  type RateLimitOptions,
  type RateLimitDecision,
} from "./http/rate-limit.ts";
export { startKeyService, type KeyService, type KeyServiceOptions } from "./keys/key-service.ts";
export { createSessionIssuer, type SessionIssuer, type SessionClaims } from "./sign-in/sessions.ts";
export {
  startSignallingService,
  type SignallingService,
  type SignallingServiceOptions,
} from "./signalling/signalling-service.ts";
export {
  startLivepeerAccessControl,
  type LivepeerAccessControl,
  type LivepeerAccessControlOptions,
} from "./livepeer/access-control.ts";
