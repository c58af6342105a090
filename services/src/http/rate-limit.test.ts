import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createRateLimiter } from "./rate-limit.ts";

describe("rate limiter", () => {
  it("allows max per window per client, then says when to retry, then resets", () => {
    const limiter = createRateLimiter({ max: 2, windowMs: 10_000 });
    assert.deepEqual(limiter.take("a", 0), { allowed: true, remaining: 1 });
    assert.deepEqual(limiter.take("a", 1000), { allowed: true, remaining: 0 });
    assert.deepEqual(limiter.take("a", 2500), { allowed: false, retryAfterSeconds: 8 });
    assert.deepEqual(limiter.take("b", 2500), { allowed: true, remaining: 1 });
    assert.deepEqual(limiter.take("a", 10_000), { allowed: true, remaining: 1 });
  });
});
