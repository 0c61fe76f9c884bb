package abscan_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"
	"google.golang.org/grpc/test/bufconn"
	"google.golang.org/protobuf/types/known/durationpb"

	"github.com/abscan/abscan/clients/go/abscan"
	commonv1 "github.com/abscan/abscan/clients/go/gen/abscan/common/v1"
	modelv1 "github.com/abscan/abscan/clients/go/gen/abscan/model/v1"
	pluginv1 "github.com/abscan/abscan/clients/go/gen/abscan/plugin/v1"
	scanv1 "github.com/abscan/abscan/clients/go/gen/abscan/scan/v1"
	"github.com/abscan/abscan/clients/go/internal/scancli"
)

var pngMagic = []byte("\x89PNG\r\n\x1a\n")

// fake is an in-memory abscan daemon with the same rich errors as the real one.
type fake struct {
	modelv1.UnimplementedModelServiceServer
	scanv1.UnimplementedScanServiceServer
	pluginv1.UnimplementedPluginServiceServer
	mu           sync.Mutex
	maxUpload    int
	token        string
	eventDelay   time.Duration
	chunkSizes   []int
	meta         *modelv1.UploadModelMetadata
	authHeaders  []string
	nsfCancelled chan struct{}
	failReason   scanv1.FailureReason
}

func (f *fake) DeleteModel(ctx context.Context, req *modelv1.DeleteModelRequest) (*modelv1.DeleteModelResponse, error) {
	st, _ := status.New(codes.NotFound, "no model "+req.GetModelId()).WithDetails(
		&errdetails.ResourceInfo{ResourceType: "model", ResourceName: req.GetModelId()},
		&errdetails.ErrorInfo{Reason: "NOT_FOUND", Domain: "abscan.org", Metadata: map[string]string{"b": "2", "a": "1"}})
	return nil, st.Err()
}

func (f *fake) auth(ctx context.Context) error {
	md, _ := metadata.FromIncomingContext(ctx)
	got := strings.Join(md.Get("authorization"), ",")
	f.mu.Lock()
	f.authHeaders = append(f.authHeaders, got)
	f.mu.Unlock()
	if f.token != "" && got != "Bearer "+f.token {
		st, _ := status.New(codes.Unauthenticated, "missing or unknown bearer token").
			WithDetails(&errdetails.ErrorInfo{Reason: "BAD_TOKEN", Domain: "abscan.org"})
		return st.Err()
	}
	return nil
}

func (f *fake) UploadModel(s grpc.ClientStreamingServer[modelv1.UploadModelRequest, modelv1.UploadModelResponse]) error {
	if err := f.auth(s.Context()); err != nil {
		return err
	}
	first, err := s.Recv()
	if err != nil || first.GetMetadata() == nil {
		st, _ := status.New(codes.InvalidArgument, "metadata first").WithDetails(&errdetails.BadRequest{
			FieldViolations: []*errdetails.BadRequest_FieldViolation{{Field: "metadata", Description: "missing"}}})
		return st.Err()
	}
	f.meta = first.GetMetadata()
	h, total := sha256.New(), 0
	for {
		part, err := s.Recv()
		if err == io.EOF {
			break
		}
		if err != nil {
			return err
		}
		f.chunkSizes = append(f.chunkSizes, len(part.GetChunk()))
		total += len(part.GetChunk())
		h.Write(part.GetChunk())
		if total > f.maxUpload {
			st, _ := status.New(codes.ResourceExhausted, "upload over the cap").WithDetails(
				&errdetails.QuotaFailure{Violations: []*errdetails.QuotaFailure_Violation{{Subject: "upload", Description: "cap is 1000 bytes"}}},
				&errdetails.RetryInfo{RetryDelay: durationpb.New(2500 * time.Millisecond)})
			return st.Err()
		}
	}
	return s.SendAndClose(&modelv1.UploadModelResponse{ModelId: hex.EncodeToString(h.Sum(nil)), SizeBytes: int64(total), Format: "keras-h5"})
}

