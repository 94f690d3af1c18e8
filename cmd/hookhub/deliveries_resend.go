package main

import (
	"context"
	"flag"
	"fmt"
)

func deliveriesResend(fs *flag.FlagSet, e *env) runner {
	api := addAPIFlags(fs, e)
	return func(ctx context.Context, args []string) error {
		c, err := api.client()
		if err != nil {
			return err
		}
		d, err := c.ResendDelivery(ctx, args[0])
		if err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "delivery %s queued again (status %s)\n", d.ID, d.Status)
		return nil
	}
}
