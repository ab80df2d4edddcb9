import { runService } from "@ark/service-kit";
import { controllerConfig } from "./config.js";
import { createControllerService } from "./server.js";

await runService(controllerConfig, (config) => createControllerService(config));
