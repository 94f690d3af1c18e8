package main

import (
	"context"
	"flag"
	"fmt"
)

func destinationsDelete(fs *flag.FlagSet, e *env) runner {
	api := addAPIFlags(fs, e)
	return func(ctx context.Context, args []string) error {
		c, err := api.client()
		if err != nil {
			return err
		}
		if err := c.DeleteDestination(ctx, args[0]); err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "deleted destination %s\n", args[0])
		return nil
	}
}
