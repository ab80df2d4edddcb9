import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { z } from "zod";
import { ArkError } from "../errors/ark-error.js";
import type { Principal } from "./principal.js";

/** Marks a Secret as an API key record; the secrets route of ark-api refuses Secrets carrying it. */
export const API_KEY_LABEL = "ark.mckinsey.com/api-key";
/** The Secret type of key records: a Secret's type cannot change after creation, so an ordinary Secret never becomes one. */
export const API_KEY_SECRET_TYPE = "ark.mckinsey.com/api-key";
export const API_KEY_SECRET_PREFIX = "ark-api-key-";
const MANAGED_BY_LABEL = "app.kubernetes.io/managed-by";
const MANAGED_BY = "ark-api";
const KEY_PATTERN = /^ark_([a-f0-9]{16})_([A-Za-z0-9_-]{20,})$/;
const CACHE_TTL_MS = 5_000;

const namespaceName = z
  .string()
  .regex(/^(\*|[a-z0-9]([-a-z0-9]*[a-z0-9])?)$/, "must be a namespace name or *")
  .max(63);
const isoDate = z.iso.datetime({ offset: true });
const KeyRecord = z.strictObject({
  hash: z.string().regex(/^[a-f0-9]{64}$/),
  name: z.string().min(1).max(100),
  namespaces: z.array(namespaceName).min(1),
  secretNamespaces: z.array(namespaceName).default([]),
  createdAt: isoDate,
  expiresAt: isoDate.optional(),
});

export interface ApiKeyInfo {
  id: string;
  name: string;
  namespaces: string[];
  secretNamespaces: string[];
  createdAt: string;
  expiresAt?: string;
}

export interface NewApiKey {
  name: string;
  namespaces: string[];
  /** Namespaces whose Secrets the key's queries may read (parameters from a Secret). */
  secretNamespaces?: string[];
  expiresAt?: string;
}

/** The Secret fields the store reads and writes (a V1Secret fits). */
export interface KeySecret {
  metadata?: { name?: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  type?: string;
  data?: Record<string, string>;
  stringData?: Record<string, string>;
}

/** What the store needs of a Kubernetes client (CoreClient of @ark/kube fits). */
export interface KeySecretsApi {
  secrets: {
    get(namespace: string, name: string): Promise<KeySecret | undefined>;
    list(namespace: string, options: { labelSelector: string }): Promise<KeySecret[]>;
    create(secret: KeySecret): Promise<KeySecret>;
    delete(namespace: string, name: string): Promise<boolean>;
  };
  ensureNamespace(name: string): Promise<unknown>;
}

/** True for a Secret that is (or pretends to be) an API key record: route code refuses to write these. */
export function isApiKeySecret(secret: KeySecret): boolean {
  return secret.type === API_KEY_SECRET_TYPE || secret.metadata?.labels?.[API_KEY_LABEL] !== undefined || isApiKeySecretName(secret.metadata?.name ?? "");
}

function isApiKeySecretName(name: string): boolean {
  return name.startsWith(API_KEY_SECRET_PREFIX);
}

/**
 * API keys as Secrets in one system namespace: the sha256 of the key, its namespaces, creation and expiry time.
 * The key itself is returned once, on creation; revoking deletes the Secret. A record is accepted only with
 * the key type, label and managed-by label ark-api writes, and every field valid.
 */
export class ApiKeyStore {
  private readonly verified = new Map<string, { principal: Principal; until: number }>();

  constructor(
    private readonly core: KeySecretsApi,
    readonly namespace: string,
  ) {}

