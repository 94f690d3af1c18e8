package main

import (
	"context"
	"flag"
	"fmt"
	"strings"
)

func eventsReplay(fs *flag.FlagSet, e *env) runner {
	api := addAPIFlags(fs, e)
	return func(ctx context.Context, args []string) error {
		c, err := api.client()
		if err != nil {
			return err
		}
		r, err := c.ReplayEvent(ctx, args[0])
		if err != nil {
			return err
		}
		if len(r.DeliveryIDs) == 0 {
			fmt.Fprintf(e.stdout, "replayed %s: no destination takes it now\n", r.EventID)
			return nil
		}
		noun := "deliveries"
		if len(r.DeliveryIDs) == 1 {
			noun = "delivery"
		}
		fmt.Fprintf(e.stdout, "replayed %s: %d %s (%s)\n", r.EventID, len(r.DeliveryIDs), noun, strings.Join(r.DeliveryIDs, ", "))
		return nil
	}
}
