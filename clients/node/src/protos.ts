// Loads the abscan API from the repository's proto/ at runtime: grpc-js service definitions via proto-loader,
// and a protobufjs Root of the same files for reflection (canonical JSON, rich error details).
import * as path from "path";
import * as fs from "fs";
import * as grpc from "@grpc/grpc-js";
import * as protoLoader from "@grpc/proto-loader";
import * as protobuf from "protobufjs";

const PACKAGE_DIR = path.resolve(__dirname, "..", "..");
/** The API's .proto root: $ABSCAN_PROTO_ROOT, or proto/src/main/proto of the repository holding this package. */
export const PROTO_ROOT = process.env.ABSCAN_PROTO_ROOT ?? path.resolve(PACKAGE_DIR, "..", "..", "proto", "src", "main", "proto");
const RPC_PROTO_ROOT = path.join(PACKAGE_DIR, "proto");

export const API_FILES = [
  "abscan/common/v1/common.proto",
  "abscan/model/v1/model_service.proto",
  "abscan/plugin/v1/plugin_service.proto",
  "abscan/scan/v1/report.proto",
  "abscan/scan/v1/scan_service.proto",
];

/** How grpc-js turns messages into objects: lowerCamelCase, 64-bit ints and enums as strings, defaults set. */
export const LOADER_OPTIONS: protoLoader.Options = {
  keepCase: false, longs: String, enums: String, defaults: true, oneofs: true,
  includeDirs: [PROTO_ROOT],
};

let cachedGrpc: grpc.GrpcObject | undefined;
let cachedRoot: protobuf.Root | undefined;

export function grpcObject(): grpc.GrpcObject {
  if (!cachedGrpc) {
    if (!fs.existsSync(path.join(PROTO_ROOT, API_FILES[0]))) {
      throw new Error(`abscan .proto files not found under ${PROTO_ROOT} (set ABSCAN_PROTO_ROOT)`);
    }
    cachedGrpc = grpc.loadPackageDefinition(protoLoader.loadSync(API_FILES, LOADER_OPTIONS));
  }
  return cachedGrpc;
}

export function root(): protobuf.Root {
  if (!cachedRoot) {
    const r = new protobuf.Root();
    r.resolvePath = (_origin, target) => {
      for (const dir of [PROTO_ROOT, RPC_PROTO_ROOT]) {
        const candidate = path.join(dir, target);
        if (fs.existsSync(candidate)) return candidate;
      }
      return target; // google/protobuf/*.proto: protobufjs has them built in
    };
    r.loadSync([...API_FILES, "google/rpc/status.proto", "google/rpc/error_details.proto"], { keepCase: false });
    r.resolveAll();
    cachedRoot = r;
  }
  return cachedRoot;
}

/** The grpc-js service constructor for e.g. "abscan.scan.v1.ScanService". */
export function service(fullName: string): grpc.ServiceClientConstructor {
  let node: any = grpcObject();
  for (const part of fullName.split(".")) node = node[part];
  return node as grpc.ServiceClientConstructor;
}
