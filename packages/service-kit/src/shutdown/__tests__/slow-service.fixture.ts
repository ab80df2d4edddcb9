// A tiny service for run-service.test.ts, started as a child process: `node --import tsx slow-service.fixture.ts`.
import { commonServiceConfig } from "../../config/common.js";
import { envBoolean, envPort } from "../../config/env-types.js";
import { createService } from "../../http/create-service.js";
import { runService } from "../run-service.js";

const schema = commonServiceConfig.extend({
  PORT: envPort().default(0),
  SLOW_MS: envPort().default(300),
  HANG_ON_SHUTDOWN: envBoolean().default(false),
});

await runService(schema, (config) => {
  const service = createService({
    name: "slow-fixture",
    config,
    register: (app) => {
      app.get("/slow", async (request) => {
        request.log.info("slow request started");
        await new Promise((resolve) => setTimeout(resolve, config.SLOW_MS));
        request.log.info("slow request answering");
        return { done: true };
      });
    },
  });
  service.onShutdown(async () => {
    if (config.HANG_ON_SHUTDOWN) await new Promise(() => {});
    process.stdout.write("shutdown hook ran\n");
  });
  return service;
});
