import {
  type TrackApproval,
  depositTrackKey,
  formatIsrc,
  formatRegistrantCode,
  getRegistrant,
  isValidIsrc,
  registerTrack,
  registrantCodeOf,
  protocolLimits,
} from "@harmonie/sdk";
import { useQuery } from "@tanstack/react-query";
import { isAddressEqual } from "viem";
import { addTrackPackage, generateTrackKey } from "@harmonie/sdk/storage";
import { type FormEvent, useState } from "react";
import { Link } from "react-router";
import { useHarmonie } from "../../lib/harmonie.tsx";
import { Account } from "../../lib/people.tsx";
import { useReader, useWallet } from "../../lib/wallet.ts";
import { TxStatus, useTx } from "../../lib/tx.tsx";
import { NEW_OFFER, type OfferDraft, OfferFields, parseOffer, useOfferToken } from "./OfferFields.tsx";

/** Reads an audio file's length with the browser's own decoder. */
function audioDuration(file: File): Promise<number> {
  return new Promise((resolve) => {
    const audio = new Audio();
    const url = URL.createObjectURL(file);
    audio.preload = "metadata";
    audio.onloadedmetadata = () => {
      URL.revokeObjectURL(url);
      resolve(Number.isFinite(audio.duration) ? Math.round(audio.duration * 10) / 10 : 0);
    };
    audio.onerror = () => resolve(0);
    audio.src = url;
  });
}

