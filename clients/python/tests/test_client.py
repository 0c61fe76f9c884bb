import hashlib
import json
import struct
import zlib

import grpc
import pytest

from abscan_client import AbscanClient, AbscanError, cli, message_to_json
from abscan_client._gen.abscan.common.v1 import common_pb2
from abscan_client._gen.abscan.model.v1 import model_service_pb2 as model_pb
from abscan_client._gen.abscan.scan.v1 import report_pb2, scan_service_pb2 as scan_pb
from abscan_client.jsonout import format_number
from fake_server import FakeDaemon


def png(width=2, height=2) -> bytes:
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    raw = b"".join(b"\x00" + b"\x80" * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


@pytest.fixture
def seeds(tmp_path):
    for label in (0, 1, 10):
        (tmp_path / "seeds" / str(label)).mkdir(parents=True)
        (tmp_path / "seeds" / str(label) / "a.png").write_bytes(png())
    (tmp_path / "seeds" / "README").write_text("not a label folder")
    return tmp_path / "seeds"


@pytest.fixture
def model(tmp_path):
    path = tmp_path / "m.h5"
    path.write_bytes(bytes(range(256)) * (10 * 1024 + 7))  # 2.5 MiB and a bit: three chunks
    return path


def scan_args(model, seeds, **kw):
    ns = cli.build_parser().parse_args(["--server", "x", "--model", str(model), "--seeds", str(seeds),
                                        "--input-range=-1,1", "--top-k", "3"])
    for k, v in kw.items():
        setattr(ns, k, v)
    return ns


def test_upload_sends_metadata_first_then_one_mib_chunks(model):
    with FakeDaemon() as d, AbscanClient(d.target) as c:
        resp = c.upload_model(model)
    meta, sizes = d.state.uploads[0]
    assert meta.filename == "m.h5" and meta.size_bytes == model.stat().st_size
    assert sizes == [1 << 20, 1 << 20, model.stat().st_size - (2 << 20)]
    assert resp.model_id == hashlib.sha256(model.read_bytes()).hexdigest()


def test_token_from_option_and_from_env(monkeypatch):
    with FakeDaemon(token="s3cret") as d:
        with AbscanClient(d.target, token="s3cret") as c:
            assert [p.name for p in c.list_plugins()] == ["keras-h5", "pixel"]
        monkeypatch.setenv("ABSCAN_TOKEN", "s3cret")
        with AbscanClient(d.target) as c:
            c.list_plugins()
        monkeypatch.setenv("ABSCAN_TOKEN", "wrong")
        with AbscanClient(d.target) as c, pytest.raises(AbscanError) as e:
            c.list_plugins()
    assert d.state.auth_headers == ["Bearer s3cret", "Bearer s3cret", "Bearer wrong"]
    assert e.value.code == grpc.StatusCode.UNAUTHENTICATED
    assert (e.value.reason, e.value.domain, e.value.metadata) == ("BAD_TOKEN", "abscan.org", {"scheme": "Bearer"})
    assert e.value.exit_code == 4


def test_scan_streams_progress_and_prints_report_json(model, seeds, capsys):
    with FakeDaemon() as d, AbscanClient(d.target) as c:
        rc = cli.run_scan(c, scan_args(model, seeds))
    out, err = capsys.readouterr()
    assert rc == 10
    assert "accepted scan scan-1" in err and "stimulation conv1 16/16" in err
    report = json.loads(out)
    assert report["verdict"] == "VERDICT_TROJANED" and report["targetLabel"] == 0
    assert report["maxReasr"] == 0.95 and out.count('"maxReasr": 0.95,') == 1  # float32 printed shortest
    assert report["outlierScore"] == 0 and report["baselineReasrs"] == [] and report["abscanVersion"] == ""
    assert report["parameters"]["topK"] == 3 and report["parameters"]["seed"] == "0"  # int64 as string
    assert report["seedImages"] == 0 and report["candidates"][0]["withinSizeBound"] is True
    assert list(report)[:4] == ["scanId", "verdict", "targetLabel", "maxReasr"]  # field-number order


def test_benign_report_exits_zero_and_omits_unset_optional(model, seeds, capsys):
    with FakeDaemon() as d:
        d.state.trojaned = False
        with AbscanClient(d.target) as c:
            assert cli.run_scan(c, scan_args(model, seeds)) == 0
    report = json.loads(capsys.readouterr().out)
    assert "targetLabel" not in report and report["verdict"] == "VERDICT_BENIGN"


def test_seed_folder_order_and_labels(model, seeds):
    from abscan_client import load_seed_folder
    s = load_seed_folder(seeds)
    assert [(i.label, i.name) for i in s.images] == [(0, "0/a.png"), (1, "1/a.png"), (10, "10/a.png")]


def test_cancel_reaches_the_server():
    with FakeDaemon() as d, AbscanClient(d.target) as c:
        stream = c.stream_nsf(scan_pb.StreamNSFRequest())
        got = 0
        with pytest.raises(AbscanError) as e:
            for _ in stream:
                got += 1
                if got == 2:
                    stream.cancel()
        assert e.value.code == grpc.StatusCode.CANCELLED and got == 2
        assert d.state.nsf_cancelled.wait(5), "server did not see the cancel"


def test_deadline_expires(model, seeds):
    with FakeDaemon(event_delay=0.5) as d, AbscanClient(d.target, deadline=0.2) as c:
        with pytest.raises(AbscanError) as e:
            list(c.scan(scan_pb.ScanRequest()))
    assert e.value.code == grpc.StatusCode.DEADLINE_EXCEEDED and e.value.exit_code == 4


def test_bad_request_field_violations_decoded(model):
    req = scan_pb.ScanRequest(seeds=common_pb2.SeedSet(images=[
        common_pb2.SeedImage(data=png(), label=0, name="0/ok.png"),
        common_pb2.SeedImage(data=b"junk", label=1, name="1/bad.png")]))
    with FakeDaemon() as d, AbscanClient(d.target) as c, pytest.raises(AbscanError) as e:
        list(c.scan(req))
    err = e.value
    assert err.code == grpc.StatusCode.INVALID_ARGUMENT and err.exit_code == 3
    assert [(v.field, v.description) for v in err.field_violations] == [
        ("seeds.images[1].data", "1/bad.png: not a PNG, JPEG or PPM image")]
    assert "field seeds.images[1].data" in err.describe()


def test_oversized_upload_decodes_quota_and_retry(model):
    with FakeDaemon(max_upload=1000) as d, AbscanClient(d.target) as c, pytest.raises(AbscanError) as e:
        c.upload_model(model)
    err = e.value
    assert err.code == grpc.StatusCode.RESOURCE_EXHAUSTED
    assert [(q.subject, q.description) for q in err.quota_violations] == [("upload", "cap is 1000 bytes")]
    assert err.retry_delay_seconds == 2.5 and "retry after 2.5s" in err.describe()


def test_precondition_failure_decoded():
    with FakeDaemon() as d, AbscanClient(d.target) as c, pytest.raises(AbscanError) as e:
        c.call(c.models.DescribeModel, model_pb.DescribeModelRequest(), None)
    v = e.value.precondition_violations[0]
    assert (e.value.code, v.type, v.subject, v.description) == (
        grpc.StatusCode.FAILED_PRECONDITION, "OP", "PyFunc", "op not allowed")


def test_cli_exit_codes(model, seeds, capsys):
    assert cli.main(["--server", "x"]) == 2
    assert cli.main(["--server", "x", "--model", "m", "--seeds", "s", "--input-range", "zero"]) == 2
    with FakeDaemon() as d:
        bad = seeds / "0" / "b.png"
        bad.write_bytes(b"junk")
        rc = cli.main(["--server", d.target, "--model", str(model), "--seeds", str(seeds)])
    assert rc == 3
    assert "INVALID_ARGUMENT" in capsys.readouterr().err
    # nothing listens on port 1: UNAVAILABLE is an "other error"
    assert cli.main(["--server", "127.0.0.1:1", "--model", str(model), "--seeds", str(seeds), "--deadline", "2"]) == 4


@pytest.mark.parametrize("value,text", [(0.0, "0"), (1.0, "1"), (-2.5, "-2.5"), (1e-05, "0.00001"),
                                        (1e-07, "1e-7"), (123456789.0, "123456789"), (1e21, "1e+21"),
                                        (1.5e22, "1.5e+22"), (0.1, "0.1"), (7, "7")])
def test_numbers_are_formatted_like_ecmascript(value, text):
    assert format_number(value) == text


def test_json_layout():
    r = report_pb2.ScanReport(candidates=[report_pb2.Candidate(neurons=[1, 2])])
    text = message_to_json(r)
    assert text.startswith('{\n  "scanId": "",\n  "verdict": "VERDICT_UNSPECIFIED",\n')
    assert '"neurons": [\n        1,\n        2\n      ]' in text and '"baselineReasrs": []' in text
    assert "timings" not in text  # unset message fields have presence: omitted, as in Go's EmitDefaultValues


def test_report_json_matches_cross_language_golden():
    import pathlib
    data = pathlib.Path(__file__).resolve().parents[2] / "conformance" / "testdata"
    r = report_pb2.ScanReport.FromString((data / "report.binpb").read_bytes())
    assert message_to_json(r) + "\n" == (data / "report.json").read_text()


def test_not_found_resource_info_decoded():
    with FakeDaemon() as d, AbscanClient(d.target) as c, pytest.raises(AbscanError) as e:
        c.call(c.models.DeleteModel, model_pb.DeleteModelRequest(model_id="abc"))
    err = e.value
    assert (err.code, err.resource_type, err.resource_name, err.reason) == (
        grpc.StatusCode.NOT_FOUND, "model", "abc", "NOT_FOUND")
    assert err.exit_code == 3
    assert err.describe() == "NOT_FOUND: no model abc\n  resource model abc\n  reason NOT_FOUND (abscan.org) a=1, b=2"


def test_failed_scan_event_gives_exit_code(model, seeds, capsys):
    with FakeDaemon() as d:
        d.state.fail_reason = scan_pb.FAILURE_REASON_MODEL_REJECTED
        with AbscanClient(d.target) as c:
            assert cli.run_scan(c, scan_args(model, seeds)) == 3
            d.state.fail_reason = scan_pb.FAILURE_REASON_INTERNAL
            assert cli.run_scan(c, scan_args(model, seeds)) == 4
    captured = capsys.readouterr()
    assert captured.out == "" and "scan failed: FAILURE_REASON_INTERNAL: boom" in captured.err
