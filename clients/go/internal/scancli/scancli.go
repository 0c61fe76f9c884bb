// Package scancli is the upload + scan flow shared by the scan command and the conformance driver.
package scancli

import (
	"context"
	"flag"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/abscan/abscan/clients/go/abscan"
	commonv1 "github.com/abscan/abscan/clients/go/gen/abscan/common/v1"
	scanv1 "github.com/abscan/abscan/clients/go/gen/abscan/scan/v1"
)

// Options are the scan command's flags.
type Options struct {
	Server, Model, Seeds, InputRange, Token, Format, Triggers, Layers string
	Deadline                                                          float64
	TopK, ReSteps, Samples, BaselineNeurons                           int
	Seed                                                              int64
}

// Register declares the flags on fs.
func (o *Options) Register(fs *flag.FlagSet) {
	fs.StringVar(&o.Server, "server", "", "daemon address HOST:PORT")
	fs.StringVar(&o.Model, "model", "", "model file to upload")
	fs.StringVar(&o.Seeds, "seeds", "", "ImageFolder of seed images: <label>/<file>")
	fs.StringVar(&o.InputRange, "input-range", "", "LO,HI model input range [0,1]")
	fs.StringVar(&o.Token, "token", "", "bearer token (default: $ABSCAN_TOKEN)")
	fs.Float64Var(&o.Deadline, "deadline", 0, "seconds for the whole scan call")
	fs.StringVar(&o.Format, "format", "", "loader plugin (keras-h5, onnx, savedmodel)")
	fs.IntVar(&o.TopK, "top-k", 0, "candidates kept")
	fs.IntVar(&o.ReSteps, "re-steps", 0, "optimisation steps per trigger")
	fs.IntVar(&o.Samples, "samples", 0, "stimulation samples")
	fs.IntVar(&o.BaselineNeurons, "baseline-neurons", 0, "random neurons for the REASR baseline")
	fs.Int64Var(&o.Seed, "seed", 0, "random seed")
	fs.StringVar(&o.Triggers, "triggers", "", "comma-separated trigger plugins")
	fs.StringVar(&o.Layers, "layers", "", "comma-separated candidate layers")
}

// Validate reports a usage error.
func (o *Options) Validate() error {
	if o.Server == "" || o.Model == "" || o.Seeds == "" {
		return fmt.Errorf("--server, --model and --seeds are required")
	}
	_, _, err := o.Range()
	return err
}

// Range parses --input-range.
func (o *Options) Range() (float32, float32, error) {
	if o.InputRange == "" {
		return 0, 0, nil
	}
	parts := strings.Split(o.InputRange, ",")
	if len(parts) == 2 {
		lo, e1 := strconv.ParseFloat(strings.TrimSpace(parts[0]), 32)
		hi, e2 := strconv.ParseFloat(strings.TrimSpace(parts[1]), 32)
		if e1 == nil && e2 == nil {
			return float32(lo), float32(hi), nil
		}
	}
	return 0, 0, fmt.Errorf("--input-range wants LO,HI, got %q", o.InputRange)
}

func split(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p != "" {
			out = append(out, p)
		}
	}
	return out
}

// Request builds the ScanRequest for an uploaded model.
func (o *Options) Request(modelID string, seeds *commonv1.SeedSet) *scanv1.ScanRequest {
	lo, hi, _ := o.Range()
	return &scanv1.ScanRequest{
		Model:         &commonv1.ModelRef{Source: &commonv1.ModelRef_ModelId{ModelId: modelID}, Format: o.Format},
		Seeds:         seeds,
		Preprocessing: &commonv1.Preprocessing{InputMin: lo, InputMax: hi},
		Parameters: &scanv1.ScanParameters{TopK: int32(o.TopK), ReSteps: int32(o.ReSteps), Samples: int32(o.Samples),
			BaselineNeurons: int32(o.BaselineNeurons), Seed: o.Seed, Triggers: split(o.Triggers), Layers: split(o.Layers)},
	}
}

