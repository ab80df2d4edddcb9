import { randomUUID, sign, verify } from "node:crypto";
import { serviceAccountUsername } from "./user.js";
import type { SigningKey } from "./signing-key.js";

/** The issuer and the audience ark-apiserver accepts, as a cluster's defaults. */
const TOKEN_ISSUER = "https://kubernetes.default.svc.cluster.local";
export const API_AUDIENCES = [TOKEN_ISSUER];
export const DEFAULT_TOKEN_SECONDS = 3600;

export interface ServiceAccountRef {
  namespace: string;
  name: string;
  uid: string;
}

/** What a valid token says (the `kubernetes.io` claims of a bound ServiceAccount token). */
export interface ServiceAccountClaims extends ServiceAccountRef {
  audiences: string[];
  /** Seconds since the epoch. */
  expiresAt: number;
}

interface JwtClaims {
  iss?: unknown;
  sub?: unknown;
  aud?: unknown;
  exp?: unknown;
  nbf?: unknown;
  iat?: unknown;
  jti?: unknown;
  "kubernetes.io"?: { namespace?: unknown; serviceaccount?: { name?: unknown; uid?: unknown } };
}

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
const SIGNATURE = { dsaEncoding: "ieee-p1363" } as const;

/** Signs and checks ServiceAccount tokens: ES256 JWTs as Kubernetes' TokenRequest issues them. */
export class ServiceAccountTokens {
  constructor(
    private readonly key: SigningKey,
    private readonly now: () => number = () => Date.now(),
  ) {}

  issue(sa: ServiceAccountRef, options: { expirationSeconds: number; audiences?: string[] }): { token: string; expiresAt: Date } {
    const iat = Math.floor(this.now() / 1000);
    const exp = iat + options.expirationSeconds;
    const header = { alg: "ES256", kid: this.key.keyId };
    const claims = {
      aud: options.audiences && options.audiences.length > 0 ? options.audiences : API_AUDIENCES,
      exp,
      iat,
      iss: TOKEN_ISSUER,
      jti: randomUUID(),
      "kubernetes.io": { namespace: sa.namespace, serviceaccount: { name: sa.name, uid: sa.uid } },
      nbf: iat,
      sub: serviceAccountUsername(sa.namespace, sa.name),
    };
    const signingInput = `${b64(header)}.${b64(claims)}`;
    const signature = sign("sha256", Buffer.from(signingInput), { key: this.key.privateKey, ...SIGNATURE }).toString("base64url");
    return { token: `${signingInput}.${signature}`, expiresAt: new Date(exp * 1000) };
  }

  /**
   * The claims of a token this server signed, still valid now and meant for `audiences` (default: this API);
   * undefined for anything else. Whether the ServiceAccount still exists is the caller's check.
   */
  verify(token: string, audiences: readonly string[] = API_AUDIENCES): ServiceAccountClaims | undefined {
    const parts = token.split(".");
    if (parts.length !== 3) return undefined;
    const [headerText, claimsText, signatureText] = parts as [string, string, string];
    const header = parseSegment(headerText) as { alg?: unknown; kid?: unknown } | undefined;
    // The algorithm is pinned: never taken from the token.
    if (!header || header.alg !== "ES256" || header.kid !== this.key.keyId) return undefined;
    const signature = Buffer.from(signatureText, "base64url");
    if (signature.length !== 64) return undefined;
    if (!verify("sha256", Buffer.from(`${headerText}.${claimsText}`), { key: this.key.publicKey, ...SIGNATURE }, signature)) return undefined;
    const claims = parseSegment(claimsText) as JwtClaims | undefined;
    if (!claims || claims.iss !== TOKEN_ISSUER) return undefined;
    const now = Math.floor(this.now() / 1000);
    if (typeof claims.exp !== "number" || claims.exp <= now) return undefined;
    if (typeof claims.nbf === "number" && claims.nbf > now + 60) return undefined;
    const tokenAudiences = Array.isArray(claims.aud) ? claims.aud.filter((a): a is string => typeof a === "string") : typeof claims.aud === "string" ? [claims.aud] : [];
    if (!tokenAudiences.some((a) => audiences.includes(a))) return undefined;
    const k8s = claims["kubernetes.io"];
    const namespace = k8s?.namespace;
    const name = k8s?.serviceaccount?.name;
    const uid = k8s?.serviceaccount?.uid;
    if (typeof namespace !== "string" || typeof name !== "string" || typeof uid !== "string" || !namespace || !name || !uid) return undefined;
    if (claims.sub !== serviceAccountUsername(namespace, name)) return undefined;
    return { namespace, name, uid, audiences: tokenAudiences, expiresAt: claims.exp };
  }
}

function parseSegment(segment: string): unknown {
  try {
    const value: unknown = JSON.parse(Buffer.from(segment, "base64url").toString("utf8"));
    return typeof value === "object" && value !== null && !Array.isArray(value) ? value : undefined;
  } catch {
    return undefined;
  }
}
