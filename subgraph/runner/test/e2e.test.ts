// End-to-end on PGlite (the default store): see e2e-suite.ts.
import { e2eSuite, pglite } from "./e2e-suite.ts";

e2eSuite("PGlite", pglite);
