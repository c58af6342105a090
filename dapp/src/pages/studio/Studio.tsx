import { ContractError, getProfile } from "@harmonie/sdk";
import { useQuery } from "@tanstack/react-query";
import { Link } from "react-router";
import { useHarmonie } from "../../lib/harmonie.tsx";
import { useAccount, useReader } from "../../lib/wallet.ts";
import { usePageMeta } from "../../lib/meta.ts";
import { LoadError, Loading } from "../../lib/states.tsx";
import { Name } from "../../lib/text.tsx";
import { Earnings } from "./Earnings.tsx";
import { GoLive } from "./GoLive.tsx";
import { Labels } from "./Labels.tsx";
import { ProfileForm } from "./ProfileForm.tsx";
import { TrackForm } from "./TrackForm.tsx";
import { YourTracks } from "./YourTracks.tsx";

export default function Studio() {
  const { address } = useAccount();
  usePageMeta("Studio", "Publish tracks, go live and withdraw your earnings on HarmonieCORE.");
  if (!address) return <StudioIntro />;
  return <StudioFor account={address} />;
}

function StudioIntro() {
  return (
    <>
      <h1>Studio</h1>
      <p>Connect your wallet to create your artist profile, publish tracks and withdraw your earnings.</p>
    </>
  );
}

function StudioFor({ account }: { account: `0x${string}` }) {
  const { deployment } = useHarmonie();
  const reader = useReader();
  const profile = useQuery({
    queryKey: ["own-profile", account],
    queryFn: async () => {
      try {
        return await getProfile(reader, { deployment, account });
      } catch (error) {
        // No profile yet is a normal state, not an error.
        if (error instanceof ContractError && error.errorName === "ArtistProfilesUnknownProfile") return null;
        throw error;
      }
    },
  });
  // A profile read that failed must not lock an existing artist out of publishing.
  const canPublish = !!profile.data || profile.isError;
  return (
    <>
      <h1>Studio</h1>
      {profile.data && (
        <p>
          Signed in as{" "}
          <strong>
            <Name text={`@${profile.data.handle}`} />
          </strong>{" "}
          · <Link to={`/artist/${account}`}>your public page</Link>
        </p>
      )}
      {/* Artists with a profile see "Go live" (and their running broadcast) first. */}
      {profile.data && <GoLive />}
      {profile.isPending ? (
        <Loading what="your profile" />
      ) : profile.isError ? (
        // Not knowing whether a profile exists, offering to create one would mislead an existing artist.
        <section className="panel" aria-labelledby="profile-heading">
          <h2 id="profile-heading">Your profile</h2>
          <LoadError what="Your profile" error={profile.error} retry={() => void profile.refetch()} />
        </section>
      ) : (
        <ProfileForm account={account} profile={profile.data} />
      )}
      {/* Without a profile, fans could not find a track or a session by its artist: the profile comes
          first. Handed-over tracks, split shares and labels need none (a bandmate, a label). */}
      <YourTracks account={account} canPublish={canPublish} />
      {profile.data === null ? (
        <p className="panel muted" data-testid="publish-after-profile">
          Publishing tracks and going live start here once your profile exists: fans find your tracks and sessions by
          it.
        </p>
      ) : (
        canPublish && <TrackForm account={account} />
      )}
      <Earnings account={account} />
      <Labels account={account} />
    </>
  );
}
