// The upload + scan flow shared by the scan command and the conformance driver.
import { AbscanClient } from "./client";
import { EXIT } from "./errors";
import { messageToJson } from "./json";
import { loadSeedFolder } from "./seeds";

export interface ScanOptions {
  model: string; seeds: string; inputRange?: string; format?: string; deadlineSeconds?: number;
  topK?: number; reSteps?: number; samples?: number; baselineNeurons?: number; seed?: number;
  triggers?: string; layers?: string;
}

export function parseRange(text?: string): [number, number] {
  if (!text) return [0, 0];
  const parts = text.split(",").map((s) => s.trim());
  const nums = parts.map(Number);
  if (parts.length !== 2 || parts.some((p) => p === "") || nums.some(Number.isNaN)) {
    throw new UsageError(`--input-range wants LO,HI, got '${text}'`);
  }
  return [nums[0], nums[1]];
}

export class UsageError extends Error {}

const list = (s?: string) => (s ?? "").split(",").filter((x) => x);

export function scanRequest(o: ScanOptions, modelId: string, seeds: unknown): any {
  const [inputMin, inputMax] = parseRange(o.inputRange);
  return {
    model: { modelId, format: o.format ?? "" }, seeds, preprocessing: { inputMin, inputMax },
    parameters: { topK: o.topK ?? 0, reSteps: o.reSteps ?? 0, samples: o.samples ?? 0,
      baselineNeurons: o.baselineNeurons ?? 0, seed: String(o.seed ?? 0), triggers: list(o.triggers), layers: list(o.layers) },
  };
}

export function progressLine(e: any): string | undefined {
  switch (e.kind) {
    case "accepted": return `accepted scan ${e.accepted.scanId}`;
    case "queued": return `queued at position ${e.queued.position}`;
    case "modelLoaded": { const m = e.modelLoaded; return `model loaded: ${m.format}, ${m.numLabels} labels, ${m.totalNeurons} neurons, ${m.seedImages} seeds`; }
    case "stimulationProgress": { const s = e.stimulationProgress; return `stimulation ${s.layer} ${s.neuronsDone}/${s.neuronsTotal} (all ${s.allNeuronsDone}/${s.allNeuronsTotal})`; }
    case "candidatesSelected": return `candidates selected: ${e.candidatesSelected.candidates.length}`;
    case "triggerProgress": { const t = e.triggerProgress; return `trigger ${t.candidateIndex} ${t.trigger} step ${t.step}/${t.maxSteps} loss ${t.loss.toFixed(4)}`; }
    case "candidateResult": { const c = e.candidateResult.candidate; return `candidate ${e.candidateResult.candidateIndex} ${c.layer}#${c.neuron} -> ${c.targetLabel} reasr ${c.reasr.toFixed(3)}`; }
  }
  return undefined;
}

/** Upload + scan; resolves to the exit code, rejects with AbscanError for a failed call. */
export async function runScan(client: AbscanClient, o: ScanOptions, out: (s: string) => void, err: (s: string) => void): Promise<number> {
  let seeds;
  try {
    seeds = loadSeedFolder(o.seeds);
  } catch (e) {
    throw new UsageError((e as Error).message); // a bad --seeds is a usage error, as in the other clients
  }
  const up = await client.uploadModel(o.model, o.format ?? "");
  err(`uploaded ${o.model}: model ${up.modelId} (${up.sizeBytes} bytes, ${up.format})`);
  const stream = client.scan(scanRequest(o, up.modelId, seeds), { deadlineSeconds: o.deadlineSeconds ?? 24 * 3600 });
  for await (const resp of stream) {
    const e = resp.event;
    const line = progressLine(e);
    if (line) err(line);
    if (e.kind === "failed") {
      err(`scan failed: ${e.failed.reason}: ${e.failed.message}`);
      return e.failed.reason === "FAILURE_REASON_MODEL_REJECTED" ? EXIT.REJECTED : EXIT.ERROR;
    }
    if (e.kind === "report") {
      out(messageToJson("abscan.scan.v1.ScanReport", e.report) + "\n");
      return e.report.verdict === "VERDICT_TROJANED" ? EXIT.TROJANED : EXIT.BENIGN;
    }
  }
  err("scan stream ended without a report");
  return EXIT.ERROR;
}
