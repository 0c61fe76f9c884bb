// Package abscan is a thin Go client for the abscan gRPC API: the generated stubs under gen/ plus chunked
// uploads, cancellable streams, default deadlines, bearer-token auth and typed rich errors.
package abscan

import (
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/grpc/metadata"

	modelv1 "github.com/abscan/abscan/clients/go/gen/abscan/model/v1"
	pluginv1 "github.com/abscan/abscan/clients/go/gen/abscan/plugin/v1"
	scanv1 "github.com/abscan/abscan/clients/go/gen/abscan/scan/v1"
)

// ChunkSize is the size of each UploadModel chunk after the metadata message.
const ChunkSize = 1 << 20

// TokenEnv names the environment variable read when no token option is given.
const TokenEnv = "ABSCAN_TOKEN"

// Client holds one connection to an abscan daemon.
type Client struct {
	conn     *grpc.ClientConn
	token    string
	deadline time.Duration
	Models   modelv1.ModelServiceClient
	Scans    scanv1.ScanServiceClient
	Plugins  pluginv1.PluginServiceClient
	health   grpc_health_v1.HealthClient
}

// Option configures Dial.
type Option func(*settings)

type settings struct {
	token    *string
	deadline time.Duration
	dialOpts []grpc.DialOption
}

// WithToken sends `authorization: Bearer <token>` on every call (default: $ABSCAN_TOKEN).
func WithToken(token string) Option { return func(s *settings) { s.token = &token } }

// WithDeadline bounds every call whose context has no deadline of its own.
func WithDeadline(d time.Duration) Option { return func(s *settings) { s.deadline = d } }

// WithDialOptions adds grpc.DialOptions (e.g. a bufconn dialer in tests, or TLS credentials).
func WithDialOptions(opts ...grpc.DialOption) Option {
	return func(s *settings) { s.dialOpts = append(s.dialOpts, opts...) }
}

// Dial connects (lazily) to target, e.g. "127.0.0.1:50051". Without WithDialOptions it uses plaintext.
func Dial(target string, opts ...Option) (*Client, error) {
	s := settings{}
	for _, o := range opts {
		o(&s)
	}
	dialOpts := []grpc.DialOption{grpc.WithTransportCredentials(insecure.NewCredentials()),
		grpc.WithDefaultCallOptions(grpc.MaxCallRecvMsgSize(64 << 20))}
	conn, err := grpc.NewClient(target, append(dialOpts, s.dialOpts...)...)
	if err != nil {
		return nil, err
	}
	token := os.Getenv(TokenEnv)
	if s.token != nil {
		token = *s.token
	}
	return &Client{conn: conn, token: token, deadline: s.deadline,
		Models: modelv1.NewModelServiceClient(conn), Scans: scanv1.NewScanServiceClient(conn),
		Plugins: pluginv1.NewPluginServiceClient(conn), health: grpc_health_v1.NewHealthClient(conn)}, nil
}

// Close releases the connection.
func (c *Client) Close() error { return c.conn.Close() }

// CallContext derives the context for a call on the raw stubs (c.Models, c.Scans, c.Plugins): it carries the
// token and, when ctx has none, the default deadline. Pass their errors through FromError.
func (c *Client) CallContext(ctx context.Context) (context.Context, context.CancelFunc) {
	return c.callContext(ctx)
}

// callContext adds the token and, when the caller set none, the default deadline.
func (c *Client) callContext(ctx context.Context) (context.Context, context.CancelFunc) {
	if c.token != "" {
		ctx = metadata.AppendToOutgoingContext(ctx, "authorization", "Bearer "+c.token)
	}
	if _, has := ctx.Deadline(); !has && c.deadline > 0 {
		return context.WithTimeout(ctx, c.deadline)
	}
	return context.WithCancel(ctx)
}

// Health returns the daemon's serving status name ("SERVING", ...).
func (c *Client) Health(ctx context.Context) (string, error) {
	ctx, cancel := c.callContext(ctx)
	defer cancel()
	resp, err := c.health.Check(ctx, &grpc_health_v1.HealthCheckRequest{})
	if err != nil {
		return "", FromError(err)
	}
	return resp.GetStatus().String(), nil
}

// ListPlugins lists the daemon's model loaders and trigger appliers.
func (c *Client) ListPlugins(ctx context.Context) ([]*pluginv1.PluginInfo, error) {
	ctx, cancel := c.callContext(ctx)
	defer cancel()
	resp, err := c.Plugins.ListPlugins(ctx, &pluginv1.ListPluginsRequest{})
	if err != nil {
		return nil, FromError(err)
	}
	return resp.GetPlugins(), nil
}

