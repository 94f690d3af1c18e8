// Command hookhub is the Hookhub server and its command-line tools.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"syscall"

	"github.com/hookhub/hookhub"
	"github.com/hookhub/hookhub/app"
	"github.com/hookhub/hookhub/config"
)

const usage = `Usage: hookhub <command> [flags]

Commands:
  serve     run the server (ingest, API, deliveries)
  migrate   apply database migrations and exit
  events tail  print events live as they arrive (--url, --api-key)
  version   print the version

Run "hookhub <command> --help" for a command's flags.
`

func main() {
	if err := run(context.Background(), os.Args[1:], os.Getenv, os.Stdout, os.Stderr); err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "hookhub:", err)
		}
		os.Exit(2)
	}
}

func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return flag.ErrHelp
	}
	switch cmd, rest := args[0], args[1:]; cmd {
	case "serve":
		return serve(ctx, rest, getenv, stdout, stderr)
	case "migrate":
		return migrate(ctx, rest, getenv, stderr)
	case "events":
		if len(rest) == 0 || rest[0] != "tail" {
			return fmt.Errorf("usage: hookhub events tail [--url URL] [--api-key KEY] [--source ID] [--json]")
		}
		return eventsTail(ctx, rest[1:], getenv, stdout, stderr)
	case "version":
		fmt.Fprintln(stdout, "hookhub", hookhub.Version)
		return nil
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	default:
		fmt.Fprint(stderr, usage)
		return fmt.Errorf("unknown command %q", cmd)
	}
}

func serve(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	cfg, err := config.Load("serve", args, getenv, stdout)
	if err != nil {
		return err
	}
	logger := newLogger(cfg, stderr)
	ctx, stop := signal.NotifyContext(ctx, syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	m := &app.Main{Config: cfg, Logger: logger, Stdout: stdout}
	if err := m.Run(ctx); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Hookhub is running at %s (Ctrl-C to stop)\n", m.URL())
	<-ctx.Done()
	logger.Info("shutting down", "timeout", cfg.ShutdownTimeout)
	sctx, cancel := context.WithTimeout(context.Background(), cfg.ShutdownTimeout)
	defer cancel()
	return m.Close(sctx)
}

func migrate(ctx context.Context, args []string, getenv func(string) string, stderr io.Writer) error {
	cfg, err := config.Load("migrate", args, getenv, stderr)
	if err != nil {
		return err
	}
	store, err := app.OpenStore(ctx, cfg)
	if err != nil {
		return err
	}
	defer store.Close()
	if err := store.Ready(ctx); err != nil {
		return fmt.Errorf("migrations: %w", err)
	}
	fmt.Fprintln(stderr, "migrations applied")
	return nil
}

func newLogger(cfg *config.Config, w io.Writer) *slog.Logger {
	opts := &slog.HandlerOptions{Level: cfg.LogLevel}
	if cfg.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}
