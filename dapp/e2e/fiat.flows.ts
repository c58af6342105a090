/**
 * The fiat estimate beside tip amounts, with a price source configured (CoinGecko's `/simple/price`,
 * here its stand-in): the estimate follows the amount and the token, and says so in words when the
 * source is stale or does not answer. Without `fiat` in config.json nothing is shown or asked.
 */
import { after, test } from "node:test";
import assert from "node:assert/strict";
import { startCoinGeckoStandIn, type CoinGeckoStandIn } from "../../testkit/src/stand-ins/coingecko.ts";
import { DIST, openAs, shot, site, stack } from "./harness.ts";
import { serveDist } from "./serve.ts";

let standIn: CoinGeckoStandIn | undefined;
let priced: { url: string; stop(): Promise<void> } | undefined;

after(async () => {
  await priced?.stop();
  await standIn?.close();
});

test("tip form with a price source: the estimate follows the amount and the token; a stale or silent source is said in words; none without one", async () => {
  standIn = await startCoinGeckoStandIn();
  standIn.setPrice("coredaoorg", "usd", 0.52);
  standIn.setPrice("usd-coin", "usd", 0.9998);
  priced = await serveDist(DIST, { ...stack.dappConfig, fiat: { priceApiUrl: standIn.apiUrl, currency: "usd" } });

  const { page } = await openAs(11);
  await page.goto(`${priced.url}/@nova`);
  const form = page.locator("form.tip-form");
  const estimate = form.getByTestId("tip-fiat");
  await estimate.getByText("≈ $0.52", { exact: true }).waitFor(); // the default 1 CORE
  await form.getByRole("button", { name: "10 CORE" }).click();
  await estimate.getByText("≈ $5.20", { exact: true }).waitFor();
  await form.getByLabel("Amount (CORE)").fill("2.5");
  await estimate.getByText("≈ $1.30", { exact: true }).waitFor();
  await form.getByLabel("Amount (CORE)").fill("2.5.");
  await estimate.waitFor({ state: "detached" }); // not an amount: no estimate
  await form.getByLabel("Amount (CORE)").fill("2.5");
  await form.getByRole("radio", { name: "USDC" }).check();
  await estimate.getByText("≈ $2.50", { exact: true }).waitFor(); // 2.5 USDC at 0.9998
  assert.match((await form.getByLabel("Amount (USDC)").getAttribute("aria-describedby")) ?? "", /tip-fiat/);
  await shot(page, "tip-fiat");

  // A price CoinGecko last updated two hours ago is no estimate.
  standIn.setPrice("coredaoorg", "usd", 0.52, new Date(Date.now() - 2 * 3600_000));
  await page.reload();
  await estimate.getByText("No USD estimate right now: the price source's last rate is over an hour old.").waitFor();

  // Rate limited (the first try and the retry): said, not guessed.
  standIn.setPrice("coredaoorg", "usd", 0.52);
  standIn.failNext(429, 2);
  await page.reload();
  await estimate.getByText("No USD estimate right now: the price source did not answer.").waitFor();

  // The deployment without `fiat`: no estimate line, and the price source is never asked.
  const asked = standIn.requests();
  await page.goto(`${site.url}/@nova`);
  await form
    .getByTestId("tip-minimum")
    .getByText(/Minimum tip: \d/)
    .waitFor();
  assert.equal(await estimate.count(), 0);
  assert.equal(standIn.requests(), asked);
});
