import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as crypto from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as grpc from "@grpc/grpc-js";
import { AbscanClient, AbscanError, CHUNK_SIZE, loadSeedFolder, messageToJson } from "../src";
import { root } from "../src/protos";
import { runScan } from "../src/scanrun";
import { FakeDaemon } from "./fake";

const PNG = Buffer.from("\x89PNG\r\n\x1a\n\x00", "latin1");

function tmpModel(): { file: string; data: Buffer } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "abscan-node-"));
  const data = crypto.randomBytes(2 * CHUNK_SIZE + 12345);
  fs.writeFileSync(path.join(dir, "m.h5"), data);
  return { file: path.join(dir, "m.h5"), data };
}

function tmpSeeds(bad = false): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "abscan-seeds-"));
  for (const l of ["10", "0", "1"]) { fs.mkdirSync(path.join(dir, l)); fs.writeFileSync(path.join(dir, l, "a.png"), PNG); }
  if (bad) fs.writeFileSync(path.join(dir, "1", "b.png"), "junk");
  fs.writeFileSync(path.join(dir, "README"), "not a label");
  return dir;
}

async function withFake<T>(opts: ConstructorParameters<typeof FakeDaemon>[0], fn: (d: FakeDaemon) => Promise<T>): Promise<T> {
  const d = await new FakeDaemon(opts).start();
  try { return await fn(d); } finally { d.stop(); }
}

async function rejectsWith(p: Promise<unknown>, code: grpc.status): Promise<AbscanError> {
  try { await p; } catch (e) {
    assert.ok(e instanceof AbscanError, `not an AbscanError: ${e}`);
    assert.equal(e.code, code, e.describe());
    return e;
  }
  assert.fail("the call succeeded");
}

test("upload sends metadata first, then 1 MiB chunks", () => withFake({}, async (d) => {
  const { file, data } = tmpModel();
  const c = new AbscanClient(d.target);
  const res = await c.uploadModel(file);
  c.close();
  assert.equal(res.modelId, crypto.createHash("sha256").update(data).digest("hex"));
  assert.equal(d.uploads[0].meta.filename, "m.h5");
  assert.equal(d.uploads[0].meta.sizeBytes, String(data.length));
  assert.deepEqual(d.uploads[0].sizes, [CHUNK_SIZE, CHUNK_SIZE, 12345]);
}));

test("token from option and from ABSCAN_TOKEN; ErrorInfo decoded", () => withFake({ token: "s3cret" }, async (d) => {
  const ok = new AbscanClient(d.target, { token: "s3cret" });
  assert.deepEqual((await ok.listPlugins()).map((p) => p.name), ["keras-h5", "pixel"]);
  ok.close();
  process.env.ABSCAN_TOKEN = "wrong";
  const bad = new AbscanClient(d.target);
  delete process.env.ABSCAN_TOKEN;
  const e = await rejectsWith(bad.listPlugins(), grpc.status.UNAUTHENTICATED);
  bad.close();
  assert.deepEqual([e.reason, e.domain, e.metadata, e.exitCode], ["BAD_TOKEN", "abscan.org", { scheme: "Bearer" }, 4]);
  assert.deepEqual(d.authHeaders, ["Bearer s3cret", "Bearer wrong"]);
}));

test("scan streams progress and prints the report as canonical JSON", () => withFake({}, async (d) => {
  const c = new AbscanClient(d.target);
  let out = "", err = "";
  const code = await runScan(c, { model: tmpModel().file, seeds: tmpSeeds(), inputRange: "-1,1", topK: 3 },
    (s) => (out += s), (s) => (err += s + "\n"));
  c.close();
  assert.equal(code, 10);
  assert.match(err, /accepted scan scan-1/);
  assert.match(err, /stimulation conv1 16\/16/);
  const r = JSON.parse(out);
  assert.equal(r.targetLabel, 0);
  assert.equal(r.outlierScore, 0);
  assert.deepEqual(r.baselineReasrs, []);
  assert.equal(r.parameters.topK, 3);
  assert.equal(r.parameters.seed, "0");
  assert.ok(out.startsWith('{\n  "scanId": "scan-1",\n  "verdict": "VERDICT_TROJANED",\n  "targetLabel": 0,\n  "maxReasr": 0.95,\n'), out);
  assert.ok(!("timings" in r));
}));

test("seed folder order and labels", () => {
  const s = loadSeedFolder(tmpSeeds());
  assert.deepEqual(s.images.map((i) => [i.label, i.name]), [[0, "0/a.png"], [1, "1/a.png"], [10, "10/a.png"]]);
});

