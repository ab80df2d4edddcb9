import { isPlainObject, type KubeObject } from "../../kube-object.js";

/** Secret `stringData` is write-only: merged into base64 `data` (winning over it) and dropped. */
export function foldStringData(obj: KubeObject): KubeObject {
  const { stringData, ...rest } = obj;
  if (!isPlainObject(stringData)) return stringData === undefined ? obj : (rest as KubeObject);
  const data: Record<string, unknown> = isPlainObject(rest.data) ? { ...rest.data } : {};
  for (const [key, value] of Object.entries(stringData)) data[key] = Buffer.from(String(value), "utf8").toString("base64");
  return { ...rest, data } as KubeObject;
}