  async create(key: NewApiKey): Promise<ApiKeyInfo & { key: string }> {
    if (key.expiresAt !== undefined && !(Date.parse(key.expiresAt) > Date.now())) throw new ArkError("UNPROCESSABLE", `expiresAt: ${key.expiresAt} is not a time in the future`);
    await this.core.ensureNamespace(this.namespace);
    const id = randomBytes(8).toString("hex");
    const secret = `ark_${id}_${randomBytes(24).toString("base64url")}`;
    const info: ApiKeyInfo = {
      id,
      name: key.name,
      namespaces: key.namespaces,
      secretNamespaces: key.secretNamespaces ?? [],
      createdAt: new Date().toISOString(),
      ...(key.expiresAt !== undefined ? { expiresAt: new Date(key.expiresAt).toISOString() } : {}),
    };
    const { id: _id, ...fields } = info;
    const record = KeyRecord.parse({ ...fields, hash: sha256(secret) });
    await this.core.secrets.create({
      metadata: { name: secretName(id), namespace: this.namespace, labels: { [API_KEY_LABEL]: "true", [MANAGED_BY_LABEL]: MANAGED_BY } },
      type: API_KEY_SECRET_TYPE,
      stringData: {
        hash: record.hash,
        name: record.name,
        namespaces: JSON.stringify(record.namespaces),
        secretNamespaces: JSON.stringify(record.secretNamespaces),
        createdAt: record.createdAt,
        ...(record.expiresAt !== undefined ? { expiresAt: record.expiresAt } : {}),
      },
    });
    return { ...info, key: secret };
  }

  async list(): Promise<ApiKeyInfo[]> {
    const secrets = await this.core.secrets.list(this.namespace, { labelSelector: `${API_KEY_LABEL}=true` });
    return secrets.flatMap((secret) => {
      const record = recordOf(secret);
      return record ? [record.info] : [];
    });
  }

  async revoke(id: string): Promise<boolean> {
    this.forget(id);
    if (!/^[a-f0-9]{16}$/.test(id)) return false;
    const secret = await this.core.secrets.get(this.namespace, secretName(id));
    if (!secret || !recordOf(secret)) return false;
    return this.core.secrets.delete(this.namespace, secretName(id));
  }

  /** The key's principal, or undefined for an unknown, revoked, expired, malformed or forged key. */
  async verify(key: string): Promise<Principal | undefined> {
    const match = KEY_PATTERN.exec(key);
    if (!match) return undefined;
    const id = match[1]!;
    const cached = this.verified.get(key);
    if (cached && cached.until > Date.now()) return cached.principal;
    const secret = await this.core.secrets.get(this.namespace, secretName(id));
    const record = secret && recordOf(secret);
    if (!record || record.info.id !== id || !hashMatches(record.hash, sha256(key))) return undefined;
    const expires = record.info.expiresAt !== undefined ? Date.parse(record.info.expiresAt) : Number.POSITIVE_INFINITY;
    if (expires <= Date.now()) return undefined;
    const principal: Principal = {
      id: `apikey:${record.info.name}(${id})`,
      via: "apikey",
      namespaces: record.info.namespaces,
      secretNamespaces: record.info.secretNamespaces,
    };
    this.verified.set(key, { principal, until: Math.min(Date.now() + CACHE_TTL_MS, expires) });
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
  return `${API_KEY_SECRET_PREFIX}${id}`;
}

function decode(secret: KeySecret, key: string): string | undefined {
  const value = secret.data?.[key];
  return value === undefined ? undefined : Buffer.from(value, "base64").toString("utf8");
}

/** The record a Secret holds, when it is one ark-api wrote: type, labels, name and every data field checked. */
function recordOf(secret: KeySecret): { info: ApiKeyInfo; hash: string } | undefined {
  const labels = secret.metadata?.labels ?? {};
  if (secret.type !== API_KEY_SECRET_TYPE || labels[API_KEY_LABEL] !== "true" || labels[MANAGED_BY_LABEL] !== MANAGED_BY) return undefined;
  const id = /^ark-api-key-([a-f0-9]{16})$/.exec(secret.metadata?.name ?? "")?.[1];
  if (!id) return undefined;
  const data = Object.keys(secret.data ?? {});
  const fields: Record<string, unknown> = {};
  try {
    for (const key of data) {
      const text = decode(secret, key) ?? "";
      fields[key] = key === "namespaces" || key === "secretNamespaces" ? JSON.parse(text) : text;
    }
  } catch {
    return undefined;
  }
  const parsed = KeyRecord.safeParse(fields);
  if (!parsed.success) return undefined;
  const { hash, ...info } = parsed.data;
  return { hash, info: { id, ...info } };
}
