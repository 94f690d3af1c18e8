package main

import (
	"context"
	"flag"
)

func incidentsGet(fs *flag.FlagSet, e *env) runner {
	api := addAPIFlags(fs, e)
	return func(ctx context.Context, args []string) error {
		c, err := api.client()
		if err != nil {
			return err
		}
		inc, err := c.GetIncident(ctx, args[0])
		if err != nil {
			return err
		}
		return printJSON(e.stdout, inc)
	}
}
