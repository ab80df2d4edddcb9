import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import type { CoreClient } from "@ark/kube";
import type { V1Secret } from "@kubernetes/client-node";
import type { Principal } from "./principal.js";

export const API_KEY_LABEL = "ark.mckinsey.com/api-key";
const KEY_PATTERN = /^ark_([a-f0-9]{16})_([A-Za-z0-9_-]{20,})$/;
const CACHE_TTL_MS = 5_000;

export interface ApiKeyInfo {
  id: string;
  name: string;
  namespaces: string[];
  createdAt: string;
}

/**
 * API keys as Secrets in one system namespace: the sha256 of the key, its namespaces and creation time.
 * The key itself is returned once, on creation; revoking deletes the Secret.
 */
export class ApiKeyStore {
  private readonly verified = new Map<string, { principal: Principal; until: number }>();

  constructor(
    private readonly core: CoreClient,
    private readonly namespace: string,
  ) {}

  async create(name: string, namespaces: string[]): Promise<ApiKeyInfo & { key: string }> {
    await this.core.ensureNamespace(this.namespace);
    const id = randomBytes(8).toString("hex");
    const key = `ark_${id}_${randomBytes(24).toString("base64url")}`;
    const info: ApiKeyInfo = { id, name, namespaces, createdAt: new Date().toISOString() };
    await this.core.secrets.create({
      metadata: { name: secretName(id), namespace: this.namespace, labels: { [API_KEY_LABEL]: "true" } },
      type: "Opaque",
      stringData: { hash: sha256(key), name, namespaces: JSON.stringify(namespaces), createdAt: info.createdAt },
    });
    return { ...info, key };
  }

  async list(): Promise<ApiKeyInfo[]> {
    const secrets = await this.core.secrets.list(this.namespace, { labelSelector: `${API_KEY_LABEL}=true` });
    return secrets.map(infoOf).filter((info): info is ApiKeyInfo => info !== undefined);
  }

  async revoke(id: string): Promise<boolean> {
    this.forget(id);
    return /^[a-f0-9]{16}$/.test(id) ? this.core.secrets.delete(this.namespace, secretName(id)) : false;
  }

  /** The key's principal, or undefined for an unknown, revoked or malformed key. */
  async verify(key: string): Promise<Principal | undefined> {
    const match = KEY_PATTERN.exec(key);
    if (!match) return undefined;
    const id = match[1]!;
    const cached = this.verified.get(key);
    if (cached && cached.until > Date.now()) return cached.principal;
    const secret = await this.core.secrets.get(this.namespace, secretName(id));
    const info = secret && infoOf(secret);
    if (!secret || !info || !hashMatches(decode(secret, "hash"), sha256(key))) return undefined;
    const principal: Principal = { id: `apikey:${info.name}(${id})`, via: "apikey", namespaces: info.namespaces };
    this.verified.set(key, { principal, until: Date.now() + CACHE_TTL_MS });
    return principal;
  }

  private forget(id: string): void {
    for (const key of this.verified.keys()) if (key.startsWith(`ark_${id}_`)) this.verified.delete(key);
  }
}

export function sha256(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

export function hashMatches(stored: string | undefined, computed: string): boolean {
  if (!stored || stored.length !== computed.length) return false;
  return timingSafeEqual(Buffer.from(stored), Buffer.from(computed));
}

function secretName(id: string): string {
  return `ark-api-key-${id}`;
}

function decode(secret: V1Secret, key: string): string | undefined {
  const value = secret.data?.[key];
  return value === undefined ? undefined : Buffer.from(value, "base64").toString("utf8");
}

function infoOf(secret: V1Secret): ApiKeyInfo | undefined {
  const id = secret.metadata?.name?.replace(/^ark-api-key-/, "");
  try {
    const namespaces: unknown = JSON.parse(decode(secret, "namespaces") ?? "[]");
    if (!id || !Array.isArray(namespaces)) return undefined;
    return { id, name: decode(secret, "name") ?? id, namespaces: namespaces.map(String), createdAt: decode(secret, "createdAt") ?? "" };
  } catch {
    return undefined;
  }
}
