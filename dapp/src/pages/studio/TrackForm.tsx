import {
  type TrackApproval,
  ContractError,
  depositTrackKey,
  formatIsrc,
  formatRegistrantCode,
  getRegistrant,
  getTrack,
  isValidIsrc,
  registerTrack,
  registrantCodeOf,
  protocolLimits,
  trackIdFromIsrc,
} from "@harmonie/sdk";
import { useQuery } from "@tanstack/react-query";
import { isAddressEqual } from "viem";
import { addTrackPackage, generateTrackKey } from "@harmonie/sdk/storage";
import { type FormEvent, type ReactNode, useState } from "react";
import { Link } from "react-router";
import { useHarmonie } from "../../lib/harmonie.tsx";
import { Account } from "../../lib/people.tsx";
import { Name } from "../../lib/text.tsx";
import { useReader, useWallet } from "../../lib/wallet.ts";
import { TxStatus, useTx } from "../../lib/tx.tsx";
import { durationOf } from "../../lib/licensing.ts";
import { NEW_OFFER, type OfferDraft, OfferFields, parseOffer, useOfferToken } from "./OfferFields.tsx";
import { DropZone, type Picked, useObjectUrl } from "./upload/DropZone.tsx";
import { sizeOf } from "./upload/formats.ts";
import { ISRC_LENGTH, checkIsrc, isrcParts } from "./upload/isrc.ts";
import { type PublishProgress, PublishSteps } from "./upload/PublishSteps.tsx";
import { publishing } from "./upload/transport.ts";
import { amountOf } from "../../lib/format.ts";

/** Reads an audio file's length with the browser's own decoder (0 when it cannot). */
export function audioDuration(file: File): Promise<number> {
  return new Promise((resolve) => {
    const audio = new Audio();
    const url = URL.createObjectURL(file);
    audio.preload = "metadata";
    audio.onloadedmetadata = () => {
      URL.revokeObjectURL(url);
      resolve(Number.isFinite(audio.duration) ? Math.round(audio.duration * 10) / 10 : 0);
    };
    audio.onerror = () => {
      URL.revokeObjectURL(url);
      resolve(0);
    };
    audio.src = url;
  });
}

/** "3:25", "1.5 s": a track's length. */
export function lengthOf(seconds: number): string {
  if (!(seconds > 0)) return "no length yet";
  if (seconds < 60) return `${Math.round(seconds * 10) / 10} s`;
  const whole = Math.round(seconds);
  return `${Math.floor(whole / 60)}:${String(whole % 60).padStart(2, "0")}`;
}

type StepId = "isrc" | "files" | "details" | "review";

/** Scrolls a step into view and puts the keyboard at its start. */
function goTo(step: StepId) {
  const section = document.getElementById(`upload-step-${step}`);
  section?.scrollIntoView({ block: "start", behavior: "smooth" });
  section?.querySelector<HTMLElement>("h3")?.focus({ preventScroll: true });
}

const EMPTY = { title: "", artist: "", isrc: "", genre: "", licence: "Personal listening only", duration: "" };

/**
 * "Publish a track" in four steps on one page: the ISRC (what it is, where to get one, checked as it
 * is typed), the audio and cover (dropped or picked, checked and previewed), the details and the first
 * offer, then a review with what is still missing and the publishing itself, stage by stage.
 */