// UploadModel streams a model file: metadata (name, format, declared size) first, then ChunkSize chunks.
func (c *Client) UploadModel(ctx context.Context, path, format string) (*modelv1.UploadModelResponse, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return nil, err
	}
	return c.Upload(ctx, &modelv1.UploadModelMetadata{Filename: filepath.Base(path), Format: format,
		SizeBytes: info.Size()}, f)
}

// Upload sends meta and then everything read from r.
func (c *Client) Upload(ctx context.Context, meta *modelv1.UploadModelMetadata, r io.Reader) (*modelv1.UploadModelResponse, error) {
	ctx, cancel := c.callContext(ctx)
	defer cancel()
	stream, err := c.Models.UploadModel(ctx)
	if err != nil {
		return nil, FromError(err)
	}
	send := func(req *modelv1.UploadModelRequest) error {
		if err := stream.Send(req); err != nil {
			// The server ended the call (e.g. over its cap): its status comes from CloseAndRecv.
			if errors.Is(err, io.EOF) {
				_, err = stream.CloseAndRecv()
			}
			return FromError(err)
		}
		return nil
	}
	if err := send(&modelv1.UploadModelRequest{Part: &modelv1.UploadModelRequest_Metadata{Metadata: meta}}); err != nil {
		return nil, err
	}
	buf := make([]byte, ChunkSize)
	for {
		n, rerr := io.ReadFull(r, buf)
		if n > 0 {
			chunk := append([]byte(nil), buf[:n]...)
			if err := send(&modelv1.UploadModelRequest{Part: &modelv1.UploadModelRequest_Chunk{Chunk: chunk}}); err != nil {
				return nil, err
			}
		}
		if rerr == io.EOF || rerr == io.ErrUnexpectedEOF {
			break
		}
		if rerr != nil {
			return nil, rerr
		}
	}
	resp, err := stream.CloseAndRecv()
	return resp, FromError(err)
}

// Stream is a server stream whose Recv returns *Error (or io.EOF at the end) and which Cancel stops.
type Stream[T any] struct {
	recv   func() (*T, error)
	cancel context.CancelFunc
}

// Recv returns the next message, io.EOF once the stream ended normally, or an *Error.
func (s *Stream[T]) Recv() (*T, error) {
	m, err := s.recv()
	if err == io.EOF {
		s.cancel()
		return nil, io.EOF
	}
	if err != nil {
		s.cancel()
		return nil, FromError(err)
	}
	return m, nil
}

// Cancel cancels the call; the server sees CANCELLED and stops the work.
func (s *Stream[T]) Cancel() { s.cancel() }

func openStream[T any](c *Client, ctx context.Context, open func(context.Context) (grpc.ServerStreamingClient[T], error)) (*Stream[T], error) {
	ctx, cancel := c.callContext(ctx)
	st, err := open(ctx)
	if err != nil {
		cancel()
		return nil, FromError(err)
	}
	return &Stream[T]{recv: st.Recv, cancel: cancel}, nil
}

// Scan starts a scan and streams its events; cancelling the stream cancels the scan.
func (c *Client) Scan(ctx context.Context, req *scanv1.ScanRequest) (*Stream[scanv1.ScanResponse], error) {
	return openStream(c, ctx, func(ctx context.Context) (grpc.ServerStreamingClient[scanv1.ScanResponse], error) {
		return c.Scans.Scan(ctx, req)
	})
}

// StreamNSF streams neuron stimulation functions as they are computed.
func (c *Client) StreamNSF(ctx context.Context, req *scanv1.StreamNSFRequest) (*Stream[scanv1.StreamNSFResponse], error) {
	return openStream(c, ctx, func(ctx context.Context) (grpc.ServerStreamingClient[scanv1.StreamNSFResponse], error) {
		return c.Scans.StreamNSF(ctx, req)
	})
}

// GenerateTrigger streams one trigger's optimisation and its result.
func (c *Client) GenerateTrigger(ctx context.Context, req *scanv1.GenerateTriggerRequest) (*Stream[scanv1.GenerateTriggerResponse], error) {
	return openStream(c, ctx, func(ctx context.Context) (grpc.ServerStreamingClient[scanv1.GenerateTriggerResponse], error) {
		return c.Scans.GenerateTrigger(ctx, req)
	})
}
