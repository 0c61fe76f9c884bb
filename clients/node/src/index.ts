export { AbscanClient, Stream, CHUNK_SIZE, TOKEN_ENV, ClientOptions, CallOptions } from "./client";
export { AbscanError, fromServiceError, EXIT, FieldViolation, PreconditionViolation, QuotaViolation } from "./errors";
export { loadSeedFolder } from "./seeds";
export { messageToJson, toJsonObject } from "./json";
export { PROTO_ROOT } from "./protos";
