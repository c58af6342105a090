import { fileURLToPath } from "node:url";
import react from "@vitejs/plugin-react";
import { build, defineConfig, type Plugin, type Rollup } from "vite";
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

/** The pages people land on and the layout parts they all start with (the routes of app/Layout.tsx). */
const ROUTES: [pattern: RegExp, modules: string[]][] = [
  [/^\/$/, ["src/pages/discover/Discover.tsx"]],
  // The same paths app/prefetch.ts fetches data for.
  [/^\/track\/[^/]+\/?$/, ["src/pages/track/Track.tsx", "src/lib/prefetch.ts"]],
  [/^\/(?:artist\/[^/]+|@[^/]+)\/?$/, ["src/pages/artist/Artist.tsx", "src/lib/prefetch.ts"]],
];
// The layout's lazy parts, and the IPFS reads every one of these pages starts with (a cover, a profile).
const COMMON = ["src/app/Health.tsx", "src/player/BottomPlayer.tsx", "src/lib/ipfs-reads.ts"];

/**
 * A landing page arrives in three files of JS, not ~40: on a phone's network, requests in flight share
 * the bandwidth and a host serves six at a time, so many small chunks arrive later than a few large ones
 * of the same size. Which modules the landing pages load is only known after tree-shaking (the SDK's
 * index re-exports everything), so a first build, written nowhere, tells: the real build then puts the
 * modules of the landing pages' chunks in one chunk (`landing`) and those of the entry's side chunks in
 * another (`shell`). Other pages that share a module with a landing page load `landing` too.
 */
function fewerChunks(): Plugin {
  const probing = "HARMONIE_CHUNK_PROBE";
  return {
    name: "harmonie:fewer-chunks",
    apply: (_, env) => env.command === "build" && !process.env[probing],
    async config() {
      process.env[probing] = "1";
      let output: Rollup.RollupOutput;
      try {
        const result = await build({
          configFile: fileURLToPath(import.meta.url),
          logLevel: "silent",
          build: { write: false, emptyOutDir: false },
        });
        output = (Array.isArray(result) ? result[0] : result) as Rollup.RollupOutput;
      } finally {
        delete process.env[probing];
      }
      const { entry, byModule, closure } = chunkGraph(output.output);
      const modulesOf = (files: Iterable<string>) =>
        new Set(
          [...files]
            .flatMap((file) => output.output.find((c) => c.fileName === file)!)
            .flatMap((c) => (c.type === "chunk" ? c.moduleIds : []))
            .filter((id) => !id.startsWith("\0")),
        );
      const landing = new Set<string>();
      for (const [, modules] of ROUTES)
        for (const module of [...modules, ...COMMON]) closure(byModule.get(`${ROOT}${module}`), landing);
      const entryChunk = output.output.find((c) => c.type === "chunk" && c.isEntry)!.fileName;
      const shell = modulesOf([...entry].filter((file) => file !== entryChunk));
      const landingModules = modulesOf([...landing].filter((file) => !entry.has(file)));
      return {
        build: {
          rolldownOptions: {
            output: {
              codeSplitting: {
                groups: [
                  { name: "shell", test: (id: string) => shell.has(id), includeDependenciesRecursively: false },
                  {
                    name: "landing",
                    test: (id: string) => landingModules.has(id),
                    includeDependenciesRecursively: false,
                  },
                ],
              },
            },
          },
        },
      };
    },
  };
}

const ROOT = fileURLToPath(new URL(".", import.meta.url));

/** A build's chunks: the entry's static closure, the chunk holding each module, and a static-import closure. */
function chunkGraph(bundle: (Rollup.OutputChunk | Rollup.OutputAsset)[]) {
  const chunks = bundle.filter((c): c is Rollup.OutputChunk => c.type === "chunk");
  const byModule = new Map(chunks.flatMap((chunk) => chunk.moduleIds.map((id) => [id, chunk] as const)));
  const byFile = new Map(chunks.map((chunk) => [chunk.fileName, chunk]));
  const closure = (chunk: Rollup.OutputChunk | undefined, into = new Set<string>()) => {
    if (!chunk || into.has(chunk.fileName)) return into;
    into.add(chunk.fileName);
    for (const file of chunk.imports) closure(byFile.get(file), into);
    return into;
  };
  const entry = new Set(chunks.filter((chunk) => chunk.isEntry).flatMap((chunk) => [...closure(chunk)]));
  return { entry, byModule, byFile, closure };
}

/**
 * A page's code is requested as soon as the HTML arrives, not once the entry script has downloaded and
 * run: a small inline script matches the path (the routes of app/Layout.tsx that people land on) and adds
 * `modulepreload` links for that page's chunks and the ones it is sure to import at once (`common`).
 * The entry's own chunks are preloaded by Vite already. Build only: the dev server serves modules.
 */
function routePreloads(): Plugin {
  return {
    name: "harmonie:route-preloads",
    apply: "build",
    transformIndexHtml: {
      order: "post",
      handler(html, { bundle }) {
        const { entry, byModule, byFile, closure } = chunkGraph(Object.values(bundle!));
        const filesOf = (modules: string[]) => {
          const files = new Set<string>();
          for (const module of modules) {
            const chunk = byModule.get(`${ROOT}${module}`);
            if (!chunk) throw new Error(`route-preloads: no chunk for ${module}`);
            closure(chunk, files);
          }
          // Largest first: a phone fetches six at a time, and the large ones take longest to arrive.
          const size = (file: string) => byFile.get(file)!.code.length;
          return [...files].filter((file) => !entry.has(file)).sort((a, b) => size(b) - size(a));
        };
        const table = ROUTES.map(([pattern, modules]) => [pattern.source, filesOf([...modules, ...COMMON])]);
        const script =
          `for(const[p,f]of${JSON.stringify(table)})if(new RegExp(p).test(location.pathname)){` +
          `for(const h of f)document.head.append(Object.assign(document.createElement("link"),{rel:"modulepreload",href:"/"+h,crossOrigin:""}));break}`;
        // Right after the charset (which must come first), before the stylesheet: an inline script after it would wait for it.
        const charset = /<meta charset="UTF-8" \/>/i;
        if (!charset.test(html)) throw new Error("route-preloads: index.html has no charset meta");
        return html.replace(charset, (meta) => `${meta}\n    <script>${script}</script>`);
      },
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
    fewerChunks(),
    routePreloads(),
    // Not in the first build of fewerChunks, which writes nothing.
    !process.env.HARMONIE_CHUNK_PROBE &&
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
