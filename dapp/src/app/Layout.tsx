import { Suspense, lazy } from "react";
import { NavLink, Route, Routes } from "react-router";
import { NotFound } from "../lib/not-found.tsx";
import { ConnectSlot, NetworkGuardSlot, RequireWallet } from "./wallet.tsx";

// One chunk per page: the first load carries only the shell. Pages read the chain without the wallet
// kit; those that need the visitor's account before showing anything wait for it (<RequireWallet>).
// Discover, artist and track pages (the links people share), and Offline never do.
const Discover = lazy(() => import("../pages/discover/Discover.tsx"));
const Search = lazy(() => import("../pages/search/Search.tsx"));
const Artists = lazy(() => import("../pages/discover/Artists.tsx"));
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

// On phones the same links are a tab bar at the bottom of the screen, each with its glyph (styles.css).
const NAV = [
  [
    "/",
    "Discover",
    "M12 2a10 10 0 1 0 0 20 10 10 0 0 0 0-20zm0 18a8 8 0 1 1 0-16 8 8 0 0 1 0 16zm-5.5-2.5 7.5-3.5 3.5-7.5-7.5 3.5zm5.5-6.6a1.1 1.1 0 1 1 0 2.2 1.1 1.1 0 0 1 0-2.2z",
  ],
  [
    "/collection",
    "Collection",
    "M4 6H2v14a2 2 0 0 0 2 2h14v-2H4zm16-4H8a2 2 0 0 0-2 2v12a2 2 0 0 0 2 2h12a2 2 0 0 0 2-2V4a2 2 0 0 0-2-2zm-1 9h-4v4h-2v-4H9V9h4V5h2v4h4z",
  ],
  [
    "/studio",
    "Studio",
    "M12 14a3 3 0 0 0 3-3V5a3 3 0 0 0-6 0v6a3 3 0 0 0 3 3zm5.3-3A5.3 5.3 0 0 1 12 16.1 5.3 5.3 0 0 1 6.7 11H5a7 7 0 0 0 6 6.7V21h2v-3.3a7 7 0 0 0 6-6.7z",
  ],
  ["/dao", "DAO", "M12 2 2 7v2h20V7zM4 11v7h3v-7zm6.5 0v7h3v-7zM17 11v7h3v-7zM2 20v2h20v-2z"],
  ["/saved", "Offline", "M19 9h-4V3H9v6H5l7 7zM5 18v2h14v-2z"],
] as const;

export function Layout() {
  return (
    <>
      <a className="skip" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <NavLink to="/" className="brand" aria-label="HarmonieCORE home">
          <img src="/icons/icon.svg" alt="" width="32" height="32" /> <span className="brand-name">HarmonieCORE</span>
        </NavLink>
        <nav aria-label="Main" className="main-nav">
          <ul>
            {NAV.map(([to, label, glyph]) => (
              <li key={to}>
                <NavLink to={to} end={to === "/"}>
                  <svg
                    className="nav-icon"
                    viewBox="0 0 24 24"
                    width="24"
                    height="24"
                    aria-hidden="true"
                    focusable="false"
                  >
                    <path d={glyph} fill="currentColor" />
                  </svg>
                  <span>{label}</span>
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
            <Route path="/search" element={<Search />} />
            <Route path="/artists" element={<Artists />} />
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
