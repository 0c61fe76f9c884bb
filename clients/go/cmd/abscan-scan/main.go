// Command abscan-scan uploads a model, scans it with local seed images and prints the report as JSON.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"

	"github.com/abscan/abscan/clients/go/abscan"
	"github.com/abscan/abscan/clients/go/internal/scancli"
)

func main() { os.Exit(run()) }

func run() int {
	var o scancli.Options
	fs := flag.NewFlagSet("scan", flag.ContinueOnError)
	o.Register(fs)
	if err := fs.Parse(os.Args[1:]); err != nil {
		return abscan.ExitUsage
	}
	if err := o.Validate(); err != nil {
		fmt.Fprintln(os.Stderr, "usage error:", err)
		fs.Usage()
		return abscan.ExitUsage
	}
	var opts []abscan.Option
	if o.Token != "" {
		opts = append(opts, abscan.WithToken(o.Token))
	}
	c, err := abscan.Dial(o.Server, opts...)
	if err != nil {
		fmt.Fprintln(os.Stderr, "error:", err)
		return abscan.ExitUsage
	}
	defer c.Close()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	code, err := scancli.Run(ctx, c, &o, os.Stdout, os.Stderr)
	var ae *abscan.Error
	if errors.As(err, &ae) {
		fmt.Fprintln(os.Stderr, "error:", ae.Describe())
		return ae.ExitCode()
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "error:", err)
	}
	return code
}
