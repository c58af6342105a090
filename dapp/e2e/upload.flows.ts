/**
 * The upload wizard in Studio, after dapp.test.ts's flows (self-sufficient: its own artist account
 * and a fresh ISRC each run): the ISRC checked as it is typed, files dropped (a format the protocol
 * does not take refused before any upload), previews, the bytes sent to IPFS before the wallet step,
 * then the track in "Your tracks" with its price, and an edit of its details and cover.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { type BrowserContext, type Locator, type Page } from "playwright-core";
import { DAPP, SHOTS, confirmations, confirmed, connect, openAs, site, wav } from "./harness.ts";

/** A mono 16-bit WAV tone of `seconds` at 8 kHz: real audio Chromium decodes (16 kB a second). */
const tone = (seconds: number) => wav(seconds, 330, 6000);

/** Drops a file on `target` the way a desktop does: dragenter, dragover and drop with a DataTransfer. */
async function drop(target: Locator, file: { name: string; mimeType: string; buffer: Buffer }) {
  const transfer = await target.page().evaluateHandle(
    ({ name, mimeType, bytes }) => {
      const data = new DataTransfer();
      data.items.add(new File([Uint8Array.from(atob(bytes), (c) => c.charCodeAt(0))], name, { type: mimeType }));
      return data;
    },
    { name: file.name, mimeType: file.mimeType, bytes: file.buffer.toString("base64") },
  );
  for (const type of ["dragenter", "dragover", "drop"]) await target.dispatchEvent(type, { dataTransfer: transfer });
}

/** A screenshot of the wizard (or another part) at 1366 and at 390 px wide. */
async function shots(page: Page, part: Locator, name: string) {
  for (const width of [1366, 390]) {
    await page.setViewportSize({ width, height: width > 400 ? 900 : 844 });
    // The phone tab bar is fixed over the page: left out of a part's picture.
    await part.screenshot({
      path: path.join(SHOTS, `${name}-${width}.png`),
      style: ".main-nav { visibility: hidden; }",
    });
    const [scrollWidth, innerWidth] = await page.evaluate(() => [
      document.documentElement.scrollWidth,
      window.innerWidth,
    ]);
    assert.ok(scrollWidth <= innerWidth, `${name} at ${width}: the page is ${scrollWidth} px wide`);
  }
  await page.setViewportSize({ width: 1366, height: 900 });
}

/**
 * Makes the injected test wallet wait, like a person reading the prompt, before it passes a
 * transaction on; `release()` is their "Confirm". Installed before the app loads (viem binds the
 * provider's `request` when the wallet client is made).
 */
async function holdTransactions(context: BrowserContext, page: Page) {
  await context.addInitScript(() => {
    type Provider = { request(args: { method: string }): Promise<unknown> };
    const w = window as unknown as { __hold?: boolean; __release?: () => void; __held?: number };
    window.addEventListener("eip6963:announceProvider", (event) => {
      const provider = (event as CustomEvent<{ provider: Provider & { __wrapped?: boolean } }>).detail.provider;
      if (provider.__wrapped) return;
      const request = provider.request.bind(provider);
      Object.assign(provider, {
        __wrapped: true,
        async request(args: { method: string }) {
          if (args.method === "eth_sendTransaction" && w.__hold) {
            w.__held = (w.__held ?? 0) + 1;
            await new Promise<void>((resolve) => (w.__release = resolve));
          }
          return request(args);
        },
      });
    });
    window.dispatchEvent(new Event("eip6963:requestProvider"));
  });
  type Held = { __hold?: boolean; __release?: () => void; __held?: number };
  return {
    start: () => page.evaluate(() => void ((window as unknown as Held).__hold = true)),
    held: () => page.evaluate(() => (window as unknown as Held).__held ?? 0),
    release: () =>
      page.evaluate(() => {
        const w = window as unknown as Held;
        w.__hold = false;
        w.__release?.();
      }),
  };
}

/**
 * Studio for account 9 as an artist: publishing waits for a profile, so the first visit on a
 * fresh chain creates one (a held stack keeps it for the next run).
 */
