package abscan

import (
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// Exit codes shared with the Java CLI.
const (
	ExitBenign   = 0
	ExitTrojaned = 10
	ExitUsage    = 2
	ExitRejected = 3
	ExitError    = 4
)

// FieldViolation is one google.rpc.BadRequest entry.
type FieldViolation struct{ Field, Description string }

// PreconditionViolation is one google.rpc.PreconditionFailure entry.
type PreconditionViolation struct{ Type, Subject, Description string }

// QuotaViolation is one google.rpc.QuotaFailure entry.
type QuotaViolation struct{ Subject, Description string }

// Error is a failed abscan call with every rich detail (google.rpc.Status from grpc-status-details-bin) decoded.
type Error struct {
	Code                   codes.Code
	Message                string
	FieldViolations        []FieldViolation
	PreconditionViolations []PreconditionViolation
	QuotaViolations        []QuotaViolation
	RetryDelay             *time.Duration
	Reason, Domain         string
	Metadata               map[string]string
	ResourceType           string
	ResourceName           string
}

func (e *Error) Error() string { return e.Describe() }

// ExitCode maps the error to the CLI's exit codes: 3 when the model or request was rejected, 4 otherwise.
func (e *Error) ExitCode() int {
	switch e.Code {
	case codes.InvalidArgument, codes.FailedPrecondition, codes.NotFound:
		return ExitRejected
	}
	return ExitError
}

// Describe renders the code, message and each detail on its own line.
func (e *Error) Describe() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %s", codeName(e.Code), e.Message)
	for _, v := range e.FieldViolations {
		fmt.Fprintf(&b, "\n  field %s: %s", v.Field, v.Description)
	}
	for _, v := range e.PreconditionViolations {
		fmt.Fprintf(&b, "\n  precondition %s %s: %s", v.Type, v.Subject, v.Description)
	}
	for _, v := range e.QuotaViolations {
		fmt.Fprintf(&b, "\n  quota %s: %s", v.Subject, v.Description)
	}
	if e.RetryDelay != nil {
		fmt.Fprintf(&b, "\n  retry after %gs", e.RetryDelay.Seconds())
	}
	if e.ResourceType != "" || e.ResourceName != "" {
		fmt.Fprintf(&b, "\n  resource %s %s", e.ResourceType, e.ResourceName)
	}
	if e.Reason != "" {
		fmt.Fprintf(&b, "\n  reason %s (%s)", e.Reason, e.Domain)
		keys := make([]string, 0, len(e.Metadata))
		for k := range e.Metadata {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for i, k := range keys {
			sep := ", "
			if i == 0 {
				sep = " "
			}
			fmt.Fprintf(&b, "%s%s=%s", sep, k, e.Metadata[k])
		}
	}
	return b.String()
}

// codeName gives the canonical upper-case name (DEADLINE_EXCEEDED), as the other clients print it.
func codeName(c codes.Code) string {
	names := map[codes.Code]string{codes.OK: "OK", codes.Canceled: "CANCELLED", codes.Unknown: "UNKNOWN",
		codes.InvalidArgument: "INVALID_ARGUMENT", codes.DeadlineExceeded: "DEADLINE_EXCEEDED",
		codes.NotFound: "NOT_FOUND", codes.AlreadyExists: "ALREADY_EXISTS", codes.PermissionDenied: "PERMISSION_DENIED",
		codes.ResourceExhausted: "RESOURCE_EXHAUSTED", codes.FailedPrecondition: "FAILED_PRECONDITION",
		codes.Aborted: "ABORTED", codes.OutOfRange: "OUT_OF_RANGE", codes.Unimplemented: "UNIMPLEMENTED",
		codes.Internal: "INTERNAL", codes.Unavailable: "UNAVAILABLE", codes.DataLoss: "DATA_LOSS",
		codes.Unauthenticated: "UNAUTHENTICATED"}
	if n, ok := names[c]; ok {
		return n
	}
	return c.String()
}

// FromError converts any error from a gRPC call into *Error (nil stays nil; an *Error is returned as is).
func FromError(err error) error {
	if err == nil {
		return nil
	}
	var already *Error
	if errors.As(err, &already) {
		return already
	}
	st, ok := status.FromError(err)
	if !ok {
		return &Error{Code: codes.Unknown, Message: err.Error()}
	}
	out := &Error{Code: st.Code(), Message: st.Message()}
	for _, d := range st.Details() {
		switch d := d.(type) {
		case *errdetails.BadRequest:
			for _, v := range d.GetFieldViolations() {
				out.FieldViolations = append(out.FieldViolations, FieldViolation{v.GetField(), v.GetDescription()})
			}
		case *errdetails.PreconditionFailure:
			for _, v := range d.GetViolations() {
				out.PreconditionViolations = append(out.PreconditionViolations,
					PreconditionViolation{v.GetType(), v.GetSubject(), v.GetDescription()})
			}
		case *errdetails.QuotaFailure:
			for _, v := range d.GetViolations() {
				out.QuotaViolations = append(out.QuotaViolations, QuotaViolation{v.GetSubject(), v.GetDescription()})
			}
		case *errdetails.RetryInfo:
			delay := d.GetRetryDelay().AsDuration()
			out.RetryDelay = &delay
		case *errdetails.ResourceInfo:
			out.ResourceType, out.ResourceName = d.GetResourceType(), d.GetResourceName()
		case *errdetails.ErrorInfo:
			out.Reason, out.Domain, out.Metadata = d.GetReason(), d.GetDomain(), d.GetMetadata()
		}
	}
	return out
}
