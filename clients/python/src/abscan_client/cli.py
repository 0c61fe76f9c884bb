"""`scan`: upload a model, send local seeds, stream the scan's progress to stderr, print the report as JSON."""
from __future__ import annotations

import argparse
import sys

from abscan_client._gen.abscan.common.v1 import common_pb2
from abscan_client._gen.abscan.scan.v1 import report_pb2, scan_service_pb2 as scan_pb
from abscan_client.client import AbscanClient
from abscan_client.errors import AbscanError, EXIT_BENIGN, EXIT_ERROR, EXIT_REJECTED, EXIT_TROJANED, EXIT_USAGE
from abscan_client.jsonout import message_to_json
from abscan_client.seeds import load_seed_folder


class UsageError(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    def error(self, message):
        raise UsageError(message)


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(prog="scan", description=__doc__)
    p.add_argument("--server", required=True, help="daemon address HOST:PORT")
    p.add_argument("--model", required=True, help="model file to upload")
    p.add_argument("--seeds", required=True, help="ImageFolder of seed images: <label>/<file>")
    p.add_argument("--input-range", default=None, help="LO,HI model input range [0,1]")
    p.add_argument("--token", default=None, help="bearer token (default: $ABSCAN_TOKEN)")
    p.add_argument("--deadline", type=float, default=None, help="seconds for the whole scan call")
    p.add_argument("--format", default="", help="loader plugin (keras-h5, onnx, savedmodel)")
    p.add_argument("--top-k", type=int, default=0)
    p.add_argument("--re-steps", type=int, default=0)
    p.add_argument("--samples", type=int, default=0)
    p.add_argument("--baseline-neurons", type=int, default=0)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--triggers", default="", help="comma-separated trigger plugins")
    p.add_argument("--layers", default="", help="comma-separated candidate layers")
    return p


def parse_range(text):
    try:
        lo, hi = (float(x) for x in text.split(","))
    except ValueError:
        raise UsageError(f"--input-range wants LO,HI, got {text!r}") from None
    return lo, hi


def scan_request(args, model_id: str, seeds: common_pb2.SeedSet) -> scan_pb.ScanRequest:
    pre = common_pb2.Preprocessing()
    if args.input_range:
        pre.input_min, pre.input_max = parse_range(args.input_range)
    params = report_pb2.ScanParameters(
        top_k=args.top_k, re_steps=args.re_steps, samples=args.samples, baseline_neurons=args.baseline_neurons,
        seed=args.seed, triggers=[t for t in args.triggers.split(",") if t], layers=[l for l in args.layers.split(",") if l])
    return scan_pb.ScanRequest(model=common_pb2.ModelRef(model_id=model_id, format=args.format), seeds=seeds,
                               preprocessing=pre, parameters=params)


def progress_line(event) -> str | None:
    kind = event.WhichOneof("kind")
    if kind == "accepted":
        return f"accepted scan {event.accepted.scan_id}"
    if kind == "queued":
        return f"queued at position {event.queued.position}"
    if kind == "model_loaded":
        m = event.model_loaded
        return f"model loaded: {m.format}, {m.num_labels} labels, {m.total_neurons} neurons, {m.seed_images} seeds"
    if kind == "stimulation_progress":
        s = event.stimulation_progress
        return f"stimulation {s.layer} {s.neurons_done}/{s.neurons_total} (all {s.all_neurons_done}/{s.all_neurons_total})"
    if kind == "candidates_selected":
        return f"candidates selected: {len(event.candidates_selected.candidates)}"
    if kind == "trigger_progress":
        t = event.trigger_progress
        return f"trigger {t.candidate_index} {t.trigger} step {t.step}/{t.max_steps} loss {t.loss:.4f}"
    if kind == "candidate_result":
        c = event.candidate_result.candidate
        return f"candidate {event.candidate_result.candidate_index} {c.layer}#{c.neuron} -> {c.target_label} reasr {c.reasr:.3f}"
    return None


def run_scan(client: AbscanClient, args, out=None, err=None) -> int:
    """Upload + scan; returns the exit code. Raises AbscanError for a failed call."""
    out, err = out or sys.stdout, err or sys.stderr
    seeds = load_seed_folder(args.seeds)
    uploaded = client.upload_model(args.model, format=args.format)
    print(f"uploaded {args.model}: model {uploaded.model_id} ({uploaded.size_bytes} bytes, {uploaded.format})", file=err)
    for resp in client.scan(scan_request(args, uploaded.model_id, seeds), timeout=args.deadline):
        event = resp.event
        line = progress_line(event)
        if line:
            print(line, file=err, flush=True)
        if event.WhichOneof("kind") == "failed":
            f = event.failed
            print(f"scan failed: {scan_pb.FailureReason.Name(f.reason)}: {f.message}", file=err)
            return EXIT_REJECTED if f.reason == scan_pb.FAILURE_REASON_MODEL_REJECTED else EXIT_ERROR
        if event.WhichOneof("kind") == "report":
            out.write(message_to_json(event.report) + "\n")
            out.flush()
            return EXIT_TROJANED if event.report.verdict == report_pb2.VERDICT_TROJANED else EXIT_BENIGN
    print("scan stream ended without a report", file=err)
    return EXIT_ERROR


def main(argv=None) -> int:
    try:
        args = build_parser().parse_args(argv)
        if args.input_range:
            parse_range(args.input_range)
    except UsageError as e:
        print(f"usage error: {e}", file=sys.stderr)
        build_parser().print_usage(sys.stderr)
        return EXIT_USAGE
    try:
        with AbscanClient(args.server, token=args.token) as client:
            return run_scan(client, args)
    except AbscanError as e:
        print(f"error: {e.describe()}", file=sys.stderr)
        return e.exit_code
    except (OSError, ValueError) as e:
        print(f"error: {e}", file=sys.stderr)
        return EXIT_USAGE if isinstance(e, ValueError) else EXIT_ERROR
    except KeyboardInterrupt:
        return EXIT_ERROR


if __name__ == "__main__":
    sys.exit(main())