async function openStudio(page: Page) {
  await page.goto(`${site.url}/studio`);
  await connect(page);
  const wizard = page.locator("form.upload-wizard");
  const profileFirst = page.getByTestId("publish-after-profile");
  await wizard.or(profileFirst).waitFor();
  if (await profileFirst.isVisible()) {
    assert.equal(await wizard.count(), 0, "no upload before a profile");
    await page.getByLabel("Handle").fill("wizard_artist");
    await page.getByLabel("Display name").fill("Wizard Artist");
    await page.getByRole("button", { name: "Create profile" }).click();
    await confirmed(page, /Create profile/);
  }
  await wizard.waitFor();
  return wizard;
}

test("upload wizard: the ISRC step explains and checks as you type, a dropped .aiff is refused before upload, previews show", async () => {
  const { page } = await openAs(9);
  const isrc = `QZ-UPL-26-${String(Date.now() % 100_000).padStart(5, "0")}`;
  await page.setViewportSize({ width: 1366, height: 900 });
  const wizard = await openStudio(page);
  // Counted from here: a first visit's profile is an upload of its own.
  const uploads: string[] = [];
  page.on("request", (request) => {
    if (request.method() === "POST" && new URL(request.url()).pathname === "/upload") uploads.push(request.url());
  });
  await wizard.getByRole("heading", { name: "The recording's ISRC" }).waitFor();
  await wizard.getByText(/International Standard Recording Code\) is the 12-character code/).waitFor();
  await wizard.getByText("Where do I get one?").click();
  await wizard.getByText(/From your distributor\./).waitFor();
  await wizard.getByText(/From your country's ISRC agency\./).waitFor();
  // Until the ISRC is valid, only its step shows.
  assert.equal(await wizard.getByLabel("Audio file").count(), 0);
  await shots(page, wizard, "upload-1-isrc");

  const field = wizard.getByLabel(/^ISRC/);
  const help = wizard.getByTestId("isrc-help");
  // Typed one key at a time, as an artist would.
  await field.pressSequentially("1");
  await help.getByText(/starts with the 2-character country code .*letters only — “1” is not one/).waitFor();
  assert.equal(await field.getAttribute("aria-invalid"), "true");
  await field.fill("");
  await field.pressSequentially("us-up");
  await help.getByText("Not a valid ISRC yet: 4 of its 12 characters. Next: the registrant code").waitFor();
  assert.equal(await field.getAttribute("aria-invalid"), "false", "unfinished is not wrong");
  await field.pressSequentially("l-2a");
  await help.getByText(/characters 6 to 7 are the year .*digits only — “2A” is not one/).waitFor();
  await field.fill("QZUPL26000012");
  await help.getByText("Not a valid ISRC: it is too long. An ISRC has 12 characters; this has 13.").waitFor();
  await field.fill("QZ/UPL");
  await help.getByText(/“\/” cannot be part of one/).waitFor();
  await shots(page, wizard.locator("#upload-step-isrc label"), "upload-1-isrc-invalid");
  await field.fill(isrc.toLowerCase().replaceAll("-", " "));
  await help.getByText(`✓ ${isrc} is a valid ISRC.`).waitFor();
  await wizard.getByText("this recording's own number").waitFor();

  // Step 2: a format the protocol does not take is refused in plain words, and nothing is uploaded.
  const audioZone = wizard.getByTestId("drop-audio");
  await drop(audioZone, { name: "demo.aiff", mimeType: "audio/aiff", buffer: tone(1) });
  await wizard
    .getByTestId("audio-check")
    .getByText(
      "This is an .aiff file. HarmonieCORE accepts audio in MP3, FLAC, WAV, Ogg, AAC, M4A and WebM. Export or convert it to one of these",
    )
    .waitFor();
  assert.equal(await wizard.getByTestId("audio-preview").count(), 0, "a refused file is not kept");
  await shots(page, wizard.locator("#upload-step-files"), "upload-2-files-refused");

  await drop(audioZone, { name: "wizard-tone.wav", mimeType: "audio/wav", buffer: tone(4) });
  await wizard
    .getByTestId("audio-check")
    .getByText(/✓ wizard-tone\.wav · 64 kB/)
    .waitFor();
  const preview = wizard.getByTestId("audio-preview");
  await preview.waitFor();
  assert.match((await preview.getAttribute("src")) ?? "", /^blob:/);
  await page.waitForFunction(
    () => (document.querySelector("[data-testid=audio-preview]") as HTMLAudioElement).duration > 3.9,
  );
  await wizard.getByLabel("Duration (seconds)").and(page.locator("[value='4']")).waitFor();
  await wizard.getByText("Read from your recording: 4 s.").waitFor();

  const cover = readFileSync(path.join(DAPP, "public/icons/icon-512.png"));
  await drop(wizard.getByTestId("drop-cover"), { name: "cover.gif", mimeType: "image/gif", buffer: cover });
  await wizard
    .getByTestId("cover-check")
    .getByText(/^This is an \.gif file\. HarmonieCORE accepts cover images in JPEG, PNG, WebP and AVIF/)
    .waitFor();
  await drop(wizard.getByTestId("drop-cover"), { name: "cover.png", mimeType: "image/png", buffer: cover });
  await page.waitForFunction(() => {
    const image = document.querySelector("[data-testid=cover-preview]") as HTMLImageElement | null;
    return !!image && image.complete && image.naturalWidth === 512;
  });
  assert.deepEqual(uploads, [], "nothing is uploaded before “Upload and register”");
  await shots(page, wizard.locator("#upload-step-files"), "upload-2-files");
  await shots(page, wizard.locator("#upload-step-isrc"), "upload-1-isrc-valid");
});

