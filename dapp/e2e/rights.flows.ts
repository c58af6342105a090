/**
 * Licensing and governance v2 in the browser, after dapp.test.ts's flows: a label's approval under
 * its registrant code, and the allow-list and guardian proposal kinds read as sentences.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { encodeFunctionData } from "viem";
import { contentRegistryAbi } from "../../sdk/src/generated/abis.ts";
import { asTimelock, confirmed, connect, fillTrack, openAs, rpc, shot, site } from "./harness.ts";

const LABEL_ISRC = "US-LB1-26-00001";

test("a label's approval: the DAO gives it code US-LB1; the label signs in Studio; the artist registers with it, never without", async () => {
  const accounts = await rpc<string[]>("eth_accounts");
  const label = accounts[18]!;
  const e2eArtist = accounts[7]!;
  await asTimelock(
    encodeFunctionData({
      abi: contentRegistryAbi,
      functionName: "setRegistrant",
      args: ["USLB1", label as `0x${string}`],
    }),
  );

  // The artist first tries without an approval: the form names the label and will not submit.
  const { page: artist } = await openAs(7);
  await artist.goto(`${site.url}/studio`);
  await connect(artist);
  await artist.getByLabel(/^ISRC/).fill(LABEL_ISRC);
  const approvalField = artist.getByLabel("Approval from the label");
  await approvalField.waitFor();
  await artist
    .locator("#approval-help")
    .getByText(/Registrant code US-LB1 belongs to/)
    .waitFor();
  await fillTrack(artist, "Label Tone");
  await artist.getByLabel("Licence price (CORE)").fill("0.1");
  const upload = artist.getByRole("button", { name: "Upload and register" });
  assert.equal(await upload.isDisabled(), true, "no approval: nothing to submit");

  // The label signs an approval for this ISRC and this artist in its Studio.
  const { page: labelPage } = await openAs(18);
  await labelPage.goto(`${site.url}/studio`);
  await connect(labelPage);
  await labelPage.getByText("For labels: approve a track under your registrant code").click();
  await labelPage.getByLabel("Track ISRC to approve").fill(LABEL_ISRC);
  await labelPage.getByLabel("Artist (0x… or @name)").fill("@e2e_artist");
  await labelPage.getByRole("button", { name: "Sign approval" }).click();
  const signed = labelPage.getByLabel("Send this to the artist");
  await signed.waitFor();
  const approval = await signed.inputValue();
  assert.equal(JSON.parse(approval).artist.toLowerCase(), e2eArtist.toLowerCase());
  await shot(labelPage, "studio-label-approval");

  // Someone else's approval is refused in plain words; the label's own one registers the track.
  await approvalField.fill(approval.replace(/"artist":"0x[0-9a-fA-F]{40}"/, `"artist":"${accounts[5]}"`));
  await artist.locator("#approval-help").getByText("This approval is for another artist's address.").waitFor();
  assert.equal(await upload.isDisabled(), true);
  await approvalField.fill(approval);
  await artist
    .locator("#approval-help")
    .getByText(/Registrant code US-LB1 belongs to/)
    .waitFor();
  await upload.click();
  await confirmed(artist, /Upload and register track/);
  await artist.goto(`${site.url}/track/${LABEL_ISRC.replaceAll("-", "")}`);
  await artist.getByRole("heading", { level: 1, name: "Label Tone" }).waitFor({ timeout: 60_000 });
});

test("allow-list and guardian proposals read as sentences; a token the deployment does not list is marked self-named", async () => {
  // A token that calls itself USDC: any call answers abi.encode("USDC") (decimals read it as 32).
  const impostor = "0x00000000000000000000000000000000005eed01";
  const word = (n: number) => n.toString(16).padStart(64, "0");
  const data = word(32) + word(4) + Buffer.from("USDC").toString("hex").padEnd(64, "0");
  await rpc("hardhat_setCode", [impostor, `0x6060600c60003960606000f3${data}`]);

  const { page } = await openAs(4); // first_fan: 100 hVOTE delegated to themselves (demo data)
  await page.goto(`${site.url}/dao`);
  await connect(page);
  await page.getByLabel("Kind").selectOption("allow-token");
  await page.getByLabel("Token contract").fill(impostor);
  await page.getByLabel("Minimum tip (USDC)").fill("1");
  await page.getByLabel("Description (its text on chain)").fill("E2E: allow a self-named token");
  const preview = page.getByTestId("proposal-preview");
  await preview.getByText(/^Allow USDC \(self-named token 0x0000…ed01\) for tips and licences/i).waitFor();
  await page.getByRole("button", { name: "Submit proposal" }).click();
  await page.getByRole("heading", { level: 1, name: "E2E: allow a self-named token" }).waitFor({ timeout: 60_000 });
  const actions = page.getByTestId("proposal-actions");
  await actions.getByText(/^Allow USDC \(self-named token 0x0000…ed01\)/i).waitFor();
  assert.match((await actions.locator("code").textContent()) ?? "", /^HarmonieTipping\.allowToken\(/);
  await shot(page, "proposal-allow-token");

  await page.getByRole("link", { name: "← All proposals" }).click();
  await page.getByLabel("Kind").selectOption("guardian");
  await page.getByLabel("Guardian (0x… or @name)").fill("@nova");
  await page.getByLabel("Description (its text on chain)").fill("E2E: Nova guards");
  await preview.getByText("Set the guardian to @nova").waitFor();
  await page.getByRole("button", { name: "Submit proposal" }).click();
  await page.getByRole("heading", { level: 1, name: "E2E: Nova guards" }).waitFor({ timeout: 60_000 });
  await actions.getByText("Set the guardian to @nova").waitFor();
  assert.match((await actions.locator("code").textContent()) ?? "", /^HarmonieGovernor\.setProposalGuardian\(/);
});
