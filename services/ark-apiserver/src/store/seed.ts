import { randomUUID } from "node:crypto";
import type { ObjectStore } from "./object-store.js";
import { AlreadyExistsError } from "./errors.js";

/** The `default` namespace always exists, as in Kubernetes. */
export async function seedDefaultNamespace(store: ObjectStore): Promise<void> {
  const key = { group: "", resource: "namespaces", namespace: "", name: "default" };
  if (await store.get(key)) return;
  const object = {
    apiVersion: "v1",
    kind: "Namespace",
    metadata: { name: "default", uid: randomUUID(), creationTimestamp: `${new Date().toISOString().slice(0, 19)}Z`, labels: { "kubernetes.io/metadata.name": "default" } },
    spec: { finalizers: ["kubernetes"] },
    status: { phase: "Active" },
  };
  await store.commit({ type: "ADDED", key, object }).catch((err: unknown) => {
    if (!(err instanceof AlreadyExistsError)) throw err;
  });
}
