import { resolve } from "node:path";
import { isProcessAlive } from "@ark/service-kit";
import type { Command } from "commander";
import { probe } from "../client/probe.js";
import { readStackFile } from "../dev/stack-file.js";
import { CliError } from "../errors.js";
import { formatTable } from "../output/table.js";
import { settingsOf } from "../settings.js";

export function registerStatus(program: Command): void {
  program
    .command("status")
    .description("what is running and whether it is ready: the local stack's services ($ARK_HOME/dev-stack.json), else ark-api")
    .action(async (_opts: unknown, command: Command) => {
      const settings = settingsOf(command);
      const arkHome = resolve(process.env.ARK_HOME ?? ".ark");
      const file = await readStackFile(arkHome);
      const stack = file && isProcessAlive(file.pid) ? file : undefined;
      const services = stack?.services ?? [{ name: "ark-api", url: settings.server, readyUrl: `${settings.server}/ready` }];
      const rows = await Promise.all(
        services.map(async (service) => {
          if (!service.readyUrl) return [service.name, service.url, "running"];
          const result = await probe(service.readyUrl, stack?.ca ? { ca: stack.ca } : {});
          return [service.name, service.url, result.ok ? "ready" : `not ready (${result.detail})`];
        }),
      );
      if (stack) process.stdout.write(`ark dev (pid ${stack.pid}, since ${stack.startedAt})${stack.kubeconfig ? `, kubeconfig ${stack.kubeconfig}` : ""}\n`);
      process.stdout.write(`${formatTable(["service", "url", "status"], rows)}\n`);
      const down = rows.filter((row) => row[2] !== "ready" && row[2] !== "running").length;
      if (down > 0) throw new CliError(`${down} of ${rows.length} services not ready`);
    });
}
