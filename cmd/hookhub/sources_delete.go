package main

import (
	"context"
	"flag"
	"fmt"
)

func sourcesDelete(fs *flag.FlagSet, e *env) runner {
	api := addAPIFlags(fs, e)
	return func(ctx context.Context, args []string) error {
		c, err := api.client()
		if err != nil {
			return err
		}
		if err := c.DeleteSource(ctx, args[0]); err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "deleted source %s\n", args[0])
		return nil
	}
}
