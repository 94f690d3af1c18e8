package main

import (
	"context"
	"flag"
	"fmt"
	"os/signal"
	"strings"
	"syscall"

	"github.com/hookhub/hookhub/client"
)

func eventsTail(fs *flag.FlagSet, e *env) runner {
	api := addAPIFlags(fs, e)
	api.alias = fs.String("url", "", "older name of --server")
	source := fs.String("source", "", "only events of this source `ID`")
	asJSON := fs.Bool("json", false, "print each event as a JSON line")
	return func(ctx context.Context, _ []string) error {
		c, err := api.client()
		if err != nil {
			return err
		}
		ctx, stop := signal.NotifyContext(ctx, syscall.SIGINT, syscall.SIGTERM)
		defer stop()
		return follow(ctx, c, client.StreamOptions{SourceID: *source}, func(ev *client.Event) error {
			if *asJSON {
				_, err := fmt.Fprintf(e.stdout, "%s\n", mustJSON(ev))
				return err
			}
			_, err := fmt.Fprintln(e.stdout, tailLine(ev))
			return err
		}, watcher{notice: func(msg string) { fmt.Fprintln(e.stderr, msg) }})
	}
}

// tailLine is one event as a line: time, status, ID, verification, source
// and type, and why verification failed.
func tailLine(ev *client.Event) string {
	line := fmt.Sprintf("%s  %-9s %-30s %-8s %s %s", ev.ReceivedAt.Local().Format("15:04:05.000"), ev.Status, ev.ID,
		ev.Verification.Result, dash(ev.SourceID), ev.Type)
	if ev.Verification.Reason != "" {
		line += "  (" + ev.Verification.Reason + ")"
	}
	return strings.TrimRight(line, " ")
}