func (f *fake) ListPlugins(ctx context.Context, _ *pluginv1.ListPluginsRequest) (*pluginv1.ListPluginsResponse, error) {
	if err := f.auth(ctx); err != nil {
		return nil, err
	}
	return &pluginv1.ListPluginsResponse{Plugins: []*pluginv1.PluginInfo{
		{Name: "keras-h5", Kind: pluginv1.PluginKind_PLUGIN_KIND_MODEL_LOADER}, {Name: "pixel", Kind: pluginv1.PluginKind_PLUGIN_KIND_TRIGGER_APPLIER}}}, nil
}

func validate(seeds *commonv1.SeedSet) error {
	var bad []*errdetails.BadRequest_FieldViolation
	for i, img := range seeds.GetImages() {
		if !bytes.HasPrefix(img.GetData(), pngMagic) {
			bad = append(bad, &errdetails.BadRequest_FieldViolation{Field: "seeds.images[" + string(rune('0'+i)) + "].data", Description: img.GetName() + ": not an image"})
		}
	}
	if bad != nil {
		st, _ := status.New(codes.InvalidArgument, "malformed seed image").WithDetails(&errdetails.BadRequest{FieldViolations: bad})
		return st.Err()
	}
	return nil
}

func (f *fake) Scan(req *scanv1.ScanRequest, s grpc.ServerStreamingServer[scanv1.ScanResponse]) error {
	if err := f.auth(s.Context()); err != nil {
		return err
	}
	if err := validate(req.GetSeeds()); err != nil {
		return err
	}
	target := int32(0)
	events := []*scanv1.ScanEvent{
		{Kind: &scanv1.ScanEvent_Accepted{Accepted: &scanv1.ScanAccepted{ScanId: "scan-1"}}},
		{Kind: &scanv1.ScanEvent_StimulationProgress{StimulationProgress: &scanv1.StimulationProgress{Layer: "conv1", NeuronsDone: 16, NeuronsTotal: 16}}},
		{Kind: &scanv1.ScanEvent_Report{Report: &scanv1.ScanReport{ScanId: "scan-1", Verdict: scanv1.Verdict_VERDICT_TROJANED,
			TargetLabel: &target, MaxReasr: 0.95, Parameters: req.GetParameters()}}},
	}
	if f.failReason != 0 {
		events[2] = &scanv1.ScanEvent{Kind: &scanv1.ScanEvent_Failed{Failed: &scanv1.ScanFailed{Reason: f.failReason, Message: "boom"}}}
	}
	for i, e := range events {
		select {
		case <-time.After(f.eventDelay):
		case <-s.Context().Done():
			return s.Context().Err()
		}
		e.Sequence = int64(i + 1)
		if err := s.Send(&scanv1.ScanResponse{Event: e}); err != nil {
			return err
		}
	}
	return nil
}

func (f *fake) StreamNSF(req *scanv1.StreamNSFRequest, s grpc.ServerStreamingServer[scanv1.StreamNSFResponse]) error {
	for n := int32(1); ; n++ {
		if err := s.Send(&scanv1.StreamNSFResponse{Kind: &scanv1.StreamNSFResponse_Progress{Progress: &scanv1.StimulationProgress{NeuronsDone: n}}}); err != nil {
			close(f.nsfCancelled)
			return err
		}
		select {
		case <-s.Context().Done():
			close(f.nsfCancelled)
			return s.Context().Err()
		case <-time.After(20 * time.Millisecond):
		}
	}
}

