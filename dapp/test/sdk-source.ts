/**
 * `node --import ./test/sdk-source.ts`: resolves `@harmonie/sdk[/module]` to the SDK's source, as
 * the Vite alias does for the app (the package's exports point at dist/, which tests do not build).
 * The subpaths are the SDK's own list (sdk/src/entry-points.ts).
 */
import { registerHooks } from "node:module";
import { ENTRY_POINTS } from "../../sdk/src/entry-points.ts";

const SDK = new URL("../../sdk/", import.meta.url);

registerHooks({
  resolve(specifier, context, nextResolve) {
    if (specifier !== "@harmonie/sdk" && !specifier.startsWith("@harmonie/sdk/"))
      return nextResolve(specifier, context);
    const source = ENTRY_POINTS[`.${specifier.slice("@harmonie/sdk".length)}`];
    if (!source) return nextResolve(specifier, context);
    return nextResolve(new URL(source, SDK).href, context);
  },
});
