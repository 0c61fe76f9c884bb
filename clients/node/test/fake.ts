// An in-process fake abscan daemon on grpc-js with the same rich errors as the real one.
import * as crypto from "crypto";
import * as grpc from "@grpc/grpc-js";
import { root, service } from "../src/protos";

export function richError(code: grpc.status, message: string, details: [string, object][]): Partial<grpc.StatusObject> {
  const r = root();
  const anys = details.map(([type, value]) => ({ type_url: `type.googleapis.com/${type}`, typeUrl: `type.googleapis.com/${type}`,
    value: r.lookupType(type).encode(r.lookupType(type).fromObject(value)).finish() }));
  const status = r.lookupType("google.rpc.Status");
  const md = new grpc.Metadata();
  md.set("grpc-status-details-bin", Buffer.from(status.encode(status.fromObject({ code, message, details: anys })).finish()));
  return { code, details: message, metadata: md };
}

export class FakeDaemon {
  server = new grpc.Server();
  target = "";
  uploads: { meta: any; sizes: number[] }[] = [];
  authHeaders: string[] = [];
  nsfCancelled = false;
  constructor(public opts: { maxUpload?: number; token?: string; eventDelayMs?: number; failReason?: string } = {}) {}

  private authFails(call: { metadata: grpc.Metadata }): Partial<grpc.StatusObject> | undefined {
    const got = String(call.metadata.get("authorization")[0] ?? "");
    this.authHeaders.push(got);
    if (this.opts.token && got !== `Bearer ${this.opts.token}`) {
      return richError(grpc.status.UNAUTHENTICATED, "missing or unknown bearer token",
        [["google.rpc.ErrorInfo", { reason: "BAD_TOKEN", domain: "abscan.org", metadata: { scheme: "Bearer" } }]]);
    }
    return undefined;
  }

  async start(): Promise<this> {
    this.server.addService(service("abscan.model.v1.ModelService").service, {
      deleteModel: (call: any, cb: any) => cb(richError(grpc.status.NOT_FOUND, `no model ${call.request.modelId}`, [
        ["google.rpc.ResourceInfo", { resourceType: "model", resourceName: call.request.modelId }],
        ["google.rpc.ErrorInfo", { reason: "NOT_FOUND", domain: "abscan.org", metadata: { b: "2", a: "1" } }]])),
      uploadModel: (call: any, cb: any) => {
        const denied = this.authFails(call);
        if (denied) return cb(denied);
        let meta: any, total = 0, done = false;
        const sizes: number[] = [];
        const hash = crypto.createHash("sha256");
        call.on("data", (m: any) => {
          if (done) return;
          if (!meta) { meta = m.metadata; return; }
          sizes.push(m.chunk.length); total += m.chunk.length; hash.update(m.chunk);
          if (total > (this.opts.maxUpload ?? 10 << 20)) {
            done = true;
            cb(richError(grpc.status.RESOURCE_EXHAUSTED, "upload over the cap", [
              ["google.rpc.QuotaFailure", { violations: [{ subject: "upload", description: "cap is 1000 bytes" }] }],
              ["google.rpc.RetryInfo", { retryDelay: { seconds: 2, nanos: 500000000 } }]]));
          }
        });
        call.on("end", () => {
          if (done) return;
          this.uploads.push({ meta, sizes });
          cb(null, { modelId: hash.digest("hex"), sizeBytes: String(total), format: "keras-h5" });
        });
      },
    });
    this.server.addService(service("abscan.plugin.v1.PluginService").service, {
      listPlugins: (call: any, cb: any) => {
        const denied = this.authFails(call);
        if (denied) return cb(denied);
        cb(null, { plugins: [{ name: "keras-h5", kind: "PLUGIN_KIND_MODEL_LOADER" }, { name: "pixel", kind: "PLUGIN_KIND_TRIGGER_APPLIER" }] });
      },
    });
    const png = Buffer.from("\x89PNG\r\n\x1a\n", "latin1");
    this.server.addService(service("abscan.scan.v1.ScanService").service, {
      scan: async (call: any) => {
        const denied = this.authFails(call);
        if (denied) return call.emit("error", denied);
        const bad = (call.request.seeds?.images ?? []).map((img: any, i: number) => [img, i])
          .filter(([img]: any) => !Buffer.from(img.data).subarray(0, 8).equals(png))
          .map(([img, i]: any) => ({ field: `seeds.images[${i}].data`, description: `${img.name}: not an image` }));
        if (bad.length) return call.emit("error", richError(grpc.status.INVALID_ARGUMENT, "malformed seed image", [["google.rpc.BadRequest", { fieldViolations: bad }]]));
        const events = [
          { accepted: { scanId: "scan-1" } },
          { stimulationProgress: { layer: "conv1", neuronsDone: 16, neuronsTotal: 16 } },
          { report: { scanId: "scan-1", verdict: "VERDICT_TROJANED", targetLabel: 0, maxReasr: 0.95, parameters: call.request.parameters } },
        ];
        if (this.opts.failReason) events[2] = { failed: { reason: this.opts.failReason, message: "boom" } } as any;
        for (const [i, e] of events.entries()) {
          await new Promise((r) => setTimeout(r, this.opts.eventDelayMs ?? 0));
          if (call.cancelled) return;
          call.write({ event: { sequence: String(i + 1), scanId: "scan-1", ...e } });
        }
        call.end();
      },
      streamNsf: (call: any) => {
        let n = 0;
        call.on("cancelled", () => { this.nsfCancelled = true; });
        const timer = setInterval(() => {
          if (call.cancelled) { clearInterval(timer); this.nsfCancelled = true; return; }
          call.write({ progress: { layer: "conv1", neuronsDone: ++n, neuronsTotal: 10000 } });
        }, 20);
      },
    });
    const port = await new Promise<number>((ok, fail) =>
      this.server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (e, p) => (e ? fail(e) : ok(p))));
    this.target = `127.0.0.1:${port}`;
    return this;
  }

  stop(): void { this.server.forceShutdown(); }
}
