import { isValidHandle, protocolLimits, registerProfile, updateProfile } from "@harmonie/sdk";
import { addProfilePackage } from "@harmonie/sdk/storage";
import { type FormEvent, useEffect, useState } from "react";
import { useHarmonie } from "../../lib/harmonie.tsx";
import { useWallet } from "../../lib/wallet.ts";
import { useProfileDocument } from "../../lib/ipfs.ts";
import { TxStatus, useTx } from "../../lib/tx.tsx";

const HANDLE = protocolLimits.ArtistProfiles;

interface OwnProfile {
  handle: string;
  profileCid: string;
  isArtist: boolean;
}

export function ProfileForm({ account, profile }: { account: `0x${string}`; profile: OwnProfile | null }) {
  const { deployment, storage } = useHarmonie();
  const wallet = useWallet();
  const tx = useTx();
  const document = useProfileDocument(profile?.profileCid);
  const [handle, setHandle] = useState("");
  const [displayName, setDisplayName] = useState("");
  const [bio, setBio] = useState("");
  const [avatar, setAvatar] = useState<File>();
  useEffect(() => {
    if (!document.data) return;
    setDisplayName(document.data.displayName);
    setBio(document.data.bio ?? "");
  }, [document.data]);

  const handleOk = profile !== null || isValidHandle(handle);

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!wallet || !handleOk) return;
    await tx.run(profile ? "Update profile" : "Create profile", async () => {
      // The document (and avatar) go to IPFS first; the chain stores only its CID.
      const added = await addProfilePackage(await storage(), {
        profile: { displayName, ...(bio ? { bio } : {}), address: account },
        ...(avatar ? { avatar: { content: avatar } } : {}),
      });
      const profileCid = added.cid.toString();
      return profile
        ? updateProfile(wallet, { deployment, profileCid })
        : registerProfile(wallet, { deployment, handle, profileCid, isArtist: true });
    });
  }

  return (
    <form className="panel form" onSubmit={submit} aria-labelledby="profile-heading">
      <h2 id="profile-heading">{profile ? "Your profile" : "Create your artist profile"}</h2>
      {!profile && (
        <label>
          Handle
          <input
            value={handle}
            onChange={(e) => setHandle(e.target.value.toLowerCase())}
            aria-invalid={handle !== "" && !handleOk}
            aria-describedby="handle-help"
            autoComplete="username"
            required
          />
          <span id="handle-help" className={handle !== "" && !handleOk ? "error" : "muted"}>
            {HANDLE.MIN_HANDLE_LENGTH}–{HANDLE.MAX_HANDLE_LENGTH} characters: a–z, 0–9 and _
          </span>
        </label>
      )}
      <label>
        Display name
        <input value={displayName} onChange={(e) => setDisplayName(e.target.value)} maxLength={64} required />
      </label>
      <label>
        Bio
        <textarea value={bio} onChange={(e) => setBio(e.target.value)} maxLength={2000} rows={3} />
      </label>
      <label>
        Avatar (PNG, JPEG, WebP or AVIF)
        <input
          type="file"
          accept="image/png,image/jpeg,image/webp,image/avif"
          onChange={(e) => setAvatar(e.target.files?.[0])}
        />
      </label>
      <button type="submit" disabled={!wallet || !handleOk || tx.busy}>
        {profile ? "Save profile" : "Create profile"}
      </button>
      <TxStatus state={tx.state} />
    </form>
  );
}
