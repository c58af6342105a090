import { CORE, type LicenseTerms, type PaymentToken, paymentTokens } from "@harmonie/sdk";
import { useId } from "react";
import { parseUnits } from "viem";
import { useHarmonie } from "../../lib/harmonie.tsx";

/** A licence offer as typed in the form: strings until parsed. */
export interface OfferDraft {
  token: string;
  price: string;
  days: string;
  supplyCap: string;
  perBuyerLimit: string;
  commercialUse: boolean;
  derivativesAllowed: boolean;
}

export const NEW_OFFER: OfferDraft = {
  token: CORE,
  price: "1",
  days: "0",
  supplyCap: "0",
  perBuyerLimit: "0",
  commercialUse: false,
  derivativesAllowed: false,
};

/** The terms for the SDK, or what is wrong with the draft. */
export function parseOffer(draft: OfferDraft, token: PaymentToken): LicenseTerms | string {
  let price: bigint;
  try {
    price = parseUnits(draft.price.trim(), token.decimals);
  } catch {
    return `Enter a price in ${token.symbol}.`;
  }
  if (price < 0n) return "The price cannot be negative.";
  const whole = (text: string) => (/^\d+$/.test(text.trim()) ? Number(text.trim()) : undefined);
  const days = whole(draft.days);
  const supplyCap = whole(draft.supplyCap);
  const perBuyerLimit = whole(draft.perBuyerLimit || "0");
  if (days === undefined) return "The length is a whole number of days (0 = perpetual).";
  if (supplyCap === undefined) return "The supply cap is a whole number (0 = unlimited).";
  if (perBuyerLimit === undefined) return "The per-buyer limit is a whole number (0 = none).";
  return {
    token: token.address,
    price,
    duration: BigInt(days * 86_400),
    supplyCap,
    perBuyerLimit,
    commercialUse: draft.commercialUse,
    derivativesAllowed: draft.derivativesAllowed,
  };
}

export function useOfferToken(draft: OfferDraft): PaymentToken {
  const { deployment } = useHarmonie();
  const tokens = paymentTokens(deployment);
  return tokens.find((t) => t.address === draft.token) ?? tokens[0]!;
}

/** Price (in CORE or an allow-listed stablecoin), length, caps and use of one licence offer. */
export function OfferFields({ draft, onChange }: { draft: OfferDraft; onChange: (draft: OfferDraft) => void }) {
  const { deployment } = useHarmonie();
  const tokens = paymentTokens(deployment);
  const token = useOfferToken(draft);
  const name = useId();
  const set = (key: keyof OfferDraft) => (e: { target: { value: string; checked?: boolean; type?: string } }) =>
    onChange({ ...draft, [key]: e.target.type === "checkbox" ? !!e.target.checked : e.target.value });
  const parsed = parseOffer(draft, token);
  return (
    <>
      {tokens.length > 1 && (
        <fieldset className="token-choice">
          <legend>Licence priced in</legend>
          {tokens.map((t) => (
            <label key={t.address}>
              <input
                type="radio"
                name={`${name}-token`}
                value={t.address}
                checked={t.address === token.address}
                onChange={() => onChange({ ...draft, token: t.address })}
              />
              {t.symbol}
            </label>
          ))}
        </fieldset>
      )}
      <div className="two">
        <label>
          Licence price ({token.symbol})
          <input
            inputMode="decimal"
            value={draft.price}
            onChange={set("price")}
            aria-invalid={typeof parsed === "string" && parsed.includes("price")}
            required
          />
        </label>
        <label>
          Licence length (days, 0 = perpetual)
          <input type="number" min="0" value={draft.days} onChange={set("days")} required />
        </label>
        <label>
          Supply cap (0 = unlimited)
          <input type="number" min="0" value={draft.supplyCap} onChange={set("supplyCap")} />
        </label>
        <label>
          Per-buyer limit (optional, 0 = none)
          <input type="number" min="0" value={draft.perBuyerLimit} onChange={set("perBuyerLimit")} />
        </label>
      </div>
      <label className="check">
        <input type="checkbox" checked={draft.commercialUse} onChange={set("commercialUse")} />
        Commercial use allowed
      </label>
      <label className="check">
        <input type="checkbox" checked={draft.derivativesAllowed} onChange={set("derivativesAllowed")} />
        Derivatives (remixes, samples) allowed
      </label>
      {typeof parsed === "string" && <p className="error">{parsed}</p>}
    </>
  );
}