test("upload wizard: bytes sent to IPFS move before the wallet step; the wallet step shows only while the wallet asks; the track lands in Your tracks with its price; an edit lands", async () => {
  const { page, context } = await openAs(9);
  const wallet = await holdTransactions(context, page);
  const isrc = `QZ-UPM-26-${String(Date.now() % 100_000).padStart(5, "0")}`;
  const plain = isrc.replaceAll("-", "");
  const title = `Wizard Tone ${plain.slice(-5)}`;
  await page.setViewportSize({ width: 1366, height: 900 });
  const wizard = await openStudio(page);
  await wizard.getByLabel(/^ISRC/).fill(isrc);
  // About 1 MB of audio, so the upload takes a few seconds at the throttled speed below.
  await wizard.getByLabel("Audio file").setInputFiles({ name: "long.wav", mimeType: "audio/wav", buffer: tone(64) });
  await wizard.getByLabel("Cover image").setInputFiles({
    name: "cover.png",
    mimeType: "image/png",
    buffer: readFileSync(path.join(DAPP, "public/icons/icon-512.png")),
  });
  await wizard.getByLabel("Duration (seconds)").and(page.locator("[value='64']")).waitFor();
  await wizard.getByLabel("Title", { exact: true }).fill(title);
  await wizard.getByLabel("Artist name").fill("Wizard Artist");
  await wizard.getByLabel("Genre").fill("Ambient");
  await wizard.getByLabel("Licence price (CORE)").fill("0.5");
  await shots(page, wizard.locator("#upload-step-details"), "upload-3-details");
  // Steps are links; no wizard button takes a name other Studio parts use ("Review" a track handed over).
  assert.equal(await page.getByRole("button", { name: "Review" }).count(), 0);
  await wizard.getByRole("link", { name: "Review and publish" }).click();
  await wizard.getByRole("heading", { name: "Review and publish" }).waitFor();
  const review = wizard.getByTestId("review");
  await review.getByText(`${title} by Wizard Artist · Ambient · 1:04`).waitFor();
  await review.getByTestId("review-offer").getByText("0.5 CORE · Perpetual · personal use").waitFor();
  await shots(page, wizard.locator("#upload-step-review"), "upload-4-review");

  // Every change of the publish steps, recorded in the page: the upload bar's value and whether the
  // wallet line is showing.
  await page.evaluate(() => {
    const log: { value: number; max: number; wallet: boolean; uploadDone: boolean }[] = [];
    (window as unknown as { __steps: typeof log }).__steps = log;
    new MutationObserver(() => {
      const steps = document.querySelector("[data-testid=publish-steps]");
      if (!steps) return;
      const bar = steps.querySelector("[data-testid=upload-progress]") as HTMLProgressElement | null;
      log.push({
        value: bar ? bar.value : -1,
        max: bar ? bar.max : -1,
        wallet: /Confirm in your wallet/.test(steps.textContent ?? ""),
        uploadDone: steps.querySelector("[data-testid=publish-upload]")?.getAttribute("data-state") === "done",
      });
    }).observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true });
  });
  await wallet.start();
  const cdp = await context.newCDPSession(page);
  await cdp.send("Network.enable");
  await cdp.send("Network.emulateNetworkConditions", {
    offline: false,
    latency: 0,
    downloadThroughput: -1,
    uploadThroughput: 300_000,
  });
  const before = await confirmations(page);
  await wizard.getByRole("button", { name: "Upload and register" }).click();
  const steps = wizard.getByTestId("publish-steps");
  await steps
    .getByTestId("upload-bytes")
    .getByText(/ of 1\.\d MB sent \(\d+%\)$/)
    .waitFor();
  await shots(page, wizard.locator("#upload-step-review"), "upload-5-uploading");
  // The wallet is asked only once the files are on IPFS; the line says so while it waits for the person.
  await steps.getByText("Confirm in your wallet: one transaction.").waitFor({ timeout: 60_000 });
  await cdp.send("Network.emulateNetworkConditions", {
    offline: false,
    latency: 0,
    downloadThroughput: -1,
    uploadThroughput: -1,
  });
  assert.equal(await wallet.held(), 1);
  assert.equal(await steps.getByTestId("publish-upload").getAttribute("data-state"), "done");
  await shots(page, wizard.locator("#upload-step-review"), "upload-6-wallet");
  const log = await page.evaluate(
    () =>
      (window as unknown as { __steps: { value: number; max: number; wallet: boolean; uploadDone: boolean }[] })
        .__steps,
  );
  const firstWallet = log.findIndex((entry) => entry.wallet);
  assert.ok(firstWallet > 0, "the wallet line showed");
  const sending = new Set(
    log
      .slice(0, firstWallet)
      .filter((e) => e.value > 0 && e.value < e.max)
      .map((e) => e.value),
  );
  assert.ok(
    sending.size >= 3,
    `the upload bar moved through bytes before the wallet step (${[...sending].join(", ")})`,
  );
  assert.ok(
    log.slice(0, firstWallet).every((entry) => !entry.wallet),
    "no “Confirm in your wallet” before the wallet asks",
  );
  assert.ok(log[firstWallet]!.uploadDone, "the upload was done when the wallet asked");

  await wallet.release();
  await steps
    .getByText("Waiting for the block that records it…")
    .or(page.getByTestId("tx-confirmed"))
    .first()
    .waitFor();
  await confirmed(page, /Upload and register track/);
  assert.equal((await confirmations(page)) - before, 1, "one wallet confirmation");
  assert.equal(await steps.getByText("Confirm in your wallet").count(), 0, "the wallet line goes once answered");
  await page.getByRole("link", { name: "open the track page" }).waitFor();
  await shots(page, wizard.locator("#upload-step-review"), "upload-7-published");
  // The same ISRC again: said at once, before any file is asked for.
  await wizard.getByRole("button", { name: "Publish another track" }).click();
  await wizard.getByLabel(/^ISRC/).fill(isrc);
  await wizard.getByTestId("isrc-taken").getByText("This ISRC is already registered on HarmonieCORE").waitFor();
  assert.equal(await wizard.getByLabel("Audio file").count(), 0);

  // Your tracks: the track, its offer and its price.
  const manage = page.getByTestId(`manage-${plain}`);
  await manage.getByRole("heading", { name: new RegExp(title) }).waitFor({ timeout: 60_000 });
  await manage.getByTestId("offer-0").getByTestId("offer-price").getByText("0.5 CORE").waitFor();
  await manage.getByText("Wizard Artist · Ambient").waitFor();

  // Edit: new title and cover (a new package, the same recording), and a new price.
  await manage.getByRole("button", { name: "Edit details and cover" }).click();
  const edit = manage.getByRole("form", { name: "Edit track details" });
  await edit.getByLabel("Title", { exact: true }).fill(`${title} (edit)`);
  await edit.getByLabel("Genre").fill("Ambient, drone");
  const jpeg = readFileSync(path.join(DAPP, "public/icons/icon-192.png"));
  await edit.getByLabel(/^New cover/).setInputFiles({ name: "new-cover.png", mimeType: "image/png", buffer: jpeg });
  await shots(page, manage, "upload-8-edit");
  await edit.getByRole("button", { name: "Save changes" }).click();
  await manage.getByTestId("edit-saved").waitFor({ timeout: 60_000 });
  await manage.getByRole("heading", { name: new RegExp(`${title} \\(edit\\)`) }).waitFor({ timeout: 60_000 });
  await manage.getByText("Wizard Artist · Ambient, drone").waitFor();
  await manage.getByTestId("offer-0").getByLabel("New price (CORE)").fill("0.75");
  await manage.getByTestId("offer-0").getByRole("button", { name: "Change price" }).click();
  await manage.getByTestId("offer-0").getByTestId("offer-price").getByText("0.75 CORE").waitFor({ timeout: 60_000 });
  await shots(page, manage, "upload-9-your-tracks");

  // The track page reads the new package: the new title, the same recording, the new price.
  await page.goto(`${site.url}/track/${plain}`);
  await page.getByRole("heading", { level: 1, name: `${title} (edit)` }).waitFor({ timeout: 60_000 });
  await page.locator(".offer", { hasText: "0.75 CORE" }).first().waitFor();
  await page.getByRole("button", { name: "Play", exact: true }).click();
  await page.waitForFunction(
    () => ((document.querySelector("[data-testid=player]") as HTMLAudioElement | null)?.currentTime ?? 0) > 0,
  );
});

