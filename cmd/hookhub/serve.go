package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"os/signal"
	"syscall"

	"github.com/hookhub/hookhub/app"
	"github.com/hookhub/hookhub/config"
)

// serveCmd runs the server until SIGINT or SIGTERM. Its flags are the
// server settings, parsed by the config package.
func serveCmd(_ *flag.FlagSet, e *env) runner {
	return func(ctx context.Context, args []string) error {
		cfg, err := config.Load("serve", args, e.getenv, e.stdout)
		if err != nil {
			return err
		}
		logger := newLogger(cfg, e)
		ctx, stop := signal.NotifyContext(ctx, syscall.SIGINT, syscall.SIGTERM)
		defer stop()
		m := &app.Main{Config: cfg, Logger: logger, Stdout: e.stdout}
		if err := m.Run(ctx); err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "Hookhub is running at %s (Ctrl-C to stop); open it in a browser for the console.\n", m.URL())
		<-ctx.Done()
		logger.Info("shutting down", "timeout", cfg.ShutdownTimeout)
		sctx, cancel := context.WithTimeout(context.Background(), cfg.ShutdownTimeout)
		defer cancel()
		return m.Close(sctx)
	}
}

// migrateCmd applies the database migrations and exits.
func migrateCmd(_ *flag.FlagSet, e *env) runner {
	return func(ctx context.Context, args []string) error {
		cfg, err := config.Load("migrate", args, e.getenv, e.stdout)
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
		fmt.Fprintln(e.stderr, "migrations applied")
		return nil
	}
}

func newLogger(cfg *config.Config, e *env) *slog.Logger {
	opts := &slog.HandlerOptions{Level: cfg.LogLevel}
	if cfg.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(e.stderr, opts))
	}
	return slog.New(slog.NewTextHandler(e.stderr, opts))
}
