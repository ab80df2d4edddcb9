import { ConfigError, loadConfig } from "@ark/service-kit";
import { describe, expect, it } from "vitest";
import { arkApiConfig } from "./config.js";

describe("ark-api configuration", () => {
  it("starts with API keys required: auth is off only when ARK_API_AUTH=none is set", () => {
    expect(loadConfig(arkApiConfig, {})).toMatchObject({ PORT: 8000, ARK_API_AUTH: ["apikey"], CORS_ORIGINS: [] });
    expect(loadConfig(arkApiConfig, { ARK_API_AUTH: "none" }).ARK_API_AUTH).toEqual(["none"]);
    const oidc = { OIDC_JWKS_URL: "https://idp/jwks", OIDC_ISSUER: "https://idp", OIDC_AUDIENCE: "ark-api" };
    expect(loadConfig(arkApiConfig, { ARK_API_AUTH: "apikey,oidc", ...oidc })).toMatchObject({ ARK_API_AUTH: ["apikey", "oidc"], OIDC_ALGORITHMS: ["RS256", "ES256"] });
  });

  it("names the bad variable", () => {
    expect(() => loadConfig(arkApiConfig, { ARK_API_AUTH: "none,apikey" })).toThrow(ConfigError);
    expect(() => loadConfig(arkApiConfig, { ARK_API_AUTH: "oidc" })).toThrow(/OIDC_JWKS_URL/);
    expect(() => loadConfig(arkApiConfig, { ARK_API_AUTH: "password" })).toThrow(/ARK_API_AUTH/);
    expect(() => loadConfig(arkApiConfig, { EVENT_REPLAY_MB: "-1" })).toThrow(/EVENT_REPLAY_MB/);
    expect(loadConfig(arkApiConfig, { EVENT_REPLAY_MB: "0" }).EVENT_REPLAY_MB).toBe(0);
  });

  it("requires the issuer and audience with OIDC, and refuses alg none and HS* (oidc-without-issuer-or-audience)", () => {
    const jwks = { ARK_API_AUTH: "oidc", OIDC_JWKS_URL: "https://idp/jwks" };
    expect(() => loadConfig(arkApiConfig, { ...jwks, OIDC_AUDIENCE: "ark-api" })).toThrow(/OIDC_ISSUER/);
    expect(() => loadConfig(arkApiConfig, { ...jwks, OIDC_ISSUER: "https://idp" })).toThrow(/OIDC_AUDIENCE/);
    const complete = { ...jwks, OIDC_ISSUER: "https://idp", OIDC_AUDIENCE: "ark-api" };
    expect(() => loadConfig(arkApiConfig, { ...complete, OIDC_ALGORITHMS: "none" })).toThrow(/OIDC_ALGORITHMS/);
    expect(() => loadConfig(arkApiConfig, { ...complete, OIDC_ALGORITHMS: "RS256,HS256" })).toThrow(/OIDC_ALGORITHMS/);
    expect(loadConfig(arkApiConfig, { ...complete, OIDC_ALGORITHMS: "ES384" }).OIDC_ALGORITHMS).toEqual(["ES384"]);
  });

  it("never reflects any origin with credentials: CORS_ORIGINS takes origins, or * alone (cors-star-with-credentials)", () => {
    expect(loadConfig(arkApiConfig, { CORS_ORIGINS: "http://localhost:3000,https://dash.example" }).CORS_ORIGINS).toEqual(["http://localhost:3000", "https://dash.example"]);
    expect(() => loadConfig(arkApiConfig, { CORS_ORIGINS: "*,http://localhost:3000" })).toThrow(/CORS_ORIGINS/);
    expect(() => loadConfig(arkApiConfig, { CORS_ORIGINS: "https://dash.example/path" })).toThrow(/CORS_ORIGINS/);
  });
});
