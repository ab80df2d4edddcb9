import { isDeepStrictEqual } from "node:util";
import { apiErrorMessage, isConflict, type ArkObject, type InformerCache, type KindClient } from "@ark/kube";
import type { KindDefinition } from "@ark/types";
import type { V1OwnerReference } from "@kubernetes/client-node";

/** One child a server's discovery calls for (an MCPServer's Tool, an A2AServer's Agent). */
export interface DesiredChild<Spec> {
  name: string;
  spec: Spec;
  /** Merged over the child's own annotations. */
  annotations?: Record<string, string>;
}

/** How a server kind keeps its discovered children: labelled with the server's name, owned (controller) by it. */
export interface ChildKind<Spec, Status> {
  /** The child in problem texts: "tool", "agent". */
  noun: string;
  /** The label naming the server on each child: the mark of mark & sweep. */
  label: string;
  owner: KindDefinition;
  cache: InformerCache<ArkObject<Spec, Status>>;
  client: Pick<KindClient<Spec, Status, Spec>, "get" | "create" | "replace" | "delete">;
  /** The spec to write over the child's current one (default: the desired spec as it is). */
  mergeSpec?(current: Spec, desired: Spec): Spec;
}

interface Server {
  metadata: { name?: string; namespace?: string; uid?: string };
}

export function labelledChildren<Spec, Status>(kind: Pick<ChildKind<Spec, Status>, "cache" | "label">, namespace: string, server: string): ArkObject<Spec, Status>[] {
  return kind.cache.list(namespace).filter((child) => child.metadata.labels?.[kind.label] === server);
}

/**
 * Mark & sweep in the server's namespace: the desired children exist as desired (created or rewritten), other children
 * labelled for the server are deleted. Returns the problems, with the names created; never throws.
 */
export async function syncChildren<Spec, Status>(kind: ChildKind<Spec, Status>, server: Server, desired: readonly DesiredChild<Spec>[]): Promise<{ problems: string[]; created: string[] }> {
  const namespace = server.metadata.namespace ?? "";
  const wanted = new Set(desired.map((child) => child.name));
  const problems: string[] = [];
  const created: string[] = [];
  for (const child of desired) {
    try {
      if (await applyChild(kind, server, child)) created.push(child.name);
    } catch (error) {
      problems.push(`${kind.noun} ${child.name}: ${apiErrorMessage(error)}`);
    }
  }
  for (const existing of labelledChildren(kind, namespace, server.metadata.name ?? "")) {
    const name = existing.metadata.name ?? "";
    if (wanted.has(name)) continue;
    try {
      await kind.client.delete(namespace, name);
    } catch (error) {
      problems.push(`delete ${kind.noun} ${name}: ${apiErrorMessage(error)}`);
    }
  }
  return { problems, created };
}

/** Creates or rewrites one child; true when it was created. Throws when a child of that name belongs to another owner. */
async function applyChild<Spec, Status>(kind: ChildKind<Spec, Status>, server: Server, child: DesiredChild<Spec>): Promise<boolean> {
  const namespace = server.metadata.namespace ?? "";
  const owner = ownerReference(kind.owner, server);
  const labels = { [kind.label]: owner.name };
  const cached = kind.cache.get(namespace, child.name);
  if (!cached) {
    try {
      const annotations = child.annotations ? { annotations: child.annotations } : {};
      await kind.client.create({ metadata: { name: child.name, namespace, labels, ...annotations, ownerReferences: [owner] }, spec: child.spec });
      return true;
    } catch (error) {
      if (!isConflict(error)) throw error;
    }
  }
  // The cache may lag behind our own writes: on a conflict, read fresh and try once more.
  let current = cached ?? (await kind.client.get(namespace, child.name));
  for (let attempt = 1; current; attempt++) {
    const controller = current.metadata.ownerReferences?.find((ref) => ref.controller);
    if (controller && controller.uid !== owner.uid) throw new Error(`exists and is controlled by ${controller.kind} ${controller.name}`);
    if (!controller && current.metadata.labels?.[kind.label] !== owner.name) throw new Error(`exists and was not discovered from this ${kind.owner.kind}`);
    const spec = kind.mergeSpec ? kind.mergeSpec(current.spec, child.spec) : child.spec;
    const annotations = child.annotations ? { ...current.metadata.annotations, ...child.annotations } : current.metadata.annotations;
    const upToDate = controller && current.metadata.labels?.[kind.label] === owner.name && isDeepStrictEqual(current.spec, spec) && isDeepStrictEqual(current.metadata.annotations, annotations);
    if (upToDate) return false;
    const others = (current.metadata.ownerReferences ?? []).filter((ref) => ref.uid !== owner.uid);
    try {
      await kind.client.replace({
        ...current,
        metadata: { ...current.metadata, labels: { ...current.metadata.labels, ...labels }, ...(annotations ? { annotations } : {}), ownerReferences: [...others, owner] },
        spec,
      });
      return false;
    } catch (error) {
      if (!isConflict(error) || attempt >= 2) throw error;
      current = await kind.client.get(namespace, child.name);
    }
  }
  return false;
}

function ownerReference(owner: KindDefinition, server: Server): V1OwnerReference & { name: string; uid: string } {
  return {
    apiVersion: `${owner.group}/${owner.version}`,
    kind: owner.kind,
    name: server.metadata.name ?? "",
    uid: server.metadata.uid ?? "",
    controller: true,
    blockOwnerDeletion: true,
  };
}