func start(t *testing.T, f *fake, opts ...abscan.Option) *abscan.Client {
	t.Helper()
	if f.maxUpload == 0 {
		f.maxUpload = 10 << 20
	}
	f.nsfCancelled = make(chan struct{})
	lis := bufconn.Listen(1 << 20)
	srv := grpc.NewServer()
	modelv1.RegisterModelServiceServer(srv, f)
	scanv1.RegisterScanServiceServer(srv, f)
	pluginv1.RegisterPluginServiceServer(srv, f)
	go srv.Serve(lis)
	t.Cleanup(srv.Stop)
	opts = append(opts, abscan.WithDialOptions(grpc.WithContextDialer(func(ctx context.Context, _ string) (net.Conn, error) {
		return lis.DialContext(ctx)
	})))
	c, err := abscan.Dial("passthrough:///bufnet", opts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

func writeModel(t *testing.T) (string, []byte) {
	data := bytes.Repeat([]byte{1, 2, 3, 4, 5, 6, 7}, (5<<20)/14+3) // about 2.5 MiB: three chunks
	path := filepath.Join(t.TempDir(), "m.h5")
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return path, data
}

func seedDir(t *testing.T, bad bool) string {
	dir := t.TempDir()
	for _, l := range []string{"10", "0", "1"} {
		os.MkdirAll(filepath.Join(dir, l), 0o755)
		os.WriteFile(filepath.Join(dir, l, "a.png"), append(append([]byte{}, pngMagic...), 0), 0o644)
	}
	if bad {
		os.WriteFile(filepath.Join(dir, "1", "b.png"), []byte("junk"), 0o644)
	}
	os.WriteFile(filepath.Join(dir, "README"), []byte("not a label"), 0o644)
	return dir
}

func asError(t *testing.T, err error, code codes.Code) *abscan.Error {
	t.Helper()
	var ae *abscan.Error
	if !errors.As(err, &ae) || ae.Code != code {
		t.Fatalf("want %v, got %v", code, err)
	}
	return ae
}

func TestUploadSendsMetadataThenOneMiBChunks(t *testing.T) {
	f := &fake{}
	c := start(t, f)
	path, data := writeModel(t)
	resp, err := c.UploadModel(context.Background(), path, "")
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(data)
	if resp.GetModelId() != hex.EncodeToString(sum[:]) {
		t.Errorf("model id %s", resp.GetModelId())
	}
	want := []int{1 << 20, 1 << 20, len(data) - 2<<20}
	if f.meta.GetFilename() != "m.h5" || f.meta.GetSizeBytes() != int64(len(data)) || len(f.chunkSizes) != 3 ||
		f.chunkSizes[0] != want[0] || f.chunkSizes[1] != want[1] || f.chunkSizes[2] != want[2] {
		t.Errorf("metadata %v, chunks %v, want %v", f.meta, f.chunkSizes, want)
	}
}

func TestTokenFromOptionAndEnv(t *testing.T) {
	f := &fake{token: "s3cret"}
	if _, err := start(t, f, abscan.WithToken("s3cret")).ListPlugins(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Setenv("ABSCAN_TOKEN", "wrong")
	_, err := start(t, f).ListPlugins(context.Background())
	ae := asError(t, err, codes.Unauthenticated)
	if ae.Reason != "BAD_TOKEN" || ae.Domain != "abscan.org" || ae.ExitCode() != 4 {
		t.Errorf("error info not decoded: %+v", ae)
	}
	if strings.Join(f.authHeaders, "|") != "Bearer s3cret|Bearer wrong" {
		t.Errorf("headers %v", f.authHeaders)
	}
}

func TestScanPrintsReportJSONAndExitCode(t *testing.T) {
	c := start(t, &fake{})
	path, _ := writeModel(t)
	var out, errOut bytes.Buffer
	o := &scancli.Options{Model: path, Seeds: seedDir(t, false), InputRange: "-1,1", TopK: 3}
	code, err := scancli.Run(context.Background(), c, o, &out, &errOut)
	if err != nil || code != abscan.ExitTrojaned {
		t.Fatalf("code %d err %v", code, err)
	}
	if !strings.Contains(errOut.String(), "accepted scan scan-1") || !strings.Contains(errOut.String(), "stimulation conv1 16/16") {
		t.Errorf("progress: %s", errOut.String())
	}
	var r map[string]any
	if err := json.Unmarshal(out.Bytes(), &r); err != nil {
		t.Fatal(err)
	}
	params := r["parameters"].(map[string]any)
	if r["targetLabel"] != 0.0 || r["outlierScore"] != 0.0 || params["topK"] != 3.0 || params["seed"] != "0" {
		t.Errorf("report %s", out.String())
	}
	if !strings.Contains(out.String(), "\n  \"maxReasr\": 0.95,\n") || !strings.HasPrefix(out.String(), "{\n  \"scanId\": \"scan-1\",\n") {
		t.Errorf("layout %s", out.String())
	}
}

func TestSeedFolderOrder(t *testing.T) {
	s, err := abscan.LoadSeedFolder(seedDir(t, false))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, i := range s.GetImages() {
		got = append(got, i.GetName())
	}
	if strings.Join(got, ",") != "0/a.png,1/a.png,10/a.png" || s.GetImages()[2].GetLabel() != 10 {
		t.Errorf("order %v", got)
	}
}

func TestCancelReachesServer(t *testing.T) {
	f := &fake{}
	s, err := start(t, f).StreamNSF(context.Background(), &scanv1.StreamNSFRequest{})
	if err != nil {
		t.Fatal(err)
	}
	got := 0
	for {
		_, err := s.Recv()
		if err != nil {
			asError(t, err, codes.Canceled)
			break
		}
		if got++; got == 2 {
			s.Cancel()
		}
	}
	select {
	case <-f.nsfCancelled:
	case <-time.After(5 * time.Second):
		t.Fatal("server did not see the cancel")
	}
	if got != 2 {
		t.Errorf("got %d messages", got)
	}
}

func TestDeadlineExpires(t *testing.T) {
	s, err := start(t, &fake{eventDelay: 500 * time.Millisecond}, abscan.WithDeadline(200*time.Millisecond)).Scan(context.Background(), &scanv1.ScanRequest{})
	if err == nil {
		_, err = s.Recv()
	}
	asError(t, err, codes.DeadlineExceeded)
}

func TestBadRequestViolationsDecodedAndExitThree(t *testing.T) {
	c := start(t, &fake{})
	path, _ := writeModel(t)
	var out, errOut bytes.Buffer
	_, err := scancli.Run(context.Background(), c, &scancli.Options{Model: path, Seeds: seedDir(t, true)}, &out, &errOut)
	ae := asError(t, err, codes.InvalidArgument)
	if len(ae.FieldViolations) != 1 || ae.FieldViolations[0].Field != "seeds.images[2].data" || ae.ExitCode() != 3 {
		t.Errorf("violations %+v", ae.FieldViolations)
	}
	if !strings.Contains(ae.Describe(), "field seeds.images[2].data: 1/b.png: not an image") {
		t.Errorf("describe %s", ae.Describe())
	}
}

func TestOversizedUploadDecodesQuotaAndRetry(t *testing.T) {
	path, _ := writeModel(t)
	_, err := start(t, &fake{maxUpload: 1000}).UploadModel(context.Background(), path, "")
	ae := asError(t, err, codes.ResourceExhausted)
	if len(ae.QuotaViolations) != 1 || ae.QuotaViolations[0].Subject != "upload" || ae.RetryDelay == nil || *ae.RetryDelay != 2500*time.Millisecond {
		t.Errorf("%+v", ae)
	}
	if !strings.Contains(ae.Describe(), "retry after 2.5s") {
		t.Errorf("describe %s", ae.Describe())
	}
}

func TestNotFoundResourceInfoDecoded(t *testing.T) {
	c := start(t, &fake{})
	ctx, cancel := c.CallContext(context.Background())
	defer cancel()
	_, err := c.Models.DeleteModel(ctx, &modelv1.DeleteModelRequest{ModelId: "abc"})
	ae := asError(t, abscan.FromError(err), codes.NotFound)
	if ae.ResourceType != "model" || ae.ResourceName != "abc" || ae.ExitCode() != 3 {
		t.Errorf("%+v", ae)
	}
	if want := "NOT_FOUND: no model abc\n  resource model abc\n  reason NOT_FOUND (abscan.org) a=1, b=2"; ae.Describe() != want {
		t.Errorf("describe %q, want %q", ae.Describe(), want)
	}
}

func TestFailedScanEventGivesExitCode(t *testing.T) {
	path, _ := writeModel(t)
	for reason, want := range map[scanv1.FailureReason]int{
		scanv1.FailureReason_FAILURE_REASON_MODEL_REJECTED: 3, scanv1.FailureReason_FAILURE_REASON_INTERNAL: 4} {
		var out, errOut bytes.Buffer
		code, err := scancli.Run(context.Background(), start(t, &fake{failReason: reason}), &scancli.Options{Model: path, Seeds: seedDir(t, false)}, &out, &errOut)
		if err != nil || code != want || out.Len() != 0 || !strings.Contains(errOut.String(), "scan failed: "+reason.String()+": boom") {
			t.Errorf("%v: code %d err %v out %q stderr %q", reason, code, err, out.String(), errOut.String())
		}
	}
}
