/** The signalling service alone in its own process, so the benchmark measures its memory only. */
import { readFileSync } from "node:fs";
import { createSessionIssuer } from "../../../services/src/sign-in/sessions.ts";
import { startSignallingService } from "../../../services/src/signalling/signalling-service.ts";

const service = await startSignallingService({
  rpcUrl: process.env.RPC_URL!,
  deployment: JSON.parse(readFileSync(process.env.DEPLOYMENT_FILE!, "utf8")),
  sessions: createSessionIssuer({ secret: Buffer.from(process.env.SESSION_SECRET!, "hex") }),
  rateLimit: { perSecond: 1000, burst: 1000 },
  // Every simulated fan connects from 127.0.0.1 and joins twice.
  joinRateLimit: { perIp: { max: 1_000_000, windowMs: 60_000 } },
});
process.stdout.write(`${service.url}\n`);
process.once("SIGTERM", async () => {
  await service.close();
  process.exit(0);
});
