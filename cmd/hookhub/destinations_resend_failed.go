package main

import (
	"context"
	"flag"
	"fmt"
)

func destinationsResendFailed(fs *flag.FlagSet, e *env) runner {
	api := addAPIFlags(fs, e)
	var since, until timeFlag
	fs.Var(&since, "since", "only deliveries created after this `time` (RFC 3339, or a duration ago such as 2h)")
	fs.Var(&until, "until", "only deliveries created before this `time`")
	return func(ctx context.Context, args []string) error {
		c, err := api.client()
		if err != nil {
			return err
		}
		n, err := c.ResendFailed(ctx, args[0], since.t, until.t)
		if err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "queued %d failed deliveries of %s again\n", n, args[0])
		return nil
	}
}
