import { modelKind, modelProviderOf } from "@ark/types";
import { isRecord } from "../http/records.js";
import { flatDto } from "./flat-dto.js";
import type { AnyArkObject, KindDto } from "./kind-dto.js";

const base = flatDto(modelKind, (obj) => ({
  name: obj.metadata.name,
  namespace: obj.metadata.namespace,
  type: obj.spec.type,
  provider: modelProviderOf(obj.spec as never) ?? null,
  model: modelName(obj),
  status: obj.status?.phase ?? null,
}));

/** Upstream's model body: `model` and config values may be plain strings (wrapped to `{value}`); only the config of `type` is kept. */
export const modelDto: KindDto = {
  ...base,
  parseCreate(body) {
    const request = base.parseCreate(body);
    return { ...request, spec: isRecord(request.spec) ? normalizeModelSpec(request.spec) : request.spec };
  },
  parseUpdate(body) {
    const request = base.parseUpdate(body);
    return { ...request, spec: isRecord(request.spec) ? normalizeModelSpec(request.spec) : request.spec };
  },
  detail(obj) {
    return { ...base.detail(obj), model: modelName(obj), status: obj.status?.phase ?? null, resolved_address: obj.status?.resolvedAddress };
  },
};

function modelName(obj: AnyArkObject): unknown {
  const model = obj.spec.model;
  return isRecord(model) && typeof model.value === "string" ? model.value : model;
}

function normalizeModelSpec(spec: Record<string, unknown>): Record<string, unknown> {
  const result = { ...spec };
  if (typeof result.model === "string") result.model = { value: result.model };
  if (isRecord(result.config)) {
    const type = typeof result.provider === "string" ? result.provider : typeof result.type === "string" ? result.type : undefined;
    const configs = type && result.config[type] !== undefined ? { [type]: result.config[type] } : result.config;
    result.config = Object.fromEntries(Object.entries(configs).map(([provider, values]) => [provider, wrapStrings(values)]));
  }
  return result;
}

function wrapStrings(values: unknown): unknown {
  if (!isRecord(values)) return values;
  return Object.fromEntries(Object.entries(values).map(([key, value]) => [key, typeof value === "string" ? { value } : value]));
}
