import { runService } from "@ark/service-kit";
import { arkApiConfig } from "./config.js";
import { createArkApi } from "./server.js";

await runService(arkApiConfig, (config) => createArkApi(config));
