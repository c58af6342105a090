/**
 * The HarmonieCORE servers as a library (the `harmonie serve` CLI starts them from flags): IPFS gateway
 * and uploads, key service, signalling, Livepeer gate and Studio client, and the HTTP kernel and
 * sign-in layer they share.
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
export { createLivepeerStudio, type LivepeerStudio, type LivepeerStudioOptions } from "./livepeer/studio.ts";
export { signPlaybackJwt, verifyPlaybackJwt, type PlaybackJwtParams } from "./livepeer/jwt.ts";
export {
  startHttpService,
  createHttpHandler,
  HttpError,
  listen,
  closeServer,
  type HttpServiceOptions,
  type Reply,
  type RunningService,
} from "./http/kernel.ts";
export { signInRoutes, exchangeSignIn, type SignInRoutes } from "./sign-in/sessions.ts";
export { serve, main, usage, UsageError, type ServiceName, type Running } from "./cli.ts";
export { startSfuService, type SfuService, type SfuServiceOptions } from "./sfu/sfu-service.ts";
export { createForwarder, type Forwarder, type ForwarderOptions } from "./sfu/forwarder.ts";
export { watchHeadless, type HeadlessViewer } from "./sfu/headless-viewer.ts";
export { createLiveAccess, LiveAccessUnavailable, type LiveAccess } from "./sign-in/live-access.ts";
