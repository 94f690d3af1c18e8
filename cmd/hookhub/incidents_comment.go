package main

import (
	"context"
	"flag"
	"fmt"
)

func incidentsComment(fs *flag.FlagSet, e *env) runner {
	api := addAPIFlags(fs, e)
	return func(ctx context.Context, args []string) error {
		c, err := api.client()
		if err != nil {
			return err
		}
		entry, err := c.CommentIncident(ctx, args[0], args[1])
		if err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "commented on %s (%s)\n", entry.IncidentID, entry.ID)
		return nil
	}
}
