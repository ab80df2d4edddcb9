import { z } from "zod";
import { ConfigMapKeySelector, QueryParameterReference, SecretKeySelector } from "./value-source.js";

export const HeaderValue = z
  .object({
    value: z.string().optional(),
    valueFrom: z
      .object({
        secretKeyRef: SecretKeySelector.optional(),
        configMapKeyRef: ConfigMapKeySelector.optional(),
        queryParameterRef: QueryParameterReference.optional(),
      })
      .optional()
      .describe("Exactly one of secretKeyRef, configMapKeyRef, queryParameterRef."),
  })
  .describe("A header value given literally or read from a Secret, a ConfigMap or the query's parameters.");
export type HeaderValue = z.output<typeof HeaderValue>;

export const Header = z.object({
  name: z.string().min(1).describe("HTTP header name."),
  value: HeaderValue,
});
export type Header = z.output<typeof Header>;
