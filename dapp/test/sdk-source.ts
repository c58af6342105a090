/**
 * `node --import ./test/sdk-source.ts`: resolves `@harmonie/sdk[/module]` to the SDK's source, as
 * the Vite alias does for the app (the package's exports point at dist/, which tests do not build).
 */
import { registerHooks } from "node:module";

const SDK = new URL("../../sdk/src/", import.meta.url);

registerHooks({
  resolve(specifier, context, nextResolve) {
    const module = /^@harmonie\/sdk(?:\/(storage|actions|indexer|streaming))?$/.exec(specifier);
    if (!module) return nextResolve(specifier, context);
    return nextResolve(new URL(module[1] ? `${module[1]}/index.ts` : "index.ts", SDK).href, context);
  },
});
