import { fileURLToPath } from "node:url";
import react from "@vitejs/plugin-react";
import { defineConfig, type Plugin } from "vite";
import { VitePWA } from "vite-plugin-pwa";

const sdk = fileURLToPath(new URL("../sdk/src/", import.meta.url));

/**
 * npm nests a separate copy of multiformats 14 and cborg 6 under each IPFS package (the hoisted
 * copies are older majors that graph-cli needs), and the bundle would carry all five. Every import
 * of these packages is resolved as if the SDK made it, so the browser gets one copy.
 */
function oneCopyOf(packages: string[]): Plugin {
  const importer = `${sdk}index.ts`;
  return {
    name: "harmonie:one-copy-of",
    enforce: "pre",
    resolveId(source, from, options) {
      if (from === importer || !packages.some((name) => source === name || source.startsWith(`${name}/`))) return null;
      return this.resolve(source, importer, { ...options, skipSelf: true });
    },
  };
}

export default defineConfig({
  resolve: {
    // The SDK's package exports point at dist/; the dApp builds from its source instead.
    alias: [
      { find: /^@harmonie\/sdk$/, replacement: `${sdk}index.ts` },
      { find: /^@harmonie\/sdk\/(storage|actions|indexer|streaming)$/, replacement: `${sdk}$1/index.ts` },
      { find: /^@harmonie\/sdk\/abis$/, replacement: `${sdk}generated/abis.ts` },
    ],
  },
  build: { target: "es2022", sourcemap: false, chunkSizeWarningLimit: 1200 },
  plugins: [
    oneCopyOf(["multiformats", "cborg"]),
    react(),
    VitePWA({
      registerType: "autoUpdate",
      injectRegister: "script-defer",
      includeAssets: ["icons/*.png", "icons/icon.svg"],
      manifest: {
        name: "HarmonieCORE",
        short_name: "Harmonie",
        description: "Tip artists live, license tracks and govern the platform on Core Network.",
        theme_color: "#14122b",
        background_color: "#14122b",
        display: "standalone",
        start_url: "/",
        scope: "/",
        icons: [
          { src: "/icons/icon-192.png", sizes: "192x192", type: "image/png" },
          { src: "/icons/icon-512.png", sizes: "512x512", type: "image/png" },
          { src: "/icons/maskable-512.png", sizes: "512x512", type: "image/png", purpose: "maskable" },
        ],
      },
      workbox: {
        globPatterns: ["**/*.{js,css,html,png,svg,webmanifest}"],
        navigateFallback: "/index.html",
        // Progressive playback: the worker relays audio bytes the page verified (src/player/relay.ts).
        importScripts: ["/audio-relay.js"],
        // …which needs the worker to control the page it installed from, not only the next one.
        clientsClaim: true,
        // config.json differs per deployment: never precached, but kept for offline starts.
        navigateFallbackDenylist: [/^\/config\.json$/],
        runtimeCaching: [
          {
            urlPattern: ({ url }) => url.pathname === "/config.json",
            handler: "NetworkFirst",
            options: { cacheName: "runtime-config", networkTimeoutSeconds: 3 },
          },
        ],
        // RainbowKit's ~20 translations (~1 MB) are never loaded: it runs with locale="en-US".
        manifestTransforms: [
          async (entries) => ({
            manifest: entries.filter((entry) => !/\/(?!en_US-)[a-z]{2}_[A-Z0-9]{2,3}-/.test(entry.url)),
            warnings: [],
          }),
        ],
        maximumFileSizeToCacheInBytes: 4 * 1024 * 1024,
      },
    }),
  ],
});
