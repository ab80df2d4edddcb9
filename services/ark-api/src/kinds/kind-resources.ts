import { ArkError, type Principal } from "@ark/service-kit";
import { createKindClient, type KindClient } from "@ark/kube";
import { validateArkResource, type FieldError } from "@ark/types";
import type { KubeConfig } from "@kubernetes/client-node";
import { requireSecretAccess } from "../auth/secret-references.js";
import type { AnyArkObject, KindDto } from "../dto/index.js";
import { kubeCall } from "../http/kube-errors.js";
import { prototypeKeyErrors } from "../http/prototype-keys.js";
import { isRecord } from "../http/records.js";
import { unprocessable } from "../http/validation.js";
import { pageOf, type Page, type PageRequest } from "./paging.js";

export interface ListFilter extends PageRequest {
  labelSelector?: string;
  phase?: string;
}

type AnyKindClient = KindClient<Record<string, unknown>, Record<string, unknown>>;

/** CRUD of one kind in REST terms: validated with packages/types (422 with field paths), 404 and 409 as the API says. */
export class KindResources {
  private readonly client: AnyKindClient;
  private readonly kind: string;

  constructor(
    kubeConfig: KubeConfig,
    readonly dto: KindDto,
  ) {
    this.client = createKindClient(kubeConfig, dto.definition) as unknown as AnyKindClient;
    this.kind = dto.definition.kind;
  }

  async list(namespace: string, filter: ListFilter = {}): Promise<Page<AnyArkObject>> {
    const options = filter.labelSelector ? { labelSelector: filter.labelSelector } : {};
    const items = await kubeCall(`${this.kind} list`, () => this.client.list(namespace, options));
    const matching = filter.phase ? items.filter((obj) => obj.status?.phase === filter.phase) : items;
    return pageOf(matching as AnyArkObject[], filter);
  }

  /**
   * `anyVersion`: the API server may answer from its cache (see KindClient.get); one that does not find the object
   * there is asked again for the current state (a cache behind a create must not answer 404).
   */
  async get(namespace: string, name: string, options: { anyVersion?: boolean } = {}): Promise<AnyArkObject> {
    const read = (anyVersion: boolean) => kubeCall(this.describe(namespace, name), () => this.client.get(namespace, name, { anyVersion }));
    const obj = (options.anyVersion ? await read(true) : undefined) ?? (await read(false));
    if (!obj) throw this.notFound(namespace, name);
    return obj as AnyArkObject;
  }

  /** `principal`: who asks; a spec reading a Secret needs their Secret access in the namespace. */
  async create(namespace: string, body: Record<string, unknown>, principal: Principal): Promise<AnyArkObject> {
    const request = this.dto.parseCreate(body);
    const metadata = definedFields({ name: request.name, namespace, labels: request.labels, annotations: request.annotations });
    const spec = this.validated(metadata, request.spec, "create");
    requireSecretAccess(principal, namespace, spec, this.describe(namespace, String(request.name)));
    const created = await kubeCall(this.describe(namespace, String(request.name)), () => this.client.create({ metadata, spec } as never));
    return created as AnyArkObject;
  }

