export const STANDARD_VERBS = ["create", "delete", "get", "list", "patch", "update", "watch"];
export const STATUS_VERBS = ["get", "patch", "update"];
