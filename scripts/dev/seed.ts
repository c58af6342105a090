/**
 * Demo data for the local stack, created through the SDK exactly as a user would: three artists with
 * profiles and avatars on IPFS, tracks with generated audio (three are songs of 1½–4 minutes) and a
 * cover of their own each (one exclusive, encrypted, its key
 * deposited with the key service), licences (one priced in the local USDC, one timed licence renewed),
 * tips with messages, an open live session, staked CORE and an active DAO proposal.
 */
import { createWalletClient, encodeFunctionData, http, parseAbi, parseEther, parseUnits, type Hex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { waitForTransactionReceipt } from "viem/actions";
import * as sdk from "../../sdk/src/index.ts";
import { harmonieTippingAbi } from "../../sdk/src/generated/abis.ts";
import type { StorageBackend } from "../../sdk/src/storage/backend.ts";
import { generateTrackKey } from "../../sdk/src/storage/encryption.ts";
import { addProfilePackage, addTrackPackage } from "../../sdk/src/storage/packages.ts";
import { rpc } from "../local-chain.ts";
import { DEMO_ACCOUNTS } from "./accounts.ts";
import { coverPng, gradientPng, melodyWav, songWav } from "./media.ts";

/** The local stablecoin's public faucet (contracts/test/mocks/TestStablecoin.sol; local chains only). */
const FAUCET_ABI = parseAbi(["function mint(address to, uint256 amount)"]);

export interface SeedContext {
  rpcUrl: string;
  deployment: sdk.Deployment;
  storage: StorageBackend;
  keyServiceUrl: string;
  log?: (line: string) => void;
}

const MONTH = 30n * 24n * 3600n;
const C = [261.63, 293.66, 329.63, 349.23, 392.0, 440.0, 493.88, 523.25]; // C major, C4–C5

const ARTISTS = [
  {
    handle: "nova",
    displayName: "Nova",
    bio: "Synthwave from a night drive.",
    colors: [
      [255, 94, 98],
      [255, 195, 113],
    ],
  },
  {
    handle: "kora_sounds",
    displayName: "Kora Sounds",
    bio: "Strings and sunrise, Bamako to Lisbon.",
    colors: [
      [67, 206, 162],
      [24, 90, 157],
    ],
  },
  {
    handle: "mbalax",
    displayName: "Mbalax Collective",
    bio: "Dakar rhythms, live every Friday.",
    colors: [
      [142, 45, 226],
      [74, 0, 224],
    ],
  },
] as const;

export async function seedDemo(ctx: SeedContext) {
  const log = ctx.log ?? console.log;
  const wallet = (privateKey: Hex) =>
    createWalletClient({
      chain: sdk.harmonieLocal,
      transport: http(ctx.rpcUrl),
      account: privateKeyToAccount(privateKey),
    });
  const [, nova, kora, mbalax, fan1, fan2, fan3] = DEMO_ACCOUNTS.map((a) => wallet(a.privateKey));
  const artists = [nova, kora, mbalax];
  const { deployment, storage } = ctx;

  for (const [i, artist] of ARTISTS.entries()) {
    const profile = await addProfilePackage(storage, {
      profile: { displayName: artist.displayName, bio: artist.bio },
      avatar: { content: gradientPng(128, [...artist.colors[0]], [...artist.colors[1]]), mimeType: "image/png" },
    });
    await sdk.registerProfile(artists[i], {
      deployment,
      handle: artist.handle,
      profileCid: profile.cid.toString(),
      isArtist: true,
    });
  }
  await sdk.registerProfile(fan1, {
    deployment,
    handle: "first_fan",
    profileCid: "bafkreifjjcie6lypi6ny7amxnfftagclbuxndqonfipmb64f2km2devei4",
    isArtist: false,
  });
  log("  profiles: nova, kora_sounds, mbalax, first_fan");

  // Every demo fan gets 1,000 of the local USDC stand-in (public faucet), for a licence and tips in it.
  const usdc = deployment.tokens?.[0];
  if (usdc) {
    for (const fan of [fan1, fan2, fan3]) {
      const hash = await fan.writeContract({
        address: usdc.address,
        abi: FAUCET_ABI,
        functionName: "mint",
        args: [fan.account.address, parseUnits("1000", usdc.decimals)],
      });
      await waitForTransactionReceipt(fan, { hash });
    }
  }

  let trackCount = 0;
  const addTrack = async (
    artist: (typeof artists)[number],
    /** `notes`: a short melody; `minutes`: a song that long (the player, progressive playback and screenshots need real lengths). */
    fields: { title: string; artist: string; isrc: string; genre: string; notes: number[]; minutes?: number },
    options: { exclusive?: boolean; splits?: sdk.Split[]; offers: sdk.LicenseTerms[] },
  ) => {
    const key = options.exclusive ? await generateTrackKey() : undefined;
    const seconds = fields.minutes ? Math.round(fields.minutes * 60) : fields.notes.length * 0.4;
    const audio = fields.minutes ? songWav(`${fields.isrc} ${fields.title}`, seconds) : melodyWav(fields.notes);
    const pkg = await addTrackPackage(storage, {
      metadata: {
        title: fields.title,
        artist: fields.artist,
        isrc: fields.isrc,
        durationSeconds: seconds,
        genre: fields.genre,
        licence: {
          summary: options.exclusive
            ? "Exclusive: licence holders only"
            : "Personal listening; commercial use with a licence",
        },
      },
      audio: { content: audio, mimeType: "audio/wav" },
      // Each track its own cover, drawn from its ISRC and title (same data, same picture, every run).
      // (The motifs in turn, so neighbours on Discover never share one.)
      cover: {
        content: coverPng(`${fields.isrc} ${fields.title}`, { motif: (trackCount++ % 4) as 0 | 1 | 2 | 3 }),
        mimeType: "image/png",
      },
      encryption: key ? { key, context: fields.isrc } : undefined,
    });
    const { trackId } = await sdk.registerTrack(artist, {
      deployment,
      isrc: fields.isrc,
      metadataCid: pkg.cid.toString(),
      exclusive: options.exclusive,
      royaltyBps: 500,
      splits: options.splits ?? [{ recipient: artist.account.address, bps: 10_000 }],
      offers: options.offers,
    });
    if (key) await sdk.depositTrackKey(artist, { trackId, key, keyService: ctx.keyServiceUrl });
    return trackId;
  };

  const nightDrive = await addTrack(
    nova,
    {
      title: "Night Drive",
      artist: "Nova",
      isrc: "QZDA62400001",
      genre: "Synthwave",
      notes: [C[0], C[2], C[4], C[7], C[4], C[2], C[0], C[4]],
      minutes: 4,
    },
    {
      offers: [
        { price: parseEther("5"), commercialUse: true },
        // Offer 1: a month of listening for 4.99 in the local stand-in for Core's bridged USDC.
        ...(usdc ? [{ token: usdc.address, price: parseUnits("4.99", usdc.decimals), duration: MONTH }] : []),
      ],
    },
  );
  const aurora = await addTrack(
    nova,
    {
      title: "Aurora (exclusive)",
      artist: "Nova",
      isrc: "QZDA62400002",
      genre: "Synthwave",
      notes: [C[5], C[4], C[2], C[4], C[5], C[7], C[5], C[4]],
    },
    {
      exclusive: true,
      offers: [
        { price: parseEther("0.5"), duration: MONTH },
        { price: parseEther("5"), supplyCap: 100, commercialUse: true },
      ],
    },
  );
  await addTrack(
    kora,
    {
      title: "Sahel Sunrise",
      artist: "Kora Sounds",
      isrc: "QZDA62400003",
      genre: "Afro-folk",
      notes: [C[2], C[3], C[4], C[6], C[4], C[3], C[2], C[0]],
      minutes: 1.5,
    },
    {
      splits: [
        { recipient: kora.account.address, bps: 8_000 },
        { recipient: mbalax.account.address, bps: 2_000 },
      ],
      offers: [{ price: parseEther("2"), derivativesAllowed: true }],
    },
  );
  await addTrack(
    mbalax,
    {
      title: "Dakar Nights",
      artist: "Mbalax Collective",
      isrc: "QZDA62400004",
      genre: "Mbalax",
      notes: [C[0], C[0], C[4], C[4], C[5], C[5], C[4], C[2]],
      minutes: 2.5,
    },
    {
      offers: [{ price: parseEther("1") }],
    },
  );
  log(
    `  tracks: Night Drive${usdc ? ` (also in ${usdc.symbol})` : ""}, Aurora (exclusive), Sahel Sunrise (80/20 split), Dakar Nights`,
  );

  await sdk.purchaseLicense(fan1, { deployment, trackId: nightDrive, offerId: 0n });
  await sdk.purchaseLicense(fan2, { deployment, trackId: aurora, offerId: 0n });
  // Bought again, fan 2's month of Aurora is renewed: a second month, the same licence token.
  const renewed = await sdk.purchaseLicense(fan2, { deployment, trackId: aurora, offerId: 0n });
  if (usdc) await sdk.purchaseLicense(fan3, { deployment, trackId: nightDrive, offerId: 1n }); // approve, then buy
  log(
    `  licences: Night Drive to first_fan${usdc ? ` and fan 3 (in ${usdc.symbol})` : ""}; Aurora to fan 2, renewed until ${new Date(Number(renewed.expiresAt) * 1000).toISOString().slice(0, 10)}`,
  );
  for (const fan of [fan1, fan2, fan3]) await sdk.follow(fan, { deployment, artist: nova.account.address });
  await sdk.follow(fan1, { deployment, artist: kora.account.address });

  const { streamId } = await sdk.openSession(mbalax, {
    deployment,
    title: "Friday night live from Dakar",
    playbackId: "", // tips and messages only, no video
  });
  const tips: [typeof fan1, (typeof artists)[number], string, string, bigint][] = [
    [fan1, nova, "1", "Night Drive on repeat all week!", 0n],
    [fan2, nova, "2.5", "Aurora gave me chills ✨", 0n],
    [fan3, kora, "0.8", "Merci pour Sahel Sunrise", 0n],
    [fan1, mbalax, "1.2", "Dakar in the house!", streamId],
    [fan2, mbalax, "0.5", "Play Dakar Nights again 🔁", streamId],
    [fan3, mbalax, "3", "Best live of the year", streamId],
  ];
  for (const [fan, artist, amount, message, stream] of tips) {
    await sdk.tip(fan, {
      deployment,
      artist: artist.account.address,
      amount: parseEther(amount),
      message,
      streamId: stream,
    });
  }
  // Stablecoin tips: two fans tip in the local USDC.
  if (usdc) {
    await sdk.tip(fan1, {
      deployment,
      artist: kora.account.address,
      token: usdc.address,
      amount: parseUnits("5", usdc.decimals),
      message: "Five dollars for the kora 🎶",
    });
    await sdk.tip(fan2, {
      deployment,
      artist: mbalax.account.address,
      token: usdc.address,
      amount: parseUnits("2.5", usdc.decimals),
      message: "From Paris, in dollars",
      streamId,
    });
  }
  log(
    `  tips: ${tips.length + (usdc ? 2 : 0)} with messages (2 in ${usdc?.symbol ?? "—"}); live session #${streamId} open`,
  );

  for (const fan of [fan1, fan2, fan3]) {
    await sdk.stake(fan, { deployment, amount: parseEther("100") });
    await sdk.delegate(fan, { deployment, delegatee: fan.account.address });
  }
  await rpc(ctx.rpcUrl, "evm_increaseTime", [2]);
  await rpc(ctx.rpcUrl, "evm_mine");
  const proposal = await sdk.propose(fan1, {
    deployment,
    targets: [deployment.contracts.HarmonieTipping.address],
    values: [0n],
    calldatas: [encodeFunctionData({ abi: harmonieTippingAbi, functionName: "setFee", args: [200] })],
    description: "Lower the tipping fee to 2%\n\nArtists keep more of every tip.",
  });
  await rpc(ctx.rpcUrl, "evm_increaseTime", [2]);
  await rpc(ctx.rpcUrl, "evm_mine");
  await sdk.castVote(fan2, { deployment, proposalId: proposal.proposalId, support: "for", reason: "More for artists" });
  log("  DAO: 300 hVOTE staked and delegated; proposal “Lower the tipping fee to 2%” is active");
  return { streamId, trackIds: { nightDrive, aurora }, proposalId: proposal.proposalId };
}
