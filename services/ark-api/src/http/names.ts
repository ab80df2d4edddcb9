import { isDns1123Subdomain } from "@ark/types";
import { unprocessable } from "./validation.js";

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

export function checkNamespaceName(name: unknown): string {
  if (typeof name === "string" && name.length <= 63 && DNS1123_LABEL.test(name)) return name;
  throw unprocessable([{ field: "name", type: "Invalid value", value: name, detail: "must be a lowercase RFC 1123 label of at most 63 characters" }], "namespace");
}

export function checkObjectName(name: unknown, field = "name"): string {
  if (typeof name === "string" && isDns1123Subdomain(name)) return name;
  throw unprocessable([{ field, type: "Invalid value", value: name, detail: "must be a lowercase RFC 1123 subdomain" }], "request");
}
