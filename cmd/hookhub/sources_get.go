package main

import (
	"context"
	"flag"
)

func sourcesGet(fs *flag.FlagSet, e *env) runner {
	api := addAPIFlags(fs, e)
	return func(ctx context.Context, args []string) error {
		c, err := api.client()
		if err != nil {
			return err
		}
		s, err := c.GetSource(ctx, args[0])
		if err != nil {
			return err
		}
		return printJSON(e.stdout, s)
	}
}
