import { commonServiceConfig, envPort, envUrl } from "@ark/service-kit";
import { z } from "zod";

export const dashboardConfig = commonServiceConfig.extend({
  PORT: envPort().default(3000),
  /** ark-api, the dashboard's only backend: the browser reaches it through this server at /api. */
  ARK_API_URL: envUrl({ protocols: ["http:", "https:"] }).default("http://127.0.0.1:8000"),
  /** The built single-page app (index.html and assets/); unset: this package's dist/web. */
  DASHBOARD_STATIC_DIR: z.string().min(1).optional(),
});

export type DashboardConfig = z.output<typeof dashboardConfig>;
