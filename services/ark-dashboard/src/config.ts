import { commonServiceConfig, envPort, envUrl } from "@ark/service-kit";
import { z } from "zod";

export const dashboardConfig = commonServiceConfig
  .extend({
    PORT: envPort().default(3000),
    /** ark-api, the dashboard's only backend: the browser reaches it through this server at /api. */
    ARK_API_URL: envUrl({ protocols: ["http:", "https:"] }).default("http://127.0.0.1:8000"),
    /** The built single-page app (index.html and assets/); unset: this package's dist/web. */
    DASHBOARD_STATIC_DIR: z.string().min(1).optional(),
    /** OIDC sign-in (authorization code + PKCE in the browser): the issuer ark-api trusts and this app's client id. */
    OIDC_ISSUER: envUrl({ protocols: ["http:", "https:"] }).optional(),
    OIDC_CLIENT_ID: z.string().min(1).optional(),
    OIDC_SCOPE: z.string().min(1).default("openid profile email"),
    /** The token sent to ark-api as Bearer: the access token, or the ID token (whose audience is the client id). */
    OIDC_TOKEN: z.enum(["access", "id"]).default("access"),
  })
  .superRefine((config, ctx) => {
    if (Boolean(config.OIDC_ISSUER) !== Boolean(config.OIDC_CLIENT_ID)) {
      ctx.addIssue({ code: "custom", path: [config.OIDC_ISSUER ? "OIDC_CLIENT_ID" : "OIDC_ISSUER"], message: "OIDC_ISSUER and OIDC_CLIENT_ID are set together" });
    }
  });

export type DashboardConfig = z.output<typeof dashboardConfig>;

/** What the app reads at /config.json before it starts. */
export interface AppConfig {
  oidc: { issuer: string; clientId: string; scope: string; token: "access" | "id" } | null;
}

export function appConfig(config: DashboardConfig): AppConfig {
  return {
    oidc: config.OIDC_ISSUER && config.OIDC_CLIENT_ID ? { issuer: config.OIDC_ISSUER, clientId: config.OIDC_CLIENT_ID, scope: config.OIDC_SCOPE, token: config.OIDC_TOKEN } : null,
  };
}
