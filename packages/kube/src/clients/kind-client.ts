import type { KubeConfig } from "@kubernetes/client-node";
import type { KindDefinition } from "@ark/types";
import type { z } from "zod";
import { isConflict, isNotFound } from "../errors.js";
import { collectionPath } from "../resource.js";
import { withTraceContext } from "./trace-context.js";
import { MERGE_PATCH, rawRequest } from "./raw-request.js";
import type { ArkObject, MergePatch, NewArkObject } from "./ark-object.js";

export interface ListOptions {
  labelSelector?: string;
  fieldSelector?: string;
}

export interface DeleteOptions {
  propagationPolicy?: "Foreground" | "Background" | "Orphan";
}

/** Which version a GET may answer with (both unset: the latest, read from storage). */
export interface GetOptions {
  anyVersion?: boolean;
  notOlderThan?: string;
}

/** Typed CRUD over one ARK kind; `get` answers undefined and `delete` false when the object does not exist. */
export interface KindClient<Spec, Status, SpecInput = Spec> {
  readonly definition: KindDefinition;
  /**
   * `anyVersion`: any resourceVersion will do (`?resourceVersion=0`), which the API server may answer from its cache,
   * possibly stale; `notOlderThan`: the object as of that resourceVersion or later (`?resourceVersion=N`), which it
   * answers from its cache once the cache has got there. ark-apiserver reads storage for an object its cache does not hold.
   */
  get(namespace: string, name: string, options?: GetOptions): Promise<ArkObject<Spec, Status> | undefined>;
  /** All namespaces when namespace is undefined. */
  list(namespace: string | undefined, options?: ListOptions): Promise<ArkObject<Spec, Status>[]>;
  create(obj: NewArkObject<SpecInput, Status>): Promise<ArkObject<Spec, Status>>;
  /** PUT; fails with 409 (isConflict) when metadata.resourceVersion is stale. */
  replace(obj: ArkObject<Spec, Status>): Promise<ArkObject<Spec, Status>>;
  patch(namespace: string, name: string, patch: MergePatch<ArkObject<Spec, Status>>): Promise<ArkObject<Spec, Status>>;
  /** Merge patch of the /status subresource with `{ status: patch }`; with `resourceVersion`, 409 (isConflict) when stale. */
  patchStatus(namespace: string, name: string, patch: MergePatch<Status>, options?: { resourceVersion?: string }): Promise<ArkObject<Spec, Status>>;
  delete(namespace: string, name: string, options?: DeleteOptions): Promise<boolean>;
  /**
   * Undefined when the object is gone; retries on 409. `current` (the object as last read, e.g. from an informer)
   * saves the GET of the first attempt: its resourceVersion guards the write, a stale one costs a retry.
   */
  addFinalizer(namespace: string, name: string, finalizer: string, current?: ArkObject<Spec, Status>): Promise<ArkObject<Spec, Status> | undefined>;
  removeFinalizer(namespace: string, name: string, finalizer: string, current?: ArkObject<Spec, Status>): Promise<ArkObject<Spec, Status> | undefined>;
}

const FINALIZER_ATTEMPTS = 5;

export function createKindClient<S extends z.ZodType, T extends z.ZodType>(kc: KubeConfig, definition: KindDefinition<S, T>): KindClient<z.output<S>, z.output<T>, z.input<S>> {
  type Obj = ArkObject<z.output<S>, z.output<T>>;
  const apiVersion = `${definition.group}/${definition.version}`;
  const itemPath = (namespace: string, name: string) => `${collectionPath(definition, namespace)}/${encodeURIComponent(name)}`;

  async function get(namespace: string, name: string, options: GetOptions = {}): Promise<Obj | undefined> {
    const resourceVersion = options.anyVersion ? "0" : options.notOlderThan;
    try {
      return await rawRequest<Obj>(kc, "GET", `${itemPath(namespace, name)}${resourceVersion ? `?resourceVersion=${encodeURIComponent(resourceVersion)}` : ""}`);
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  }

  async function patch(namespace: string, name: string, body: object): Promise<Obj> {
    return rawRequest<Obj>(kc, "PATCH", itemPath(namespace, name), { body, contentType: MERGE_PATCH });
  }

  // Merge patch carrying the resourceVersion read, so a concurrent writer makes it fail with 409 instead of being lost.
  async function updateFinalizers(namespace: string, name: string, change: (current: string[]) => string[] | undefined, current?: Obj) {
    for (let attempt = 1; ; attempt++) {
      const obj = attempt === 1 && current?.metadata.resourceVersion ? current : await get(namespace, name);
      if (!obj) return undefined;
      const next = change(obj.metadata.finalizers ?? []);
      if (!next) return obj;
      try {
        return await patch(namespace, name, { metadata: { resourceVersion: obj.metadata.resourceVersion, finalizers: next } });
      } catch (err) {
        if (isNotFound(err)) return undefined;
        if (!isConflict(err) || attempt >= FINALIZER_ATTEMPTS) throw err;
      }
    }
  }

  return {
    definition,
    get,
    async list(namespace, options = {}) {
      const query = { labelSelector: options.labelSelector, fieldSelector: options.fieldSelector };
      return (await rawRequest<{ items: Obj[] }>(kc, "GET", collectionPath(definition, namespace), { query })).items;
    },
    async create(obj) {
      const namespace = requireNamespace(obj.metadata);
      const body = { ...withTraceContext(obj, definition.kind), apiVersion, kind: definition.kind };
      return rawRequest<Obj>(kc, "POST", collectionPath(definition, namespace), { body });
    },
    async replace(obj) {
      const namespace = requireNamespace(obj.metadata);
      return rawRequest<Obj>(kc, "PUT", itemPath(namespace, obj.metadata.name ?? ""), { body: obj });
    },
    patch: (namespace, name, body) => patch(namespace, name, body as object),
    async patchStatus(namespace, name, status, options = {}) {
      const body = options.resourceVersion ? { metadata: { resourceVersion: options.resourceVersion }, status } : { status };
      return rawRequest<Obj>(kc, "PATCH", `${itemPath(namespace, name)}/status`, { body, contentType: MERGE_PATCH });
    },
    async delete(namespace, name, options = {}) {
      try {
        await rawRequest(kc, "DELETE", itemPath(namespace, name), { query: { propagationPolicy: options.propagationPolicy } });
        return true;
      } catch (err) {
        if (isNotFound(err)) return false;
        throw err;
      }
    },
    addFinalizer: (namespace, name, finalizer, current) => updateFinalizers(namespace, name, (list) => (list.includes(finalizer) ? undefined : [...list, finalizer]), current),
    removeFinalizer: (namespace, name, finalizer, current) => updateFinalizers(namespace, name, (list) => (list.includes(finalizer) ? list.filter((f) => f !== finalizer) : undefined), current),
  };
}

function requireNamespace(metadata: { namespace?: string; name?: string }): string {
  if (!metadata.namespace) throw new Error(`metadata.namespace is required (object ${metadata.name ?? "<unnamed>"})`);
  return metadata.namespace;
}
