import { z } from "zod";

// First of the app's imports: zod's compiled parsers probe `new Function`, which the page's Content-Security-Policy
// forbids (a console error on every page), and the schemas of @ark/types are made as it is imported.
z.config({ jitless: true });