// ProgressLine renders an event for stderr (nil-safe; "" for events not worth a line).
func ProgressLine(e *scanv1.ScanEvent) string {
	switch k := e.GetKind().(type) {
	case *scanv1.ScanEvent_Accepted:
		return "accepted scan " + k.Accepted.GetScanId()
	case *scanv1.ScanEvent_Queued:
		return fmt.Sprintf("queued at position %d", k.Queued.GetPosition())
	case *scanv1.ScanEvent_ModelLoaded:
		m := k.ModelLoaded
		return fmt.Sprintf("model loaded: %s, %d labels, %d neurons, %d seeds", m.GetFormat(), m.GetNumLabels(), m.GetTotalNeurons(), m.GetSeedImages())
	case *scanv1.ScanEvent_StimulationProgress:
		s := k.StimulationProgress
		return fmt.Sprintf("stimulation %s %d/%d (all %d/%d)", s.GetLayer(), s.GetNeuronsDone(), s.GetNeuronsTotal(), s.GetAllNeuronsDone(), s.GetAllNeuronsTotal())
	case *scanv1.ScanEvent_CandidatesSelected:
		return fmt.Sprintf("candidates selected: %d", len(k.CandidatesSelected.GetCandidates()))
	case *scanv1.ScanEvent_TriggerProgress:
		t := k.TriggerProgress
		return fmt.Sprintf("trigger %d %s step %d/%d loss %.4f", t.GetCandidateIndex(), t.GetTrigger(), t.GetStep(), t.GetMaxSteps(), t.GetLoss())
	case *scanv1.ScanEvent_CandidateResult:
		c := k.CandidateResult.GetCandidate()
		return fmt.Sprintf("candidate %d %s#%d -> %d reasr %.3f", k.CandidateResult.GetCandidateIndex(), c.GetLayer(), c.GetNeuron(), c.GetTargetLabel(), c.GetReasr())
	}
	return ""
}

// Run uploads the model, scans it, prints progress on stderr and the report JSON on stdout; it returns the
// exit code, or an error (an *abscan.Error for a failed call).
func Run(ctx context.Context, c *abscan.Client, o *Options, stdout, stderr io.Writer) (int, error) {
	seeds, err := abscan.LoadSeedFolder(o.Seeds)
	if err != nil {
		return abscan.ExitUsage, err
	}
	up, err := c.UploadModel(ctx, o.Model, o.Format)
	if err != nil {
		return abscan.ExitError, err
	}
	fmt.Fprintf(stderr, "uploaded %s: model %s (%d bytes, %s)\n", o.Model, up.GetModelId(), up.GetSizeBytes(), up.GetFormat())
	if o.Deadline > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, time.Duration(o.Deadline*float64(time.Second)))
		defer cancel()
	}
	stream, err := c.Scan(ctx, o.Request(up.GetModelId(), seeds))
	if err != nil {
		return abscan.ExitError, err
	}
	defer stream.Cancel()
	for {
		resp, err := stream.Recv()
		if err == io.EOF {
			fmt.Fprintln(stderr, "scan stream ended without a report")
			return abscan.ExitError, nil
		}
		if err != nil {
			return abscan.ExitError, err
		}
		e := resp.GetEvent()
		if line := ProgressLine(e); line != "" {
			fmt.Fprintln(stderr, line)
		}
		if f := e.GetFailed(); f != nil {
			fmt.Fprintf(stderr, "scan failed: %s: %s\n", f.GetReason(), f.GetMessage())
			if f.GetReason() == scanv1.FailureReason_FAILURE_REASON_MODEL_REJECTED {
				return abscan.ExitRejected, nil
			}
			return abscan.ExitError, nil
		}
		if r := e.GetReport(); r != nil {
			text, err := abscan.MarshalJSON(r)
			if err != nil {
				return abscan.ExitError, err
			}
			stdout.Write(append(text, '\n'))
			if r.GetVerdict() == scanv1.Verdict_VERDICT_TROJANED {
				return abscan.ExitTrojaned, nil
			}
			return abscan.ExitBenign, nil
		}
	}
}
