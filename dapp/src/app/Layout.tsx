import { Suspense, lazy } from "react";
import { NavLink, Route, Routes } from "react-router";
import { NotFound } from "../lib/not-found.tsx";
import { ConnectSlot, NetworkGuardSlot, RequireWallet } from "./wallet.tsx";

// One chunk per page: the first load carries only the shell. Pages read the chain without the wallet
// kit; those that need the visitor's account before showing anything wait for it (<RequireWallet>).
// Discover, artist and track pages (the links people share), and Offline never do.
const Discover = lazy(() => import("../pages/discover/Discover.tsx"));
const Artist = lazy(() => import("../pages/artist/Artist.tsx"));
const Track = lazy(() => import("../pages/track/Track.tsx"));
const Live = lazy(() => import("../pages/live/Live.tsx"));
const Studio = lazy(() => import("../pages/studio/Studio.tsx"));
const Dao = lazy(() => import("../pages/dao/Dao.tsx"));
const Proposal = lazy(() => import("../pages/dao/Proposal.tsx"));
const Saved = lazy(() => import("../pages/saved/Saved.tsx"));
const Collection = lazy(() => import("../pages/collection/Collection.tsx"));
// Which services answer: loaded beside the first page (it shares the query code pages use).
const HealthBanner = lazy(() => import("./Health.tsx"));
// Nothing plays before a first press of Play: the player's bar stays out of the entry chunk too.
const BottomPlayer = lazy(() => import("../player/BottomPlayer.tsx").then((m) => ({ default: m.BottomPlayer })));

const NAV = [
  ["/", "Discover"],
  ["/collection", "Collection"],
  ["/studio", "Studio"],
  ["/dao", "DAO"],
  ["/saved", "Offline"],
] as const;

export function Layout() {
  return (
    <>
      <a className="skip" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <NavLink to="/" className="brand" aria-label="HarmonieCORE home">
          <img src="/icons/icon.svg" alt="" width="32" height="32" /> HarmonieCORE
        </NavLink>
        <nav aria-label="Main">
          <ul>
            {NAV.map(([to, label]) => (
              <li key={to}>
                <NavLink to={to} end={to === "/"}>
                  {label}
                </NavLink>
              </li>
            ))}
          </ul>
        </nav>
        <ConnectSlot />
      </header>
      <NetworkGuardSlot />
      <Suspense fallback={null}>
        <HealthBanner />
      </Suspense>
      <main id="main" className="page" tabIndex={-1}>
        <Suspense fallback={<p aria-live="polite">Loading…</p>}>
          <Routes>
            <Route path="/" element={<Discover />} />
            <Route path="/artist/:address" element={<Artist />} />
            <Route path="/track/:isrc" element={<Track />} />
            <Route
              path="/live/:streamId"
              element={
                <RequireWallet>
                  <Live />
                </RequireWallet>
              }
            />
            <Route
              path="/studio"
              element={
                <RequireWallet>
                  <Studio />
                </RequireWallet>
              }
            />
            <Route
              path="/dao"
              element={
                <RequireWallet>
                  <Dao />
                </RequireWallet>
              }
            />
            <Route
              path="/dao/:proposalId"
              element={
                <RequireWallet>
                  <Proposal />
                </RequireWallet>
              }
            />
            <Route path="/saved" element={<Saved />} />
            {/* `/@handle` (React Router's segments are whole, so the page checks the "@"). */}
            <Route path="/:profile" element={<Artist />} />
            <Route
              path="/collection"
              element={
                <RequireWallet>
                  <Collection />
                </RequireWallet>
              }
            />
            <Route
              path="*"
              element={
                <NotFound title="Page not found">
                  <p>There is no page at this address.</p>
                </NotFound>
              }
            />
          </Routes>
        </Suspense>
      </main>
      <footer className="footer">
        <p>Open protocol on Core Network. Tips and licence revenue go straight to artists.</p>
      </footer>
      <Suspense fallback={null}>
        <BottomPlayer />
      </Suspense>
    </>
  );
}