test("cancel reaches the server", () => withFake({}, async (d) => {
  const c = new AbscanClient(d.target);
  const s = c.streamNsf({});
  let got = 0;
  const e = await rejectsWith((async () => { for await (const _ of s) if (++got === 2) s.cancel(); })(), grpc.status.CANCELLED);
  assert.equal(got, 2, e.describe());
  for (let i = 0; i < 100 && !d.nsfCancelled; i++) await new Promise((r) => setTimeout(r, 20));
  c.close();
  assert.ok(d.nsfCancelled, "server did not see the cancel");
}));

test("deadline expires", () => withFake({ eventDelayMs: 500 }, async (d) => {
  const c = new AbscanClient(d.target, { deadlineSeconds: 0.2 });
  const e = await rejectsWith((async () => { for await (const _ of c.scan({})) { /* drain */ } })(), grpc.status.DEADLINE_EXCEEDED);
  c.close();
  assert.equal(e.exitCode, 4);
}));

test("BadRequest field violations decoded, exit code 3", () => withFake({}, async (d) => {
  const c = new AbscanClient(d.target);
  const e = await rejectsWith(runScan(c, { model: tmpModel().file, seeds: tmpSeeds(true) }, () => {}, () => {}), grpc.status.INVALID_ARGUMENT);
  c.close();
  assert.deepEqual(e.fieldViolations, [{ field: "seeds.images[2].data", description: "1/b.png: not an image" }]);
  assert.equal(e.exitCode, 3);
  assert.match(e.describe(), /field seeds.images\[2\].data: 1\/b.png: not an image/);
}));

test("oversized upload decodes QuotaFailure and RetryInfo", () => withFake({ maxUpload: 1000 }, async (d) => {
  const c = new AbscanClient(d.target);
  const e = await rejectsWith(c.uploadModel(tmpModel().file), grpc.status.RESOURCE_EXHAUSTED);
  c.close();
  assert.deepEqual(e.quotaViolations, [{ subject: "upload", description: "cap is 1000 bytes" }]);
  assert.equal(e.retryDelaySeconds, 2.5);
  assert.match(e.describe(), /retry after 2.5s/);
}));

test("report JSON matches the cross-language golden", () => {
  const dir = path.resolve(__dirname, "..", "..", "..", "conformance", "testdata");
  const type = root().lookupType("abscan.scan.v1.ScanReport");
  const msg = type.toObject(type.decode(fs.readFileSync(path.join(dir, "report.binpb"))), { longs: String, enums: String, oneofs: true });
  assert.equal(messageToJson("abscan.scan.v1.ScanReport", msg) + "\n", fs.readFileSync(path.join(dir, "report.json"), "utf8"));
});

test("NOT_FOUND with ResourceInfo decoded", () => withFake({}, async (d) => {
  const c = new AbscanClient(d.target);
  const e = await rejectsWith(c.call(c.models, "deleteModel", { modelId: "abc" }), grpc.status.NOT_FOUND);
  c.close();
  assert.deepEqual([e.resourceType, e.resourceName, e.exitCode], ["model", "abc", 3]);
  assert.equal(e.describe(), "NOT_FOUND: no model abc\n  resource model abc\n  reason NOT_FOUND (abscan.org) a=1, b=2");
}));

for (const [reason, want] of [["FAILURE_REASON_MODEL_REJECTED", 3], ["FAILURE_REASON_INTERNAL", 4]] as const) {
  test(`a ScanFailed ${reason} event exits ${want}`, () => withFake({ failReason: reason }, async (d) => {
    const c = new AbscanClient(d.target);
    let out = "", err = "";
    const code = await runScan(c, { model: tmpModel().file, seeds: tmpSeeds() }, (s) => (out += s), (s) => (err += s + "\n"));
    c.close();
    assert.equal(code, want);
    assert.equal(out, "");
    assert.match(err, new RegExp(`scan failed: ${reason}: boom`));
  }));
}

test("CANCELLED from a server enforcing the deadline reads as DEADLINE_EXCEEDED; own cancels stay CANCELLED", () => {
  const { deadlineAware } = require("../src/client");
  const cancelled = () => new AbscanError(grpc.status.CANCELLED, "Call cancelled");
  const past = new Date(Date.now() - 10), future = new Date(Date.now() + 60_000);
  const e = deadlineAware(cancelled(), past, false);
  assert.deepEqual([e.code, e.message, e.exitCode], [grpc.status.DEADLINE_EXCEEDED, "deadline exceeded (Call cancelled)", 4]);
  assert.ok(e instanceof AbscanError);
  assert.equal(deadlineAware(cancelled(), past, true).code, grpc.status.CANCELLED);
  assert.equal(deadlineAware(cancelled(), future, false).code, grpc.status.CANCELLED);
  assert.equal(deadlineAware(cancelled(), undefined, false).code, grpc.status.CANCELLED);
});
