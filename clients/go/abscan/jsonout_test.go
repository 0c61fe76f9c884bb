package abscan_test

import (
	"os"
	"testing"

	"google.golang.org/protobuf/proto"

	"github.com/abscan/abscan/clients/go/abscan"
	scanv1 "github.com/abscan/abscan/clients/go/gen/abscan/scan/v1"
)

// The report every client must print identically (written by clients/python/make_golden.py).
func TestReportJSONMatchesCrossLanguageGolden(t *testing.T) {
	bin, err := os.ReadFile("../../conformance/testdata/report.binpb")
	if err != nil {
		t.Fatal(err)
	}
	want, err := os.ReadFile("../../conformance/testdata/report.json")
	if err != nil {
		t.Fatal(err)
	}
	var r scanv1.ScanReport
	if err := proto.Unmarshal(bin, &r); err != nil {
		t.Fatal(err)
	}
	got, err := abscan.MarshalJSON(&r)
	if err != nil {
		t.Fatal(err)
	}
	if string(got)+"\n" != string(want) {
		os.WriteFile(t.TempDir()+"/got.json", got, 0o644)
		t.Errorf("JSON differs from golden:\n%s", got)
	}
}
