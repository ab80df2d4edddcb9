import { generateKeyPairSync, type KeyObject } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { testPostgres } from "@ark/testing/vitest";
import { exportJWK, SignJWT, UnsecuredJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestStack, type TestStack } from "../test-support/harness.js";

const ISSUER = "https://issuer.test";
const AUDIENCE = "ark-api";

describe.skipIf(!testPostgres())("OIDC is strict: exp and aud required, algorithms pinned", () => {
  let stack: TestStack;
  let jwks: Server;
  let url: string;
  let privateKey: KeyObject;

  beforeAll(async () => {
    stack = await startTestStack("ark-api-oidc-strict");
    // A KeyObject without `alg` on its JWK: it would verify RS384/RS512 as well; only OIDC_ALGORITHMS stops them.
    const pair = generateKeyPairSync("rsa", { modulusLength: 2048 });
    privateKey = pair.privateKey;
    const jwk = { ...(await exportJWK(pair.publicKey)), kid: "k1", use: "sig" };
    jwks = createServer((_req, res) => res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ keys: [jwk] })));
    await new Promise<void>((resolve) => jwks.listen(0, "127.0.0.1", resolve));
    const jwksUrl = `http://127.0.0.1:${(jwks.address() as AddressInfo).port}/jwks.json`;
    url = (await stack.startApi({ ARK_API_AUTH: "oidc", OIDC_JWKS_URL: jwksUrl, OIDC_ISSUER: ISSUER, OIDC_AUDIENCE: AUDIENCE })).url;
  });
  afterAll(async () => {
    await stack?.close();
    await new Promise((resolve) => jwks?.close(resolve));
  });

  const status = async (token: string) => (await fetch(`${url}/v1/namespaces/default/agents`, { headers: { authorization: `Bearer ${token}` } })).status;
  const claims = { ark_namespaces: ["*"] };
  const signed = (options: { alg?: string; audience?: boolean; expires?: boolean } = {}) => {
    let jwt = new SignJWT(claims)
      .setProtectedHeader({ alg: options.alg ?? "RS256", kid: "k1" })
      .setIssuer(ISSUER)
      .setSubject("mallory")
      .setIssuedAt();
    if (options.audience !== false) jwt = jwt.setAudience(AUDIENCE);
    if (options.expires !== false) jwt = jwt.setExpirationTime("5m");
    return jwt.sign(privateKey);
  };

  it("accepts a complete RS256 token", async () => {
    expect(await status(await signed())).toBe(200);
  });

  it("refuses a token without exp (one that would never expire)", async () => {
    expect(await status(await signed({ expires: false }))).toBe(401);
  });

  it("refuses a token without aud", async () => {
    expect(await status(await signed({ audience: false }))).toBe(401);
  });

  it("refuses algorithms outside OIDC_ALGORITHMS, alg none and HS256", async () => {
    expect(await status(await signed({ alg: "RS512" }))).toBe(401);
    const unsecured = new UnsecuredJWT(claims).setIssuer(ISSUER).setAudience(AUDIENCE).setSubject("mallory").setExpirationTime("5m").encode();
    expect(await status(unsecured)).toBe(401);
    const hs256 = await new SignJWT(claims)
      .setProtectedHeader({ alg: "HS256", kid: "k1" })
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setExpirationTime("5m")
      .sign(new TextEncoder().encode("a-shared-secret-anyone-could-guess-00"));
    expect(await status(hs256)).toBe(401);
  });
});