export function TrackForm({ account }: { account: `0x${string}` }) {
  const { config, deployment, keyServiceUrl } = useHarmonie();
  const wallet = useWallet();
  const reader = useReader();
  const tx = useTx();
  const [fields, setFields] = useState(EMPTY);
  const [offer, setOffer] = useState<OfferDraft>(NEW_OFFER);
  const offerToken = useOfferToken(offer);
  const terms = parseOffer(offer, offerToken);
  const [audio, setAudio] = useState<Picked>();
  const [cover, setCover] = useState<Picked>();
  const [durationRead, setDurationRead] = useState<"reading" | "read" | "unreadable">();
  const [exclusive, setExclusive] = useState(false);
  const [progress, setProgress] = useState<PublishProgress>();
  const [registered, setRegistered] = useState<string>();
  const set = (name: keyof typeof fields) => (e: { target: { value: string } }) =>
    setFields((f) => ({ ...f, [name]: e.target.value }));

  // Checked as it is typed, part by part; the SDK sends the canonical form (no hyphens, uppercase).
  const isrc = checkIsrc(fields.isrc);
  const canonical = isrc.state === "valid" ? isrc.isrc : undefined;
  // Under a label's registrant code, registering needs the label's signed approval.
  const registrant = useQuery({
    queryKey: ["registrant", canonical ? registrantCodeOf(canonical) : ""],
    enabled: !!canonical,
    queryFn: async () => (await getRegistrant(reader, { deployment, isrc: canonical! })) ?? null,
  });
  // An ISRC is registered once: say so before the artist fills in the rest.
  const existing = useQuery({
    queryKey: ["isrc-registered", canonical ?? ""],
    enabled: !!canonical,
    queryFn: async () => {
      try {
        return await getTrack(reader, { deployment, trackId: trackIdFromIsrc(canonical!) });
      } catch (error) {
        if (error instanceof ContractError && error.errorName === "ContentRegistryUnknownTrack") return null;
        throw error;
      }
    },
  });
  const taken = !!existing.data && registered !== canonical;
  const label = registrant.data && !isAddressEqual(registrant.data, account) ? registrant.data : undefined;
  const [approvalText, setApprovalText] = useState("");
  const approval = label && canonical ? readApproval(approvalText, canonical, account) : undefined;

  const open = !!canonical && !taken; // the other steps, once the recording is known
  const duration = Number(fields.duration);
  const missing: { what: string; step: StepId }[] = [];
  if (!canonical) missing.push({ what: "the recording's ISRC", step: "isrc" });
  if (taken) missing.push({ what: "an ISRC not registered yet", step: "isrc" });
  if (label && typeof approval !== "object") missing.push({ what: "the label's approval", step: "isrc" });
  if (!audio) missing.push({ what: "the audio file", step: "files" });
  if (!cover) missing.push({ what: "the cover image", step: "files" });
  if (!(duration > 0)) missing.push({ what: "the duration", step: "files" });
  if (!fields.title.trim()) missing.push({ what: "the title", step: "details" });
  if (!fields.artist.trim()) missing.push({ what: "the artist name", step: "details" });
  if (!fields.genre.trim()) missing.push({ what: "the genre", step: "details" });
  if (!fields.licence.trim()) missing.push({ what: "the licence terms", step: "details" });
  if (typeof terms === "string") missing.push({ what: "a valid licence offer", step: "details" });
  const done = (step: StepId) => !missing.some((m) => m.step === step);
  const ready = !!wallet && missing.length === 0;
  const reviewOpen = open && done("files") && done("details");

  async function chooseAudio(picked: Picked | undefined) {
    setAudio(picked);
    if (!picked) return setDurationRead(undefined);
    setDurationRead("reading");
    const seconds = await audioDuration(picked.file);
    setDurationRead(seconds > 0 ? "read" : "unreadable");
    if (seconds > 0) setFields((f) => ({ ...f, duration: String(seconds) }));
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!ready || !wallet || !audio || !cover || !canonical || typeof terms === "string") return;
    setRegistered(undefined);
    const update = (next: Partial<PublishProgress>) => setProgress((p) => ({ stage: "prepare", ...p, ...next }));
    setProgress({ stage: "prepare" });
    const result = await tx.run("Upload and register track", async () => {
      const key = exclusive ? await generateTrackKey() : undefined;
      const total = audio.file.size + cover.file.size;
      const { storage, wallet: watched } = publishing(config.ipfsUploadUrl, wallet, update);
      // Hashing first (the files' IPFS addresses, computed here), then the bytes as they leave.
      const added = await addTrackPackage(
        storage,
        {
          metadata: {
            title: fields.title.trim(),
            artist: fields.artist.trim(),
            isrc: canonical,
            durationSeconds: duration,
            genre: fields.genre.trim(),
            licence: { summary: fields.licence.trim() },
          },
          audio: { content: audio.file, mimeType: audio.mimeType },
          cover: { content: cover.file, mimeType: cover.mimeType },
          ...(key ? { encryption: { key } } : {}),
        },
        { onProgress: (p) => update({ prepared: { bytes: Math.min(p.bytes, total), total } }) },
      );
      update({ stage: "register", asked: false });
      const result = await registerTrack(watched, {
        deployment,
        isrc: canonical,
        metadataCid: added.cid.toString(),
        exclusive,
        splits: [{ recipient: account, bps: protocolLimits.ContentRegistry.BPS }],
        offers: [terms],
        ...(typeof approval === "object" ? { approval } : {}),
      });
      // The key service releases the key only to licence holders; it must have it before anyone buys.
      if (key) {
        update({ stage: "key", asked: false });
        if (!keyServiceUrl) throw new Error("No key service is configured: exclusive tracks cannot be unlocked.");
        await depositTrackKey(watched, { trackId: result.trackId, key, keyService: keyServiceUrl });
      }
      update({ stage: "done", prompt: undefined });
      return result;
    });
    if (result) setRegistered(canonical);
    else setProgress((p) => p && { ...p, failed: true, prompt: undefined });
  }

  function startOver() {
    setFields(EMPTY);
    setOffer(NEW_OFFER);
    setAudio(undefined);
    setCover(undefined);
    setDurationRead(undefined);
    setExclusive(false);
    setApprovalText("");
    setProgress(undefined);
    setRegistered(undefined);
    goTo("isrc");
  }

  const steps: { id: StepId; title: string; open: boolean; done: boolean }[] = [
    { id: "isrc", title: "ISRC", open: true, done: done("isrc") },
    { id: "files", title: "Audio and cover", open, done: open && done("files") },
    { id: "details", title: "Details and price", open, done: open && done("details") },
    { id: "review", title: "Review and publish", open: reviewOpen, done: !!registered },
  ];
  const current = steps.find((s) => !s.done)?.id;

  return (
    <form className="panel form upload-wizard" onSubmit={submit} aria-labelledby="track-heading" noValidate>
      <h2 id="track-heading">Publish a track</h2>
      <p className="muted">Four steps. Nothing is uploaded or sent until you press “Upload and register” at the end.</p>
      <ol className="wizard-nav" aria-label="Steps">
        {steps.map((step, i) => (
          <li key={step.id} data-state={step.done ? "done" : step.open ? "open" : "locked"}>
            {/* Links, not buttons: they go to a part of the page (and keep "Review" a button name elsewhere). */}
            {step.open ? (
              <a
                href={`#upload-step-${step.id}`}
                className="wizard-nav-step"
                aria-current={current === step.id ? "step" : undefined}
                onClick={(event) => {
                  event.preventDefault();
                  goTo(step.id);
                }}
              >
                <StepLabel no={i + 1} title={step.title} done={step.done} />
              </a>
            ) : (
              <span className="wizard-nav-step" aria-disabled="true">
                <StepLabel no={i + 1} title={step.title} done={false} locked />
              </span>
            )}
          </li>
        ))}
      </ol>

      <Step id="isrc" no={1} title="The recording's ISRC" done={steps[0]!.done}>
        <div className="isrc-explain">
          <p>
            An <strong>ISRC</strong> (International Standard Recording Code) is the {ISRC_LENGTH}-character code that
            identifies one recording — this exact version of your song — wherever it is sold or streamed. HarmonieCORE
            registers your track under it, so fans, labels and the DAO all mean the same recording.
          </p>
          <details>
            <summary>Where do I get one?</summary>
            <ul>
              <li>
                <strong>From your distributor.</strong> If a distributor (DistroKid, TuneCore, CD Baby, Ditto…) put the
                song out, it already has an ISRC: look for it next to the release in your distributor's dashboard.
              </li>
              <li>
                <strong>From your country's ISRC agency.</strong> Otherwise, the national ISRC agency (the IFPI lists
                them at isrc.ifpi.org) can give you your own registrant code, often for free, so you can make ISRCs for
                all your recordings.
              </li>
              <li>
                Each recording has its own ISRC: a remix, an edit or a live version needs a new one. An ISRC is
                registered on HarmonieCORE only once.
              </li>
            </ul>
          </details>
        </div>
        <label className="isrc-field">
          ISRC
          <input
            value={fields.isrc}
            onChange={set("isrc")}
            // Shown back in the form people read ISRCs in, once it is valid.
            onBlur={() => canonical && setFields((f) => ({ ...f, isrc: formatIsrc(canonical, { hyphens: true }) }))}
            aria-invalid={isrc.state === "invalid" || taken}
            aria-describedby="isrc-help"
            autoCapitalize="characters"
            autoComplete="off"
            spellCheck={false}
            placeholder="e.g. US-RC1-76-07839"
            required
          />
          <span
            id="isrc-help"
            className={isrc.state === "invalid" || taken ? "error" : isrc.state === "valid" ? "ok" : "muted"}
            data-testid="isrc-help"
          >
            {isrc.state === "empty"
              ? `${ISRC_LENGTH} characters, with or without hyphens: country, registrant, year, number.`
              : isrc.state === "valid"
                ? `✓ ${formatIsrc(isrc.isrc, { hyphens: true })} is a valid ISRC.`
                : isrc.message}
          </span>
        </label>
        {isrc.state === "valid" && (
          <ul className="isrc-parts" aria-label="What the code says">
            {isrcParts(isrc.parts).map((part) => (
              <li key={part.part}>
                <code>{part.value}</code>
                <span>
                  <strong>{part.name}</strong>: {part.means}
                </span>
              </li>
            ))}
          </ul>
        )}
        {taken && canonical && (
          <p className="error" data-testid="isrc-taken">
            This ISRC is already registered on HarmonieCORE: <Link to={`/track/${canonical}`}>see its track page</Link>.
            Check the code, or use the ISRC of another recording.
          </p>
        )}
        {label && canonical && (
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
                  Registrant code {formatRegistrantCode(registrantCodeOf(canonical), { hyphens: true })} belongs to{" "}
                  <Account address={label} />: paste the approval they signed for this ISRC and your address (Studio →
                  “For labels”).
                </>
              )}
            </span>
          </label>
        )}
        {open && <Next to="files" label="Next: audio and cover" />}
      </Step>

      {open && (
        <Step id="files" no={2} title="Audio and cover" done={steps[1]!.done}>
          <div className="two">
            <div className="form">
              <DropZone kind="audio" label="Audio file" picked={audio} onPick={chooseAudio} required>
                {audio && <AudioPreview file={audio.file} />}
              </DropZone>
              <label>
                Duration (seconds)
                <input
                  inputMode="decimal"
                  value={fields.duration}
                  onChange={set("duration")}
                  aria-describedby="duration-help"
                  required
                />
              </label>
              <span id="duration-help" className="muted field-help">
                {durationRead === "reading"
                  ? "Reading the length of your recording…"
                  : durationRead === "read"
                    ? `Read from your recording: ${lengthOf(duration)}.`
                    : durationRead === "unreadable"
                      ? "This browser cannot read the recording's length: type it in seconds."
                      : "Filled in from your recording once you add it."}
              </span>
            </div>
            <DropZone kind="cover" label="Cover image" picked={cover} onPick={setCover} required>
              {cover && <CoverPreview file={cover.file} />}
            </DropZone>
          </div>
          <label className="check">
            <input type="checkbox" checked={exclusive} onChange={(e) => setExclusive(e.target.checked)} />
            Exclusive: encrypt the audio; only licence holders can play it
          </label>
          <Next to="details" label="Next: details and price" />
        </Step>
      )}

      {open && (
        <Step id="details" no={3} title="Details and price" done={steps[2]!.done}>
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
              Genre
              <input value={fields.genre} onChange={set("genre")} required maxLength={64} />
            </label>
            <label>
              Licence terms (summary)
              <input value={fields.licence} onChange={set("licence")} required maxLength={500} />
            </label>
          </div>
          <h4>First licence offer</h4>
          <p className="muted">What a fan pays for a licence. You can change the price and add offers later.</p>
          <OfferFields draft={offer} onChange={setOffer} />
          {reviewOpen && <Next to="review" label="Next: check and publish" />}
        </Step>
      )}

      {reviewOpen && (
        <Step id="review" no={4} title="Review and publish" done={steps[3]!.done}>
          <dl className="review" data-testid="review">
            <div>
              <dt>ISRC</dt>
              <dd>{canonical && formatIsrc(canonical, { hyphens: true })}</dd>
            </div>
            <div>
              <dt>Track</dt>
              <dd>
                <Name text={fields.title.trim()} /> by <Name text={fields.artist.trim()} /> ·{" "}
                <Name text={fields.genre.trim()} /> · {lengthOf(duration)}
              </dd>
            </div>
            <div>
              <dt>Files</dt>
              <dd className="review-files">
                {cover && <CoverThumb file={cover.file} />}
                {audio && (
                  <>
                    <Name text={audio.file.name} /> ({sizeOf(audio.file.size)})
                  </>
                )}
                {cover && (
                  <>
                    {" "}
                    and <Name text={cover.file.name} /> ({sizeOf(cover.file.size)})
                  </>
                )}
                {exclusive ? " · exclusive: the audio is encrypted" : " · anyone can listen"}
              </dd>
            </div>
            <div>
              <dt>First offer</dt>
              <dd data-testid="review-offer">
                {typeof terms === "object" && (
                  <>
                    {amountOf(terms.price, offerToken)} · {durationOf(terms.duration ?? 0n)} ·{" "}
                    {terms.commercialUse ? "commercial" : "personal"} use
                    {terms.derivativesAllowed ? ", remixes allowed" : ""}
                    {terms.supplyCap ? ` · ${terms.supplyCap} at most` : ""}
                  </>
                )}
              </dd>
            </div>
            <div>
              <dt>Licence</dt>
              <dd>
                <Name text={fields.licence.trim()} lines={2} />
              </dd>
            </div>
          </dl>
          {missing.length > 0 && (
            <div className="missing" data-testid="missing">
              Still needed:{" "}
              {missing.map((m, i) => (
                <span key={m.what}>
                  {i > 0 && ", "}
                  <button type="button" className="link-button" onClick={() => goTo(m.step)}>
                    {m.what}
                  </button>
                </span>
              ))}
              .
            </div>
          )}
          {!wallet && <p className="muted">Connect your wallet to publish.</p>}
          <p className="muted">
            Your files go to IPFS first; then your wallet asks you to confirm one transaction
            {exclusive ? ", and a signature to hand the track's key to the key service" : ""}.
          </p>
          {!registered && (
            <button type="submit" disabled={!ready || tx.busy}>
              Upload and register
            </button>
          )}
          {progress && <PublishSteps progress={progress} chainTitle="Register the track on Core" withKey={exclusive} />}
          {tx.state.status !== "pending" && <TxStatus state={tx.state} />}
          {registered && (
            <div className="published" data-testid="published">
              <p>
                Published: <Link to={`/track/${registered}`}>open the track page</Link>. It is in “Your tracks” above,
                where you can edit it and its offers.
              </p>
              <button type="button" className="secondary" onClick={startOver}>
                Publish another track
              </button>
            </div>
          )}
        </Step>
      )}
    </form>
  );
}

