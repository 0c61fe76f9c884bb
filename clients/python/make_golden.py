"""Writes clients/conformance/testdata/report.binpb, a ScanReport with awkward values (tiny and huge floats,
int64, bytes, unset optional and message fields), and report.json, the canonical JSON every client must print
for it. The Python, Go and Node unit tests each decode the .binpb and compare their output to the .json."""
import pathlib

from abscan_client import message_to_json
from abscan_client._gen.abscan.scan.v1 import report_pb2

OUT = pathlib.Path(__file__).resolve().parent.parent / "conformance" / "testdata"

r = report_pb2.ScanReport(
    scan_id="scan-\u00e9\"q\"", verdict=report_pb2.VERDICT_TROJANED, target_label=0, max_reasr=0.95, best_candidate=0,
    outlier_score=-3.25, baseline_reasrs=[0.1, 1e-05, 1e-07, 3e21, 0.0, 56.5703125, -56.5703125, 0.1171875, 16777216.0, 3.4028234663852886e38], model_sha256="ab" * 32, num_labels=10,
    seed_images=10, neurons_analysed=528,
    parameters=report_pb2.ScanParameters(sampling=report_pb2.SAMPLING_GRID, samples=3, sample_k=8, top_k=2,
                                         triggers=["pixel"], re_steps=10, threshold=0.88, seed=12345678901234,
                                         max_trigger_size=0.06),
    candidates=[report_pb2.Candidate(layer="conv2d_1", neuron=7, neurons=[7, 9], target_label=0, reasr=1.0,
                                     elevation_score=123.456, mask_size=0.0076530613, within_size_bound=True,
                                     images=report_pb2.TriggerImages(mask_png=b"\x89PNG\x00\xff", stamped_png=[b"a", b""]),
                                     source_label=3)],
    nsf_summaries=[report_pb2.NeuronStimulation(layer="dense", neuron=1, image_index=-1, values=[0, 0.5],
                                                labels=[report_pb2.LabelCurve(label=0, logits=[-1.5, 2e-06])])],
    timings=report_pb2.Timings(total_seconds=12.345678901234, load_seconds=0.1 + 0.2))
OUT.mkdir(parents=True, exist_ok=True)
(OUT / "report.binpb").write_bytes(r.SerializeToString())
(OUT / "report.json").write_text(message_to_json(r) + "\n")
print(f"wrote {OUT}/report.binpb and report.json")
