import { ClassifiedError } from "@ark/types";
import { describe, expect, it } from "vitest";
import { ArkError } from "./ark-error.js";
import { toErrorResponse } from "./error-body.js";

describe("HTTP mapping by error origin", () => {
  it("gives ArkError the origin its code implies", () => {
    expect(new ArkError("NOT_FOUND", "agent x not found")).toMatchObject({ origin: "user", retryable: false });
    expect(new ArkError("RATE_LIMITED", "slow down")).toMatchObject({ origin: "user", retryable: true });
    expect(new ArkError("UNAVAILABLE", "database down")).toMatchObject({ origin: "system", retryable: true });
    expect(new ArkError("BAD_GATEWAY", "provider broke")).toMatchObject({ origin: "third-party", retryable: true });
  });

  it("answers a user's error with 400 and its message", () => {
    const response = toErrorResponse(new ClassifiedError("user", "CONFIG_ERROR", 'agent "x" not found in namespace default'));
    expect(response).toEqual({ statusCode: 400, body: { error: { code: "INVALID_INPUT", message: 'agent "x" not found in namespace default' } }, unexpected: false });
  });

  it("answers a third party's failure with 502, 503 when it may pass, 504 on its timeout", () => {
    expect(toErrorResponse(new ClassifiedError("third-party", "PROVIDER_BAD_REQUEST", "model m: HTTP 400")).statusCode).toBe(502);
    expect(toErrorResponse(new ClassifiedError("third-party", "PROVIDER_RATE_LIMITED", "model m: HTTP 429", { retryable: true })).statusCode).toBe(503);
    expect(toErrorResponse(new ClassifiedError("third-party", "TIMEOUT", "mcp server s: timed out", { retryable: true })).statusCode).toBe(504);
  });

  it("answers ARK's own fault with 500 or 503, never leaking the message", () => {
    expect(toErrorResponse(new ClassifiedError("system", "INTERNAL", "pool state: 0x1f"))).toMatchObject({ statusCode: 500, body: { error: { message: "internal error" } }, unexpected: true });
    expect(toErrorResponse(new ClassifiedError("system", "UNAVAILABLE", "nats down")).statusCode).toBe(503);
  });
});
