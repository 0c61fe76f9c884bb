#!/usr/bin/env bash
# Regenerates gen/ from the repository's proto/ with protoc from PyPI's grpcio-tools (no buf/protoc binary
# download needed) and protoc-gen-go / protoc-gen-go-grpc installed with `go install` from the module proxy.
# The generated code is committed (Go convention), so building the client needs none of these tools.
set -euo pipefail
cd "$(dirname "$0")"
PROTO=../../proto/src/main/proto
GOBIN=$(go env GOPATH)/bin
PROTOC_GEN_GO_VERSION=v1.36.12
PROTOC_GEN_GO_GRPC_VERSION=v1.6.2
[ -x "$GOBIN/protoc-gen-go" ] || GOFLAGS= go install google.golang.org/protobuf/cmd/protoc-gen-go@$PROTOC_GEN_GO_VERSION
[ -x "$GOBIN/protoc-gen-go-grpc" ] || GOFLAGS= go install google.golang.org/grpc/cmd/protoc-gen-go-grpc@$PROTOC_GEN_GO_GRPC_VERSION
PY=../python/.venv/bin/python
if ! "$PY" -c "import grpc_tools" 2>/dev/null; then
  PY=.tools-venv/bin/python
  [ -x "$PY" ] || python3 -m venv .tools-venv
  "$PY" -m pip install -q grpcio-tools
fi
rm -rf gen
mkdir -p gen
PATH="$GOBIN:$PATH" "$PY" -m grpc_tools.protoc -I"$PROTO" \
  --go_out=. --go_opt=module=github.com/abscan/abscan/clients/go \
  --go-grpc_out=. --go-grpc_opt=module=github.com/abscan/abscan/clients/go \
  $(cd "$PROTO" && find abscan -name '*.proto' | sort)
echo "generated $(find gen -name '*.go' | wc -l) Go files under gen/"
