export const TABLE_CONTENT_TYPE = "application/json;as=Table;v=v1;g=meta.k8s.io";

/** Whether the client asks for server-side printing (`kubectl get` sends `application/json;as=Table;v=v1;g=meta.k8s.io,…`). */
export function wantsTable(acceptHeader: string | undefined): boolean {
  return (acceptHeader ?? "").split(",").some((range) => {
    const [type, ...params] = range.split(";").map((p) => p.trim().replace(/\s*=\s*/, "="));
    return (type === "application/json" || type === "*/*") && params.includes("as=Table") && params.includes("g=meta.k8s.io") && (params.includes("v=v1") || params.includes("v=v1beta1"));
  });
}
