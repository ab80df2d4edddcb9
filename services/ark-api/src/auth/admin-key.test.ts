import { createHash } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createAuthenticator, loadConfig, type ApiKeyStore } from "@ark/service-kit";
import type { FastifyRequest } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { arkApiConfig } from "../config.js";

describe("the admin key stored hashed (ARK_API_ADMIN_KEY_SHA256_FILE, as compose's bootstrap writes it)", () => {
  const key = "ark_admin_0123456789abcdefghijklmnopqrstuv";
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "ark-api-admin-key-"));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  const noKeys = { verify: async () => undefined } as unknown as ApiKeyStore;
  const asking = (credential: string) => ({ headers: { authorization: `Bearer ${credential}` } }) as FastifyRequest;

  it("accepts the key whose sha256 the file holds, and nothing else (not the hash itself)", async () => {
    const file = join(dir, "admin-key.sha256");
    const hash = createHash("sha256").update(key).digest("hex");
    await writeFile(file, `${hash}\n`);
    const authenticate = createAuthenticator(loadConfig(arkApiConfig, { ARK_API_ADMIN_KEY_SHA256_FILE: file }), noKeys);
    expect(await authenticate(asking(key))).toMatchObject({ via: "admin-key" });
    await expect(authenticate(asking(hash))).rejects.toMatchObject({ code: "UNAUTHENTICATED" });
    await expect(authenticate(asking(`${key}x`))).rejects.toMatchObject({ code: "UNAUTHENTICATED" });
  });

  it("refuses to start on a missing or malformed file, naming the variable", async () => {
    const missing = loadConfig(arkApiConfig, { ARK_API_ADMIN_KEY_SHA256_FILE: join(dir, "absent") });
    expect(() => createAuthenticator(missing, noKeys)).toThrow(/ARK_API_ADMIN_KEY_SHA256_FILE: cannot read/);
    const plain = join(dir, "plain");
    await writeFile(plain, key);
    expect(() => createAuthenticator(loadConfig(arkApiConfig, { ARK_API_ADMIN_KEY_SHA256_FILE: plain }), noKeys)).toThrow(/64 hex digits/);
  });
});