test("upload wizard: an exclusive track asks for a signature to hand over its key; after an edit, its encrypted recording still unlocks", async () => {
  const { page } = await openAs(9);
  const isrc = `QZ-UPX-26-${String(Date.now() % 100_000).padStart(5, "0")}`;
  const plain = isrc.replaceAll("-", "");
  const wizard = await openStudio(page);
  await wizard.getByLabel(/^ISRC/).fill(isrc);
  await wizard.getByLabel("Audio file").setInputFiles({ name: "locked.wav", mimeType: "audio/wav", buffer: tone(3) });
  await wizard.getByLabel("Cover image").setInputFiles({
    name: "cover.png",
    mimeType: "image/png",
    buffer: readFileSync(path.join(DAPP, "public/icons/icon-512.png")),
  });
  await wizard.getByLabel(/^Exclusive/).check();
  await wizard.getByLabel("Title", { exact: true }).fill("Locked Wizard");
  await wizard.getByLabel("Artist name").fill("Wizard Artist");
  await wizard.getByLabel("Genre").fill("Ambient");
  await wizard.getByLabel("Duration (seconds)").and(page.locator("[value='3']")).waitFor();
  await wizard.getByTestId("review").getByText("exclusive: the audio is encrypted").waitFor();
  const before = await confirmations(page);
  await wizard.getByRole("button", { name: "Upload and register" }).click();
  await wizard.getByTestId("publish-key").waitFor();
  await confirmed(page, /Upload and register track/);
  assert.equal((await confirmations(page)) - before, 2, "the transaction, then the key service's sign-in");

  const manage = page.getByTestId(`manage-${plain}`);
  await manage.getByText("Wizard Artist · Ambient · exclusive").waitFor({ timeout: 60_000 });
  await manage.getByRole("button", { name: "Edit details and cover" }).click();
  const edit = manage.getByRole("form", { name: "Edit track details" });
  await edit.getByLabel("Title", { exact: true }).fill("Locked Wizard (remaster notes)");
  await edit.getByRole("button", { name: "Save changes" }).click();
  await manage.getByTestId("edit-saved").waitFor({ timeout: 60_000 });

  // The artist holds the rights: the track page unlocks the same encrypted file from the new package.
  await page.goto(`${site.url}/track/${plain}`);
  await page.getByRole("heading", { level: 1, name: "Locked Wizard (remaster notes)" }).waitFor({ timeout: 60_000 });
  await page.getByRole("button", { name: "Unlock and play" }).click();
  await page.waitForFunction(
    () => ((document.querySelector("[data-testid=player]") as HTMLAudioElement | null)?.currentTime ?? 0) > 0,
  );
});
