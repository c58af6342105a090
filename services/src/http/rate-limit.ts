/**
 * Fixed-window request limiter, keyed per client (e.g. remote address).
 * In-process only: one service instance, no shared state across processes.
 */

export interface RateLimitOptions {
  /** Requests allowed per client and window. */
  max: number;
  /** Window length in milliseconds. */
  windowMs: number;
}

export type RateLimitDecision = { allowed: true; remaining: number } | { allowed: false; retryAfterSeconds: number };

export interface RateLimiter {
  take: (client: string, now?: number) => RateLimitDecision;
}

/**
 * Creates a limiter; `take` counts one request and says whether it may proceed.
 *
 * @example
 * ```ts
 * const limiter = createRateLimiter({ max: 30, windowMs: 60_000 })
 * const d = limiter.take(req.socket.remoteAddress ?? '?')
 * if (!d.allowed) res.setHeader('retry-after', d.retryAfterSeconds)
 * ```
 */
export function createRateLimiter({ max, windowMs }: RateLimitOptions): RateLimiter {
  const windows = new Map<string, { start: number; count: number }>();
  let lastSweep = 0;
  return {
    take(client, now = Date.now()) {
      // Forget finished windows now and then so memory stays bounded.
      if (now - lastSweep > windowMs) {
        for (const [key, w] of windows) if (now - w.start >= windowMs) windows.delete(key);
        lastSweep = now;
      }
      let w = windows.get(client);
      if (w === undefined || now - w.start >= windowMs) {
        w = { start: now, count: 0 };
        windows.set(client, w);
      }
      if (w.count >= max)
        return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((w.start + windowMs - now) / 1000)) };
      w.count++;
      return { allowed: true, remaining: max - w.count };
    },
  };
}
