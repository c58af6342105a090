/** The fiat estimate's reading of a CoinGecko `/simple/price` answer, and its wording. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { parseEther, parseUnits } from "viem";
import { estimateOf, priceFrom } from "../src/lib/fiat.ts";

const NOW = 1_764_850_000;

test("a price is read for the asked coin and currency only, and refused when stale or malformed", () => {
  const body = { coredaoorg: { usd: 0.52, eur: 0.48, last_updated_at: NOW - 120 }, "usd-coin": { usd: 1 } };
  assert.deepEqual(priceFrom(body, "coredaoorg", "usd", NOW), { price: 0.52 });
  assert.deepEqual(priceFrom(body, "coredaoorg", "eur", NOW), { price: 0.48 });
  assert.deepEqual(priceFrom(body, "usd-coin", "usd", NOW), { price: 1 }, "no last_updated_at: taken as fresh");
  assert.deepEqual(priceFrom(body, "coredaoorg", "gbp", NOW), { unknown: "no price" });
  assert.deepEqual(priceFrom(body, "tether", "usd", NOW), { unknown: "no price" });
  assert.deepEqual(
    priceFrom({}, "coredaoorg", "usd", NOW),
    { unknown: "no price" },
    "CoinGecko's answer for an unknown id",
  );
  // An hour is the limit: CoinGecko refreshes every minute.
  assert.deepEqual(priceFrom({ c: { usd: 2, last_updated_at: NOW - 3600 } }, "c", "usd", NOW), { price: 2 });
  assert.deepEqual(priceFrom({ c: { usd: 2, last_updated_at: NOW - 3601 } }, "c", "usd", NOW), { unknown: "stale" });
  for (const bad of ["0.52", -1, Number.NaN, null, { value: 1 }])
    assert.deepEqual(priceFrom({ c: { usd: bad } }, "c", "usd", NOW), { unknown: "no price" }, JSON.stringify(bad));
  assert.deepEqual(priceFrom(null, "c", "usd", NOW), { unknown: "no price" });
  assert.deepEqual(priceFrom({ c: { usd: 0 } }, "c", "usd", NOW), { price: 0 });
});

test("an estimate is the amount in its token's decimals times the price, in the currency's format", () => {
  assert.equal(estimateOf(parseEther("10"), 18, 0.52, "usd", "en-US"), "≈ $5.20");
  assert.equal(estimateOf(parseEther("1"), 18, 0.52, "usd", "en-US"), "≈ $0.52");
  assert.equal(estimateOf(parseEther("0.5"), 18, 0.52, "usd", "en-US"), "≈ $0.26");
  assert.equal(estimateOf(parseUnits("10", 6), 6, 0.9998, "usd", "en-US"), "≈ $10.00", "a 6-decimal stablecoin");
  assert.equal(
    estimateOf(parseEther("1234"), 18, 0.5, "eur", "de-DE"),
    "≈ 617,00\u00a0€",
    "a no-break space before the euro sign",
  );
  assert.equal(
    estimateOf(parseEther("2"), 18, 0.000_008_1, "btc", "en-US"),
    "≈ 0.0000162 BTC",
    "not ISO 4217: by its code",
  );
});
