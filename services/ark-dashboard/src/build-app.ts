import { fileURLToPath } from "node:url";

const CONFIG_FILE = fileURLToPath(new URL("../vite.config.ts", import.meta.url));

/** Builds the single-page app with vite (a dev dependency: images ship it built). */
export async function buildApp(outDir: string): Promise<void> {
  const { build } = await import("vite");
  await build({ configFile: CONFIG_FILE, logLevel: "error", build: { outDir, emptyOutDir: true } });
}
