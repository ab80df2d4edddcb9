import { z } from "zod";
import { SecretKeySelector } from "./value-source.js";

export const HeaderValue = z
  .object({
    value: z.string().optional(),
    valueFrom: z.object({ secretKeyRef: SecretKeySelector.optional() }).optional(),
  })
  .describe("A header value given literally or read from a Secret.");
export type HeaderValue = z.output<typeof HeaderValue>;

export const Header = z.object({
  name: z.string().min(1).describe("HTTP header name."),
  value: HeaderValue,
});
export type Header = z.output<typeof Header>;
