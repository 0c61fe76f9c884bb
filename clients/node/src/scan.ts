#!/usr/bin/env node
// scan --server HOST:PORT --model FILE --seeds DIR [--input-range LO,HI] [--token T] [--deadline S] [...]
import { parseArgs } from "util";
import { AbscanClient } from "./client";
import { AbscanError, EXIT } from "./errors";
import { parseRange, runScan, UsageError } from "./scanrun";

const USAGE = "usage: scan --server HOST:PORT --model FILE --seeds DIR [--input-range LO,HI] [--token T] [--deadline S]\n" +
  "            [--format F] [--top-k N] [--re-steps N] [--samples N] [--baseline-neurons N] [--seed N] [--triggers a,b] [--layers a,b]";

async function main(argv: string[]): Promise<number> {
  let v: Record<string, string | undefined>;
  try {
    const names = ["server", "model", "seeds", "input-range", "token", "deadline", "format", "top-k", "re-steps",
      "samples", "baseline-neurons", "seed", "triggers", "layers"];
    v = parseArgs({ args: argv, options: Object.fromEntries(names.map((n) => [n, { type: "string" as const }])) }).values as any;
    if (!v.server || !v.model || !v.seeds) throw new UsageError("--server, --model and --seeds are required");
    parseRange(v["input-range"]);
  } catch (e) {
    process.stderr.write(`usage error: ${(e as Error).message}\n${USAGE}\n`);
    return EXIT.USAGE;
  }
  const num = (k: string) => (v[k] === undefined ? undefined : Number(v[k]));
  const client = new AbscanClient(v.server!, { token: v.token });
  try {
    return await runScan(client, {
      model: v.model!, seeds: v.seeds!, inputRange: v["input-range"], format: v.format, deadlineSeconds: num("deadline"),
      topK: num("top-k"), reSteps: num("re-steps"), samples: num("samples"), baselineNeurons: num("baseline-neurons"),
      seed: num("seed"), triggers: v.triggers, layers: v.layers,
    }, (s) => process.stdout.write(s), (s) => process.stderr.write(s + "\n"));
  } catch (e) {
    if (e instanceof AbscanError) {
      process.stderr.write(`error: ${e.describe()}\n`);
      return e.exitCode;
    }
    process.stderr.write(`error: ${(e as Error).message}\n`);
    return e instanceof UsageError ? EXIT.USAGE : EXIT.ERROR;
  } finally {
    client.close();
  }
}

if (require.main === module) main(process.argv.slice(2)).then((code) => { process.exitCode = code; });
export { main };