  /**
   * Sets the fields given (upstream PUT semantics: non-null fields replace), guarded by the resourceVersion read.
   * With a `resourceVersion` in the body the body is the whole object (a YAML editor's save): spec, labels and
   * annotations replace the current ones, fields left out are removed, 409 when the object changed since that version
   * (with the `generation` read too: when its spec changed since; status writes are not conflicts). The replace itself
   * carries the resourceVersion just read, so a write between that read and this one is a 409 as well.
   */
  async update(namespace: string, name: string, body: Record<string, unknown>, principal: Principal): Promise<AnyArkObject> {
    const current = await this.get(namespace, name);
    const request = this.dto.parseUpdate(body);
    if (!isRecord(request.spec)) throw unprocessable([{ field: "spec", type: "Invalid value", detail: "must be an object" }], this.describe(namespace, name));
    const replacing = request.resourceVersion !== undefined && request.resourceVersion !== null;
    if (replacing && typeof request.resourceVersion !== "string") {
      throw unprocessable([{ field: "resourceVersion", type: "Invalid value", detail: "must be the resourceVersion read, a string" }], this.describe(namespace, name));
    }
    if (replacing && request.generation !== undefined && request.generation !== null && typeof request.generation !== "number") {
      throw unprocessable([{ field: "generation", type: "Invalid value", detail: "must be the generation read, an integer" }], this.describe(namespace, name));
    }
    // With the generation read, only a change of the spec since is a conflict: controllers write status all the time.
    const changed = !replacing ? false : typeof request.generation === "number" ? request.generation !== current.metadata.generation : request.resourceVersion !== current.metadata.resourceVersion;
    if (changed) {
      throw new ArkError(
        "CONFLICT",
        `${this.describe(namespace, name)} was changed since it was read (resourceVersion ${String(request.resourceVersion)}${typeof request.generation === "number" ? `, generation ${request.generation}` : ""}; now ${String(current.metadata.resourceVersion)}${typeof request.generation === "number" ? `, generation ${String(current.metadata.generation)}` : ""}): read it again and redo the edit`,
      );
    }
    const metadata = replacing
      ? { ...withoutKeys(current.metadata as Record<string, unknown>, ["labels", "annotations"]), ...definedFields({ labels: request.labels, annotations: request.annotations }) }
      : { ...current.metadata, ...definedFields({ labels: request.labels, annotations: request.annotations }) };
    const spec = this.validated(metadata, replacing ? request.spec : { ...current.spec, ...request.spec }, "update");
    requireSecretAccess(principal, namespace, spec, this.describe(namespace, name));
    const replaced = await kubeCall(this.describe(namespace, name), () => this.client.replace({ ...current, metadata, spec } as never));
    return replaced as AnyArkObject;
  }

  async delete(namespace: string, name: string): Promise<void> {
    const deleted = await kubeCall(this.describe(namespace, name), () => this.client.delete(namespace, name));
    if (!deleted) throw this.notFound(namespace, name);
  }

  notFound(namespace: string, name: string): ArkError {
    return new ArkError("NOT_FOUND", `${this.kind} '${name}' not found in namespace ${namespace}`);
  }

  private validated(metadata: Record<string, unknown>, spec: unknown, operation: "create" | "update"): Record<string, unknown> {
    const apiVersion = `${this.dto.definition.group}/${this.dto.definition.version}`;
    const kind = this.kind;
    const refused = prototypeKeyErrors(spec, "spec");
    if (refused.length > 0) throw unprocessable(refused, this.describe(String(metadata.namespace), String(metadata.name ?? "")));
    const result = validateArkResource({ apiVersion, kind, metadata, spec }, { operation, fieldValidation: "Warn" });
    const errors = [...checkStringMaps(metadata), ...(result.ok ? [] : result.errors)];
    if (errors.length > 0 || !result.ok) throw unprocessable(errors, this.describe(String(metadata.namespace), String(metadata.name ?? "")));
    return result.object.spec as Record<string, unknown>;
  }

  private describe(namespace: string, name: string): string {
    return `${this.kind} ${namespace}/${name}`;
  }
}

function checkStringMaps(metadata: Record<string, unknown>): FieldError[] {
  return (["labels", "annotations"] as const)
    .filter((key) => metadata[key] !== undefined && !(isRecord(metadata[key]) && Object.values(metadata[key]).every((v) => typeof v === "string")))
    .map((key) => ({ field: `metadata.${key}`, type: "Invalid value", detail: "must be a map of strings to strings" }));
}

function withoutKeys(record: Record<string, unknown>, keys: string[]): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).filter(([key]) => !keys.includes(key)));
}

function definedFields(record: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).filter(([, v]) => v !== undefined && v !== null));
}
