import type { TestServicesContext } from "../services/test-services.js";

declare module "vitest" {
  export interface ProvidedContext {
    /** Postgres and NATS resolved once for the whole run by @ark/testing's global setup. */
    arkTestServices: TestServicesContext;
  }
}

export const PROVIDED_KEY = "arkTestServices" as const;
