import { runService } from "@ark/service-kit";
import { memoryConfig } from "./config.js";
import { createMemoryService } from "./server.js";

await runService(memoryConfig, (config) => createMemoryService(config));
