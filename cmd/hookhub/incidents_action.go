package main

import (
	"context"
	"flag"
	"fmt"
)

// incidentAction runs ack, resolve, close or reopen.
func incidentAction(action string) func(*flag.FlagSet, *env) runner {
	return func(fs *flag.FlagSet, e *env) runner {
		api := addAPIFlags(fs, e)
		msg := fs.String("message", "", "a `note` recorded on the incident's timeline with the change")
		return func(ctx context.Context, args []string) error {
			c, err := api.client()
			if err != nil {
				return err
			}
			inc, err := c.TransitionIncident(ctx, args[0], action, *msg)
			if err != nil {
				return err
			}
			fmt.Fprintf(e.stdout, "incident %s is %s\n", inc.ID, inc.Status)
			return nil
		}
	}
}