function StepLabel({ no, title, done, locked }: { no: number; title: string; done: boolean; locked?: boolean }) {
  return (
    <>
      <span className="step-no" aria-hidden="true">
        {done ? "✓" : no}
      </span>
      <span className="wizard-nav-title">
        {title}
        <span className="sr-only">{done ? " (done)" : locked ? " (after the ISRC)" : ""}</span>
      </span>
    </>
  );
}

function Step({
  id,
  no,
  title,
  done,
  children,
}: {
  id: StepId;
  no: number;
  title: string;
  done: boolean;
  children: ReactNode;
}) {
  return (
    <section id={`upload-step-${id}`} className="wizard-step" data-done={done} aria-labelledby={`upload-${id}-title`}>
      <h3 id={`upload-${id}-title`} tabIndex={-1}>
        <span className="step-no" aria-hidden="true">
          {done ? "✓" : no}
        </span>{" "}
        <span className="sr-only">Step {no} of 4: </span>
        {title}
      </h3>
      {children}
    </section>
  );
}

function Next({ to, label }: { to: StepId; label: string }) {
  return (
    <button type="button" className="secondary wizard-next" onClick={() => goTo(to)}>
      {label} ↓
    </button>
  );
}

function AudioPreview({ file }: { file: File }) {
  const url = useObjectUrl(file);
  return url ? <audio className="preview-audio" controls src={url} data-testid="audio-preview" /> : null;
}

function CoverThumb({ file }: { file: File }) {
  const url = useObjectUrl(file);
  return url ? <img className="cover-small" src={url} alt="" /> : null;
}

function CoverPreview({ file }: { file: File }) {
  const url = useObjectUrl(file);
  const [broken, setBroken] = useState(false);
  if (!url) return null;
  return broken ? (
    <p className="error">This image cannot be opened: it may be damaged. Export it again and pick the new file.</p>
  ) : (
    <img
      className="preview-cover"
      src={url}
      alt="Your cover"
      data-testid="cover-preview"
      onError={() => setBroken(true)}
    />
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
  if (!value.isrc || !isValidIsrc(value.isrc) || formatIsrc(value.isrc) !== formatIsrc(isrc))
    return "This approval is for another ISRC.";
  if (!value.artist || !isAddressEqual(value.artist as `0x${string}`, artist))
    return "This approval is for another artist's address.";
  if (BigInt(value.deadline!) * 1000n < BigInt(Date.now())) return "This approval has expired: ask for a new one.";
  return { deadline: BigInt(value.deadline!), signature: value.signature as `0x${string}` };
}
