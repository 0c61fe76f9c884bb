"""Generates the gRPC/protobuf stubs from the repository's proto/ into src/abscan_client/_gen.

The generated modules are not committed: protobuf's Python code checks at import time that the runtime is at
least the version of the protoc that wrote it, so the stubs must come from the grpcio-tools installed next to
the runtime (the setup script runs this inside the venv). protoc writes absolute imports (`from abscan.scan.v1
import ...`); they are rewritten to live under abscan_client._gen so the package adds no top-level `abscan`.
"""
import pathlib
import re
import sys

from grpc_tools import protoc
import grpc_tools

HERE = pathlib.Path(__file__).resolve().parent
PROTO_ROOT = HERE.parent.parent / "proto" / "src" / "main" / "proto"
OUT = HERE / "src" / "abscan_client" / "_gen"


def main() -> int:
    files = sorted(str(p.relative_to(PROTO_ROOT)) for p in PROTO_ROOT.rglob("*.proto"))
    if not files:
        print(f"no .proto files under {PROTO_ROOT}", file=sys.stderr)
        return 1
    OUT.mkdir(parents=True, exist_ok=True)
    well_known = pathlib.Path(grpc_tools.__file__).parent / "_proto"
    rc = protoc.main(["protoc", f"-I{PROTO_ROOT}", f"-I{well_known}", f"--python_out={OUT}",
                      f"--pyi_out={OUT}", f"--grpc_python_out={OUT}", *files])
    if rc != 0:
        return rc
    for path in OUT.rglob("*.py*"):
        text = path.read_text()
        fixed = re.sub(r"^from abscan\.", "from abscan_client._gen.abscan.", text, flags=re.M)
        if fixed != text:
            path.write_text(fixed)
    for d in [OUT, *[p for p in OUT.rglob("*") if p.is_dir()]]:
        (d / "__init__.py").touch()
    print(f"generated stubs for {len(files)} proto files into {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
