import { runService } from "@ark/service-kit";
import { executorConfig } from "./config.js";
import { createExecutorService } from "./server.js";

await runService(executorConfig, (config) => createExecutorService(config));
