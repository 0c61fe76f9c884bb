// Decodes a failed call's google.rpc.Status (grpc-status-details-bin trailer) into one typed error.
import * as grpc from "@grpc/grpc-js";
import { root } from "./protos";

export const EXIT = { BENIGN: 0, TROJANED: 10, USAGE: 2, REJECTED: 3, ERROR: 4 } as const;

export interface FieldViolation { field: string; description: string }
export interface PreconditionViolation { type: string; subject: string; description: string }
export interface QuotaViolation { subject: string; description: string }

const CODE_NAMES: Record<number, string> = Object.fromEntries(
  Object.entries(grpc.status).filter(([, v]) => typeof v === "number").map(([k, v]) => [v as number, k]));

export class AbscanError extends Error {
  fieldViolations: FieldViolation[] = [];
  preconditionViolations: PreconditionViolation[] = [];
  quotaViolations: QuotaViolation[] = [];
  retryDelaySeconds?: number;
  reason?: string;
  domain?: string;
  metadata: Record<string, string> = {};
  resourceType?: string;
  resourceName?: string;

  constructor(readonly code: grpc.status, message: string) {
    super(message);
    this.name = "AbscanError";
  }

  get codeName(): string { return CODE_NAMES[this.code] ?? String(this.code); }

  /** 3 when the model or request was rejected, 4 for every other failure (as the Java CLI). */
  get exitCode(): number {
    return [grpc.status.INVALID_ARGUMENT, grpc.status.FAILED_PRECONDITION, grpc.status.NOT_FOUND].includes(this.code)
      ? EXIT.REJECTED : EXIT.ERROR;
  }

  describe(): string {
    const lines = [`${this.codeName}: ${this.message}`];
    for (const v of this.fieldViolations) lines.push(`  field ${v.field}: ${v.description}`);
    for (const v of this.preconditionViolations) lines.push(`  precondition ${v.type} ${v.subject}: ${v.description}`);
    for (const v of this.quotaViolations) lines.push(`  quota ${v.subject}: ${v.description}`);
    if (this.retryDelaySeconds !== undefined) lines.push(`  retry after ${this.retryDelaySeconds}s`);
    if (this.resourceType || this.resourceName) lines.push(`  resource ${this.resourceType ?? ""} ${this.resourceName ?? ""}`);
    if (this.reason) {
      const meta = Object.keys(this.metadata).sort().map((k) => `${k}=${this.metadata[k]}`).join(", ");
      lines.push(`  reason ${this.reason} (${this.domain})${meta ? " " + meta : ""}`);
    }
    return lines.join("\n");
  }
}

/** Any error from a grpc-js call (ServiceError or not) as an AbscanError. */
export function fromServiceError(err: unknown): AbscanError {
  if (err instanceof AbscanError) return err;
  const e = err as Partial<grpc.ServiceError>;
  const out = new AbscanError(typeof e.code === "number" ? e.code : grpc.status.UNKNOWN, e.details ?? e.message ?? String(err));
  const raw = e.metadata?.get("grpc-status-details-bin")?.[0];
  if (!raw) return out;
  const r = root();
  const status = r.lookupType("google.rpc.Status").toObject(r.lookupType("google.rpc.Status").decode(raw as Buffer)) as any;
  if (status.message) out.message = status.message;
  for (const any of status.details ?? []) {
    const typeName = String(any.typeUrl ?? any.type_url).split("/").pop()!;
    let type;
    try { type = r.lookupType(typeName); } catch { continue; }
    const d = type.toObject(type.decode(any.value), { longs: Number, defaults: true }) as any;
    switch (typeName) {
      case "google.rpc.BadRequest":
        out.fieldViolations.push(...d.fieldViolations.map((v: any) => ({ field: v.field, description: v.description })));
        break;
      case "google.rpc.PreconditionFailure":
        out.preconditionViolations.push(...d.violations.map((v: any) => ({ type: v.type, subject: v.subject, description: v.description })));
        break;
      case "google.rpc.QuotaFailure":
        out.quotaViolations.push(...d.violations.map((v: any) => ({ subject: v.subject, description: v.description })));
        break;
      case "google.rpc.RetryInfo":
        out.retryDelaySeconds = Number(d.retryDelay?.seconds ?? 0) + (d.retryDelay?.nanos ?? 0) / 1e9;
        break;
      case "google.rpc.ResourceInfo":
        out.resourceType = d.resourceType; out.resourceName = d.resourceName;
        break;
      case "google.rpc.ErrorInfo":
        out.reason = d.reason; out.domain = d.domain; out.metadata = { ...d.metadata };
        break;
    }
  }
  return out;
}