export function TrackForm({ account }: { account: `0x${string}` }) {
  const { deployment, storage, keyServiceUrl } = useHarmonie();
  const wallet = useWallet();
  const reader = useReader();
  const tx = useTx();
  const [fields, setFields] = useState({
    title: "",
    artist: "",
    isrc: "",
    genre: "",
    licence: "Personal listening only",
    duration: "",
  });
  const [offer, setOffer] = useState<OfferDraft>(NEW_OFFER);
  const offerToken = useOfferToken(offer);
  const terms = parseOffer(offer, offerToken);
  const [audio, setAudio] = useState<File>();
  const [cover, setCover] = useState<File>();
  const [exclusive, setExclusive] = useState(false);
  const [progress, setProgress] = useState<{ bytes: number; total: number }>();
  const [registered, setRegistered] = useState<string>();
  const set = (name: keyof typeof fields) => (e: { target: { value: string } }) =>
    setFields((f) => ({ ...f, [name]: e.target.value }));

  // Validated as you type; the SDK sends the canonical form (no hyphens, uppercase).
  const isrcOk = isValidIsrc(fields.isrc);
  const isrcHint =
    fields.isrc === ""
      ? "e.g. US-RC1-76-07839"
      : isrcOk
        ? `✓ ${formatIsrc(fields.isrc, { hyphens: true })}`
        : "Not a valid ISRC: CC-XXX-YY-NNNNN (country, registrant, year, number)";
  // Under a label's registrant code, registering needs the label's signed approval.
  const registrant = useQuery({
    queryKey: ["registrant", isrcOk ? registrantCodeOf(fields.isrc) : ""],
    enabled: isrcOk,
    queryFn: async () => (await getRegistrant(reader, { deployment, isrc: fields.isrc })) ?? null,
  });
  const label = registrant.data && !isAddressEqual(registrant.data, account) ? registrant.data : undefined;
  const [approvalText, setApprovalText] = useState("");
  const approval = label ? readApproval(approvalText, fields.isrc, account) : undefined;
  const ready =
    !!wallet &&
    isrcOk &&
    !!audio &&
    !!cover &&
    typeof terms !== "string" &&
    Number(fields.duration) > 0 &&
    (!label || typeof approval === "object");

  async function chooseAudio(file: File | undefined) {
    setAudio(file);
    if (file) setFields((f) => ({ ...f, duration: String(f.duration || "") }));
    if (file) {
      const seconds = await audioDuration(file);
      if (seconds > 0) setFields((f) => ({ ...f, duration: String(seconds) }));
    }
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!ready || typeof terms === "string") return;
    setRegistered(undefined);
    const isrc = formatIsrc(fields.isrc);
    const result = await tx.run("Upload and register track", async () => {
      const key = exclusive ? await generateTrackKey() : undefined;
      const total = audio.size + cover.size;
      setProgress({ bytes: 0, total });
      const added = await addTrackPackage(
        await storage(),
        {
          metadata: {
            title: fields.title,
            artist: fields.artist,
            isrc,
            durationSeconds: Number(fields.duration),
            genre: fields.genre,
            licence: { summary: fields.licence },
          },
          audio: { content: audio },
          cover: { content: cover },
          ...(key ? { encryption: { key } } : {}),
        },
        { onProgress: (p) => setProgress({ bytes: Math.min(p.bytes, total), total }) },
      );
      const registered = await registerTrack(wallet, {
        deployment,
        isrc,
        metadataCid: added.cid.toString(),
        exclusive,
        splits: [{ recipient: account, bps: protocolLimits.ContentRegistry.BPS }],
        offers: [terms],
        ...(typeof approval === "object" ? { approval } : {}),
      });
      // The key service releases the key only to licence holders; it must have it before anyone buys.
      if (key) {
        if (!keyServiceUrl) throw new Error("No key service is configured: exclusive tracks cannot be unlocked.");
        await depositTrackKey(wallet, { trackId: registered.trackId, key, keyService: keyServiceUrl });
      }
      return registered;
    });
    if (result) setRegistered(isrc);
  }

  return (
    <form className="panel form" onSubmit={submit} aria-labelledby="track-heading">
      <h2 id="track-heading">Publish a track</h2>
      <div className="two">
        <label>
          Title
          <input value={fields.title} onChange={set("title")} required maxLength={200} />
        </label>
        <label>
          Artist name
          <input value={fields.artist} onChange={set("artist")} required maxLength={200} />
        </label>
        <label>
          ISRC
          <input
            value={fields.isrc}
            onChange={set("isrc")}
            aria-invalid={fields.isrc !== "" && !isrcOk}
            aria-describedby="isrc-help"
            autoCapitalize="characters"
            spellCheck={false}
            required
          />
          <span id="isrc-help" className={fields.isrc !== "" && !isrcOk ? "error" : "muted"} data-testid="isrc-help">
            {isrcHint}
          </span>
        </label>
        {label && (
          <label>
            Approval from the label
            <textarea
              rows={2}
              value={approvalText}
              onChange={(e) => setApprovalText(e.target.value)}
              aria-invalid={approvalText !== "" && typeof approval === "string"}
              aria-describedby="approval-help"
              spellCheck={false}
            />
            <span id="approval-help" className={typeof approval === "string" && approvalText ? "error" : "muted"}>
              {approvalText && typeof approval === "string" ? (
                approval
              ) : (
                <>
                  Registrant code {formatRegistrantCode(registrantCodeOf(fields.isrc), { hyphens: true })} belongs to{" "}
                  <Account address={label} />: paste the approval they signed for this ISRC and your address (Studio →
                  “For labels”).
                </>
              )}
            </span>
          </label>
        )}
        <label>
          Genre
          <input value={fields.genre} onChange={set("genre")} required maxLength={64} />
        </label>
        <label>
          Audio file
          <input type="file" accept="audio/*" required onChange={(e) => chooseAudio(e.target.files?.[0])} />
        </label>
        <label>
          Duration (seconds)
          <input inputMode="decimal" value={fields.duration} onChange={set("duration")} required />
        </label>
        <label>
          Cover image
          <input
            type="file"
            accept="image/png,image/jpeg,image/webp,image/avif"
            required
            onChange={(e) => setCover(e.target.files?.[0])}
          />
        </label>
        <label>
          Licence terms (summary)
          <input value={fields.licence} onChange={set("licence")} required maxLength={500} />
        </label>
      </div>
      <h3>First licence offer</h3>
      <OfferFields draft={offer} onChange={setOffer} />
      <label className="check">
        <input type="checkbox" checked={exclusive} onChange={(e) => setExclusive(e.target.checked)} />
        Exclusive: encrypt the audio; only licence holders can play it
      </label>
      <button type="submit" disabled={!ready || tx.busy}>
        Upload and register
      </button>
      {progress && tx.busy && (
        <label className="progress">
          Upload
          <progress max={progress.total} value={progress.bytes} />
          {Math.round((progress.bytes / Math.max(progress.total, 1)) * 100)}%
        </label>
      )}
      <TxStatus state={tx.state} />
      {registered && (
        <p>
          Published: <Link to={`/track/${registered}`}>open the track page</Link>
        </p>
      )}
    </form>
  );
}

/** A label's approval as its Studio shows it (see Labels.tsx), checked against this ISRC and artist. */
export function readApproval(text: string, isrc: string, artist: `0x${string}`): TrackApproval | string {
  let value: { isrc?: string; artist?: string; deadline?: string; signature?: string };
  try {
    value = JSON.parse(text);
  } catch {
    return "Paste the approval exactly as the label sent it.";
  }
  if (!value.signature?.startsWith("0x") || !/^\d+$/.test(value.deadline ?? ""))
    return "This approval has no signature or deadline.";
  if (!value.isrc || formatIsrc(value.isrc) !== formatIsrc(isrc)) return "This approval is for another ISRC.";
  if (!value.artist || !isAddressEqual(value.artist as `0x${string}`, artist))
    return "This approval is for another artist's address.";
  if (BigInt(value.deadline!) * 1000n < BigInt(Date.now())) return "This approval has expired: ask for a new one.";
  return { deadline: BigInt(value.deadline!), signature: value.signature as `0x${string}` };
}
