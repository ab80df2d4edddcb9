import { runService } from "@ark/service-kit";
import { arkApiA2aConfig } from "./config.js";
import { createArkApiA2a } from "./server.js";

await runService(arkApiA2aConfig, (config) => createArkApiA2a(config));
