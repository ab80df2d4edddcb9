import { createHash, timingSafeEqual } from "node:crypto";
import type { ServiceAccountTokens } from "./service-account-tokens.js";
import { adminUser, serviceAccountUser, type UserInfo } from "./user.js";

/** The uid of a ServiceAccount as stored now (undefined when it does not exist or is being deleted). */
export type ServiceAccountUidLookup = (namespace: string, name: string) => Promise<string | undefined>;

const digest = (s: string) => createHash("sha256").update(s).digest();
const MAX_CACHED_TOKENS = 10_000;

/** The bearer token of an Authorization header; undefined when there is none. */
function bearerToken(authorization: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? "");
  return match ? match[1] : undefined;
}

/**
 * Who a bearer token belongs to: the bootstrap admin token (compared in constant time) is ark-admin in
 * system:masters; a ServiceAccount token this server signed is its ServiceAccount while that ServiceAccount
 * (the same uid) exists and the token has not expired. Anything else: undefined (401).
 */
export class Authenticator {
  private readonly adminDigest: Buffer;
  /** Signature checks are the costly part: a verified token's claims are kept (its expiry still checked). */
  private readonly verified = new Map<string, { namespace: string; name: string; uid: string; expiresAt: number }>();

  constructor(
    adminToken: string,
    private readonly tokens: ServiceAccountTokens,
    private readonly serviceAccountUid: ServiceAccountUidLookup,
    private readonly now: () => number = () => Date.now(),
  ) {
    this.adminDigest = digest(adminToken);
  }

  async authenticate(authorization: string | undefined): Promise<UserInfo | undefined> {
    const token = bearerToken(authorization);
    if (token === undefined) return undefined;
    if (timingSafeEqual(digest(token), this.adminDigest)) return adminUser();
    return this.authenticateServiceAccount(token);
  }

  /** A ServiceAccount token's user, as TokenReview answers it (undefined when not valid for `audiences`). */
  async authenticateServiceAccount(token: string, audiences?: readonly string[]): Promise<UserInfo | undefined> {
    let claims = audiences === undefined ? this.verified.get(token) : undefined;
    if (claims === undefined) {
      claims = this.tokens.verify(token, audiences);
      if (claims === undefined) return undefined;
      if (audiences === undefined) {
        if (this.verified.size >= MAX_CACHED_TOKENS) this.verified.clear();
        this.verified.set(token, claims);
      }
    }
    if (claims.expiresAt * 1000 <= this.now()) {
      this.verified.delete(token);
      return undefined;
    }
    // A deleted ServiceAccount (or one deleted and created again: another uid) invalidates its tokens.
    if ((await this.serviceAccountUid(claims.namespace, claims.name)) !== claims.uid) return undefined;
    return serviceAccountUser(claims.namespace, claims.name, claims.uid);
  }
}
