import { API_KEY_SECRET_PREFIX, API_KEY_SECRET_TYPE, ArkError, isApiKeySecret, type ServiceApp } from "@ark/service-kit";
import type { V1Secret } from "@kubernetes/client-node";
import { z } from "zod";
import type { ApiContext } from "../context.js";
import { kubeCall } from "../http/kube-errors.js";
import { checkObjectName } from "../http/names.js";
import { isRecord } from "../http/records.js";
import { bodyCheckedByRoute, nameParams, namespaceParams } from "../http/schemas.js";
import { unprocessable } from "../http/validation.js";

const StringData = z.record(z.string(), z.string()).describe("Values to store, by key; never returned.");
const CreateSecret = z.object({ name: z.string(), string_data: StringData, type: z.string().optional() });
const UpdateSecret = z.object({ string_data: StringData });

/** Secrets without their values: names, keys and lengths only. */
function secretView(secret: V1Secret) {
  const keys = Object.entries(secret.data ?? {})
    .map(([key, value]) => ({ key, length: Buffer.from(value, "base64").length }))
    .sort((a, b) => a.key.localeCompare(b.key));
  return {
    name: secret.metadata?.name,
    namespace: secret.metadata?.namespace,
    id: secret.metadata?.uid,
    type: secret.type ?? "Opaque",
    keys,
    secret_length: keys.reduce((sum, k) => sum + k.length, 0),
  };
}

/** Secret types that grant more than their values: a service-account token Secret makes the cluster mint that account's token. */
const RESERVED_TYPES: readonly string[] = [API_KEY_SECRET_TYPE, "kubernetes.io/service-account-token", "bootstrap.kubernetes.io/token"];

/** API key records live in ARK_API_KEYS_NAMESPACE and are written by /v1/api-keys only: the secrets route refuses them. */
function refuseReserved(ctx: ApiContext, namespace: string, name: string, type?: string): void {
  if (namespace === ctx.config.ARK_API_KEYS_NAMESPACE) {
    throw new ArkError("FORBIDDEN", `namespace ${namespace} holds API keys (ARK_API_KEYS_NAMESPACE): its Secrets are not managed through /secrets; use /v1/api-keys`);
  }
  if (name.startsWith(API_KEY_SECRET_PREFIX)) {
    throw new ArkError("FORBIDDEN", `secret name ${name}: names starting with ${API_KEY_SECRET_PREFIX} are reserved for API keys`);
  }
  if (type !== undefined && RESERVED_TYPES.includes(type)) throw new ArkError("FORBIDDEN", `secret ${namespace}/${name}: type ${type} is reserved`);
}

export function registerSecretRoutes(app: ServiceApp, ctx: ApiContext): void {
  const tags = ["secrets"];
  const collection = "/v1/namespaces/:namespace/secrets";
  const describe = (ns: string, name: string) => `Secret '${name}' not found in namespace ${ns}`;

  app.get(collection, { schema: { tags, summary: "List secrets (names, keys and lengths)", params: namespaceParams } }, async (request) => {
    const items = (await kubeCall("secret list", () => ctx.core.secrets.list(request.params.namespace))).filter((secret) => !isApiKeySecret(secret)).map(secretView);
    return { items, count: items.length };
  });

  app.post(
    collection,
    {
      schema: { tags, summary: "Create a secret", params: namespaceParams, body: CreateSecret },
      validatorCompiler: bodyCheckedByRoute,
    },
    async (request) => {
      const { namespace } = request.params;
      const body: Record<string, unknown> = isRecord(request.body) ? request.body : {};
      const name = checkObjectName(body.name);
      const stringData = checkStringData(body.string_data);
      const type = typeof body.type === "string" && body.type ? body.type : "Opaque";
      refuseReserved(ctx, namespace, name, type);
      const created = await kubeCall(`secret ${namespace}/${name}`, () => ctx.core.secrets.create({ metadata: { name, namespace }, type, stringData }));
      return secretView(created);
    },
  );

  app.get(`${collection}/:name`, { schema: { tags, summary: "Get a secret (keys and lengths)", params: nameParams } }, async (request) => {
    const { namespace, name } = request.params;
    const secret = await kubeCall(`secret ${namespace}/${name}`, () => ctx.core.secrets.get(namespace, name));
    if (!secret || isApiKeySecret(secret)) throw new ArkError("NOT_FOUND", describe(namespace, name));
    return secretView(secret);
  });

  app.put(
    `${collection}/:name`,
    {
      schema: { tags, summary: "Set secret values (keys given are replaced)", params: nameParams, body: UpdateSecret },
      validatorCompiler: bodyCheckedByRoute,
    },
    async (request) => {
      const { namespace, name } = request.params;
      const stringData = checkStringData(isRecord(request.body) ? request.body.string_data : undefined);
      refuseReserved(ctx, namespace, name);
      const existing = await kubeCall(`secret ${namespace}/${name}`, () => ctx.core.secrets.get(namespace, name));
      if (!existing) throw new ArkError("NOT_FOUND", describe(namespace, name));
      refuseReserved(ctx, namespace, name, existing.type);
      if (isApiKeySecret(existing)) throw new ArkError("FORBIDDEN", `secret ${namespace}/${name} is an API key record`);
      const patched = await kubeCall(`secret ${namespace}/${name}`, () => ctx.core.secrets.patch(namespace, name, { stringData }));
      return secretView(patched);
    },
  );

  app.delete(`${collection}/:name`, { schema: { tags, summary: "Delete a secret", params: nameParams } }, async (request, reply) => {
    const { namespace, name } = request.params;
    refuseReserved(ctx, namespace, name);
    const existing = await kubeCall(`secret ${namespace}/${name}`, () => ctx.core.secrets.get(namespace, name));
    if (existing && isApiKeySecret(existing)) throw new ArkError("FORBIDDEN", `secret ${namespace}/${name} is an API key record`);
    const deleted = await kubeCall(`secret ${namespace}/${name}`, () => ctx.core.secrets.delete(namespace, name));
    if (!deleted) throw new ArkError("NOT_FOUND", describe(namespace, name));
    return reply.code(204).send();
  });
}

function checkStringData(value: unknown): Record<string, string> {
  if (!isRecord(value) || !Object.values(value).every((v) => typeof v === "string")) {
    throw unprocessable([{ field: "string_data", type: "Invalid value", detail: "must be a map of keys to string values" }], "secret");
  }
  if (Object.keys(value).length === 0) throw unprocessable([{ field: "string_data", type: "Required value", detail: "secret data cannot be empty" }], "secret");
  const badKey = Object.keys(value).find((key) => !/^[-._a-zA-Z0-9]+$/.test(key) || key.length > 253);
  if (badKey !== undefined) {
    throw unprocessable([{ field: `string_data[${badKey}]`, type: "Invalid value", value: badKey, detail: "a key must consist of alphanumeric characters, '-', '_' or '.'" }], "secret");
  }
  return value as Record<string, string>;
}
