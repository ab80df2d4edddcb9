import { ConfigError, loadConfig } from "@ark/service-kit";
import { describe, expect, it } from "vitest";
import { arkApiConfig } from "./config.js";

describe("ark-api configuration", () => {
  it("starts with API keys required: auth is off only when ARK_API_AUTH=none is set", () => {
    expect(loadConfig(arkApiConfig, {})).toMatchObject({ PORT: 8000, ARK_API_AUTH: ["apikey"], CORS_ORIGINS: [] });
    expect(loadConfig(arkApiConfig, { ARK_API_AUTH: "none" }).ARK_API_AUTH).toEqual(["none"]);
    expect(loadConfig(arkApiConfig, { ARK_API_AUTH: "apikey,oidc", OIDC_JWKS_URL: "https://idp/jwks" }).ARK_API_AUTH).toEqual(["apikey", "oidc"]);
  });

  it("names the bad variable", () => {
    expect(() => loadConfig(arkApiConfig, { ARK_API_AUTH: "none,apikey" })).toThrow(ConfigError);
    expect(() => loadConfig(arkApiConfig, { ARK_API_AUTH: "oidc" })).toThrow(/OIDC_JWKS_URL/);
    expect(() => loadConfig(arkApiConfig, { ARK_API_AUTH: "password" })).toThrow(/ARK_API_AUTH/);
  });
});
