import { describe, expect, it } from "vitest";
import { ClassifiedError, classifyError, httpStatusClassification } from "./errors.js";

describe("error classification", () => {
  it("reads a ClassifiedError's own origin, code and retryability (defaulting by origin)", () => {
    expect(classifyError(new ClassifiedError("user", "CONFIG_ERROR", "spec.model: missing"))).toEqual({ origin: "user", retryable: false, code: "CONFIG_ERROR" });
    expect(classifyError(new ClassifiedError("system", "INTERNAL", "boom"))).toMatchObject({ origin: "system", retryable: true });
    expect(classifyError(new ClassifiedError("third-party", "HTTP_502", "bad gateway"))).toMatchObject({ retryable: false });
    expect(classifyError(new ClassifiedError("third-party", "HTTP_429", "slow down", { retryable: true, retryAfterMs: 500 }))).toEqual({
      origin: "third-party",
      retryable: true,
      code: "HTTP_429",
      retryAfterMs: 500,
    });
  });

  it("retries a lost connection, found through the cause chain", () => {
    const socket = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5432"), { code: "ECONNREFUSED" });
    expect(classifyError(new Error("fetch failed", { cause: socket }))).toEqual({ origin: "system", retryable: true, code: "UNAVAILABLE" });
  });

  it("makes an API's 4xx the caller's and its 5xx ARK's, retried", () => {
    expect(classifyError(Object.assign(new Error("forbidden"), { statusCode: 403 }))).toEqual({ origin: "user", retryable: false, code: "HTTP_403" });
    expect(classifyError(new Error("read failed", { cause: { code: 503 } }))).toEqual({ origin: "system", retryable: true, code: "HTTP_503" });
  });

  it("keeps a third party's 4xx its own and not retried; its 429 and 5xx retried", () => {
    expect(httpStatusClassification(400, "third-party")).toEqual({ origin: "third-party", retryable: false, code: "HTTP_400" });
    expect(httpStatusClassification(429, "third-party").retryable).toBe(true);
    expect(httpStatusClassification(504, "third-party").retryable).toBe(true);
  });

  it("treats an unrecognised throw as ARK's own, retryable failure", () => {
    expect(classifyError(new TypeError("x is undefined"))).toEqual({ origin: "system", retryable: true, code: "INTERNAL" });
    expect(classifyError("a string")).toEqual({ origin: "system", retryable: true, code: "INTERNAL" });
  });
});
