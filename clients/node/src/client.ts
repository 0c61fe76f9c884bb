// AbscanClient: grpc-js stubs for the abscan services with chunked upload, cancellable streams, default
// deadlines, bearer-token auth and typed rich errors.
import * as fs from "fs";
import * as path from "path";
import * as grpc from "@grpc/grpc-js";
import { service } from "./protos";
import { AbscanError, fromServiceError } from "./errors";

export const CHUNK_SIZE = 1 << 20;
export const TOKEN_ENV = "ABSCAN_TOKEN";

export interface ClientOptions {
  /** Bearer token; default $ABSCAN_TOKEN. */
  token?: string;
  /** Seconds for every call that is not given its own deadline. */
  deadlineSeconds?: number;
  credentials?: grpc.ChannelCredentials;
  channelOptions?: grpc.ChannelOptions;
}

export interface CallOptions { deadlineSeconds?: number }

/** A server stream as an async iterable; failures surface as AbscanError, `cancel()` cancels the call. */
export class Stream<T> implements AsyncIterable<T> {
  private cancelledHere = false;

  constructor(private readonly call: grpc.ClientReadableStream<T>, private readonly deadline?: Date) {}

  cancel(): void {
    this.cancelledHere = true;
    this.call.cancel();
  }

  async *[Symbol.asyncIterator](): AsyncIterator<T> {
    try {
      for await (const msg of this.call as AsyncIterable<T>) yield msg;
    } catch (err) {
      throw deadlineAware(fromServiceError(err), this.deadline, this.cancelledHere);
    }
  }
}

/** A server that enforces the propagated deadline itself resets the stream (RST_STREAM CANCEL), which grpc-js
 *  reports as CANCELLED when it arrives before the client's own timer; like grpc-go, call that what it is. */
export function deadlineAware(e: AbscanError, deadline: Date | undefined, cancelledHere: boolean): AbscanError {
  if (e.code !== grpc.status.CANCELLED || cancelledHere || !deadline || Date.now() < deadline.getTime() - 50) return e;
  const out = new AbscanError(grpc.status.DEADLINE_EXCEEDED, `deadline exceeded (${e.message})`);
  return Object.assign(out, { ...e, code: grpc.status.DEADLINE_EXCEEDED, message: out.message });
}

export class AbscanClient {
  readonly models: any;
  readonly scans: any;
  readonly plugins: any;
  private readonly health: grpc.Client;
  private readonly token?: string;

  constructor(target: string, private readonly options: ClientOptions = {}) {
    const creds = options.credentials ?? grpc.credentials.createInsecure();
    const channelOptions = { "grpc.max_receive_message_length": 64 << 20, ...options.channelOptions };
    this.models = new (service("abscan.model.v1.ModelService"))(target, creds, channelOptions);
    const channelOverride = { channelOverride: this.models.getChannel() };
    this.scans = new (service("abscan.scan.v1.ScanService"))(target, creds, channelOverride);
    this.plugins = new (service("abscan.plugin.v1.PluginService"))(target, creds, channelOverride);
    this.health = new grpc.Client(target, creds, channelOverride);
    this.token = options.token ?? (process.env[TOKEN_ENV] || undefined);
  }

  close(): void { this.models.close(); }

  private metadata(): grpc.Metadata {
    const md = new grpc.Metadata();
    if (this.token) md.set("authorization", `Bearer ${this.token}`);
    return md;
  }

  private callOptions(opts?: CallOptions): { deadline?: Date } {
    const seconds = opts?.deadlineSeconds ?? this.options.deadlineSeconds;
    return seconds === undefined ? {} : { deadline: new Date(Date.now() + seconds * 1000) };
  }

  private stream<T>(method: string, request: unknown, opts?: CallOptions): Stream<T> {
    const callOptions = this.callOptions(opts);
    return new Stream(this.scans[method](request, this.metadata(), callOptions), callOptions.deadline);
  }

  /** Any unary method of the raw stubs (e.g. `client.call(client.models, "deleteModel", {modelId})`) with the
   *  client's token and deadline; rejects with AbscanError. */
  call<Res = any>(stub: any, method: string, request: unknown, opts?: CallOptions): Promise<Res> {
    return new Promise((resolve, reject) => {
      const callOptions = this.callOptions(opts);
      stub[method](request, this.metadata(), callOptions, (err: grpc.ServiceError | null, res: Res) =>
        err ? reject(deadlineAware(fromServiceError(err), callOptions.deadline, false)) : resolve(res));
    });
  }

  /** The daemon's grpc.health.v1 status name ("SERVING", ...). */
  healthCheck(opts?: CallOptions): Promise<string> {
    const names = ["UNKNOWN", "SERVING", "NOT_SERVING", "SERVICE_UNKNOWN"];
    return new Promise((resolve, reject) => {
      // HealthCheckRequest{service: ""} encodes to no bytes; the response's field 1 is the status enum.
      this.health.makeUnaryRequest("/grpc.health.v1.Health/Check", () => Buffer.alloc(0), (b: Buffer) => b,
        {}, this.metadata(), this.callOptions(opts), (err, res) => {
          if (err) return reject(fromServiceError(err));
          const buf = res as Buffer;
          resolve(names[buf.length >= 2 && buf[0] === 0x08 ? buf[1] : 0] ?? "UNKNOWN");
        });
    });
  }

  async listPlugins(opts?: CallOptions): Promise<any[]> {
    return (await this.call<any>(this.plugins, "listPlugins", {}, opts)).plugins;
  }

  /** Streams a model file: metadata (name, format, declared size) first, then CHUNK_SIZE chunks. */
  uploadModel(file: string, format = "", opts?: CallOptions): Promise<any> {
    const size = fs.statSync(file).size;
    return this.upload({ filename: path.basename(file), format, sizeBytes: String(size) }, fs.createReadStream(file, { highWaterMark: CHUNK_SIZE }), opts);
  }

  upload(metadata: { filename: string; format?: string; sizeBytes?: string }, chunks: AsyncIterable<Buffer | Uint8Array>,
         opts?: CallOptions): Promise<any> {
    return new Promise((resolve, reject) => {
      const call = this.models.uploadModel(this.metadata(), this.callOptions(opts),
        (err: grpc.ServiceError | null, res: any) => err ? reject(fromServiceError(err)) : resolve(res));
      const pump = async () => {
        const write = (msg: unknown) => new Promise<void>((ok) => { if (call.write(msg)) ok(); else call.once("drain", ok); });
        await write({ metadata });
        let pending = Buffer.alloc(0);
        for await (const piece of chunks) {
          pending = Buffer.concat([pending, Buffer.from(piece)]);
          while (pending.length >= CHUNK_SIZE) {
            await write({ chunk: pending.subarray(0, CHUNK_SIZE) });
            pending = pending.subarray(CHUNK_SIZE);
          }
        }
        if (pending.length) await write({ chunk: pending });
        call.end();
      };
      // A server that ends the call early (e.g. over its cap) reports through the callback.
      pump().catch((e) => { call.cancel(); reject(e instanceof AbscanError ? e : fromServiceError(e)); });
    });
  }

  /** Starts a scan; iterate for ScanResponse objects; `cancel()` cancels the scan. */
  scan(request: unknown, opts?: CallOptions): Stream<any> {
    return this.stream("scan", request, opts);
  }

  streamNsf(request: unknown, opts?: CallOptions): Stream<any> {
    return this.stream("streamNsf", request, opts);
  }

  generateTrigger(request: unknown, opts?: CallOptions): Stream<any> {
    return this.stream("generateTrigger", request, opts);
  }
}
