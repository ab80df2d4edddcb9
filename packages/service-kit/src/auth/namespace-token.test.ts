import { describe, expect, it } from "vitest";
import { namespaceToken, verifyNamespaceToken } from "./namespace-token.js";

describe("namespace tokens", () => {
  const secret = "a-secret-of-at-least-thirty-two-chars";
  it("open the namespace they were minted for, with that secret and service only", () => {
    const token = namespaceToken(secret, "postgres-memory", "team-a");
    expect(verifyNamespaceToken(secret, "postgres-memory", token)).toBe("team-a");
    expect(verifyNamespaceToken("another-secret-of-thirty-two-chars!!", "postgres-memory", token)).toBeUndefined();
    expect(verifyNamespaceToken(secret, "other-service", token)).toBeUndefined();
    expect(verifyNamespaceToken(secret, "postgres-memory", token.replace("team-a", "team-b"))).toBeUndefined();
    expect(verifyNamespaceToken(secret, "postgres-memory", "garbage")).toBeUndefined();
  });
});
