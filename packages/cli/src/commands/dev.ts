import type { Command } from "commander";

export function registerDev(program: Command): void {
  program
    .command("dev")
    .description("run the whole ARK stack in this process (embedded PostgreSQL and bus unless DATABASE_URL / NATS_URL are set)")
    .option("-v, --verbose", "print every service log line to stderr (they always go to $ARK_HOME/logs/dev.log)", false)
    .action(async (opts: { verbose: boolean }) => {
      // Nothing runs yet while the services load, so a signal now just ends the process.
      const leave = () => process.exit(0);
      process.once("SIGINT", leave).once("SIGTERM", leave);
      // Loaded only here: the services pull in fastify, client-node and PostgreSQL, which other commands never need.
      const { runDev } = await import("../dev/run-dev.js");
      process.off("SIGINT", leave).off("SIGTERM", leave);
      process.exitCode = await runDev({ verbose: opts.verbose });
    });
}
