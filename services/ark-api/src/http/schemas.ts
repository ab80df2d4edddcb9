import type { FastifySchemaCompiler } from "fastify";
import { validatorCompiler } from "fastify-type-provider-zod";
import { z } from "zod";

// Checked here so a malformed name never reaches the Kubernetes API (ark-apiserver answered a NUL byte with 500).
export const namespaceParams = z.object({ namespace: z.string().regex(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/, "must be a lowercase RFC 1123 label") });
export const nameParams = namespaceParams.extend({
  name: z
    .string()
    .max(253)
    .regex(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/, "must be a lowercase RFC 1123 subdomain"),
});

export const listQuery = z.object({
  labelSelector: z.string().optional().describe("Kubernetes label selector, e.g. app=weather,tier!=test."),
  limit: z.coerce.number().int().min(1).max(1000).optional(),
  page: z.coerce.number().int().min(1).optional().describe("Page number from 1, with limit."),
});

/**
 * Leaves the body to the route, which validates it with packages/types (Kubernetes field paths and admission
 * rules); params and query strings still go through zod. The zod body schema then only documents the route.
 */
// `any`: fastify types a route's compiler by that route's schema object.
export const bodyCheckedByRoute: FastifySchemaCompiler<any> = (route) => (route.httpPart === "body" ? (data: unknown) => ({ value: data }) : validatorCompiler(route));

/** Response shapes for OpenAPI; loose, as the per-kind DTOs add their own fields. */
const ResourceView = z.looseObject({
  name: z.string().optional(),
  namespace: z.string().optional(),
});

export const ListResponse = z.object({
  items: z.array(ResourceView),
  count: z.int().describe("Items on this page."),
  total: z.int().describe("Items matching, across all pages."),
});

export const DetailResponse = ResourceView.extend({
  labels: z.record(z.string(), z.string()).optional(),
  annotations: z.record(z.string(), z.string()).optional(),
  creationTimestamp: z.string().optional(),
  uid: z.string().optional(),
  resourceVersion: z.string().optional(),
  generation: z.int().optional().describe("Counts changes of the spec (not of status)."),
  status: z.unknown().optional(),
});
