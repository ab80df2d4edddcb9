import { fileURLToPath } from "node:url";
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

// The app imports @ark/types (the API's zod schemas) from its TypeScript sources.
export default defineConfig({
  root: fileURLToPath(new URL("./web", import.meta.url)),
  plugins: [react()],
  resolve: { conditions: ["@ark/source", "browser", "module", "import", "default"] },
  build: { outDir: fileURLToPath(new URL("./dist/web", import.meta.url)), emptyOutDir: true, sourcemap: true, chunkSizeWarningLimit: 1024 },
  server: { proxy: { "/api": { target: process.env.ARK_API_URL ?? "http://127.0.0.1:8000", rewrite: (path) => path.replace(/^\/api/, "") } } },
});
