package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
)

func eventsPublish(fs *flag.FlagSet, e *env) runner {
	api := addAPIFlags(fs, e)
	typ := fs.String("type", "", "the event `type`, such as order.created (required)")
	key := fs.String("idempotency-key", "", "a `key` that makes a repeated publish return the first event")
	return func(ctx context.Context, _ []string) error {
		if *typ == "" {
			return usagef("events publish: --type is required")
		}
		c, err := api.client()
		if err != nil {
			return err
		}
		raw, err := io.ReadAll(io.LimitReader(e.stdin, 1<<20+1))
		if err != nil {
			return fmt.Errorf("read standard input: %w", err)
		}
		var payload map[string]any
		if err := json.Unmarshal(raw, &payload); err != nil {
			return usagef("events publish: standard input must be a JSON object: %v", err)
		}
		ev, err := c.PublishEvent(ctx, *typ, json.RawMessage(raw), *key)
		if err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "published %s (%s)\n", ev.ID, ev.Type)
		return nil
	}
}
