// jq-web ships no types: a CommonJS module exporting a promise of the initialised jq runtime.
declare module "jq-web" {
  export interface JqRuntime {
    /** Runs jq over a JSON text, like `echo <json> | jq <flags> <filter>`; synchronous; throws with `exitCode` and `stderr`. */
    raw(json: string, filter: string, flags?: string[]): string | undefined;
  }
  const jq: Promise<JqRuntime>;
  export default jq;
}
