import type { KubeConfig, KubernetesListObject, KubernetesObject } from "@kubernetes/client-node";
import { rawRequest } from "../clients/raw-request.js";

/**
 * GET of a collection as plain JSON for any resource type, the same shape watch events carry
 * (client-node's typed core APIs would turn timestamps into Dates in lists but not in watches).
 */
export function listRaw<T extends KubernetesObject>(kc: KubeConfig, path: string, query: Record<string, string | undefined> = {}): Promise<KubernetesListObject<T>> {
  return rawRequest<KubernetesListObject<T>>(kc, "GET", path, { query });
}
