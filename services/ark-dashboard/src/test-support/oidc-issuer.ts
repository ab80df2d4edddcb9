import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { exportJWK, generateKeyPair, SignJWT } from "jose";

/** A minimal OIDC issuer for the browser test: discovery, an authorize endpoint that signs `subject` in at once, tokens, JWKS. */
export interface TestOidcIssuer {
  url: string;
  /** Who signs in at the next authorize request. */
  subject: string;
  /** Token requests answered, with the client id each gave. */
  tokenRequests: Array<{ clientId: string | null; codeVerifier: string | null }>;
  close(): Promise<void>;
}

export async function startTestOidcIssuer(options: { audience: string; claims?: Record<string, unknown> }): Promise<TestOidcIssuer> {
  const { privateKey, publicKey } = await generateKeyPair("RS256");
  const jwk = { ...(await exportJWK(publicKey)), kid: "test", alg: "RS256", use: "sig" };
  const codes = new Map<string, { clientId: string; nonce: string | null }>();
  const sign = (claims: Record<string, unknown>, audience: string) =>
    new SignJWT(claims).setProtectedHeader({ alg: "RS256", kid: "test" }).setIssuer(issuer.url).setAudience(audience).setSubject(issuer.subject).setIssuedAt().setExpirationTime("10m").sign(privateKey);

  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    const url = new URL(request.url ?? "/", issuer.url);
    // The browser reads discovery, tokens and keys from the app's origin.
    response.setHeader("access-control-allow-origin", "*");
    response.setHeader("access-control-allow-headers", "*");
    const json = (body: unknown) => response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(body));
    if (request.method === "OPTIONS") return response.writeHead(204).end();
    if (url.pathname === "/.well-known/openid-configuration") {
      return json({
        issuer: issuer.url,
        authorization_endpoint: `${issuer.url}/authorize`,
        token_endpoint: `${issuer.url}/token`,
        jwks_uri: `${issuer.url}/jwks`,
        response_types_supported: ["code"],
        subject_types_supported: ["public"],
        id_token_signing_alg_values_supported: ["RS256"],
        code_challenge_methods_supported: ["S256"],
      });
    }
    if (url.pathname === "/jwks") return json({ keys: [jwk] });
    if (url.pathname === "/authorize") {
      const code = randomUUID();
      codes.set(code, { clientId: url.searchParams.get("client_id") ?? "", nonce: url.searchParams.get("nonce") });
      const back = new URL(url.searchParams.get("redirect_uri") ?? "");
      back.searchParams.set("code", code);
      back.searchParams.set("state", url.searchParams.get("state") ?? "");
      return response.writeHead(302, { location: back.toString() }).end();
    }
    if (url.pathname === "/token" && request.method === "POST") {
      let body = "";
      for await (const chunk of request) body += String(chunk);
      const form = new URLSearchParams(body);
      issuer.tokenRequests.push({ clientId: form.get("client_id"), codeVerifier: form.get("code_verifier") });
      const grant = codes.get(form.get("code") ?? "");
      codes.delete(form.get("code") ?? "");
      if (!grant) return response.writeHead(400, { "content-type": "application/json" }).end(JSON.stringify({ error: "invalid_grant" }));
      return json({
        token_type: "Bearer",
        expires_in: 600,
        access_token: await sign({ ...options.claims }, options.audience),
        id_token: await sign(grant.nonce ? { nonce: grant.nonce } : {}, grant.clientId),
      });
    }
    response.writeHead(404).end();
  };

  const server = createServer((request, response) => {
    handle(request, response).catch((err: Error) => response.writeHead(500).end(err.message));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const issuer: TestOidcIssuer = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    subject: "alice",
    tokenRequests: [],
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
  return issuer;
}
