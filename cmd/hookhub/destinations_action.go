package main

import (
	"context"
	"flag"
	"fmt"

	"github.com/hookhub/hookhub/client"
)

// destinationAction runs pause, resume or enable.
func destinationAction(action string) func(*flag.FlagSet, *env) runner {
	return func(fs *flag.FlagSet, e *env) runner {
		api := addAPIFlags(fs, e)
		return func(ctx context.Context, args []string) error {
			c, err := api.client()
			if err != nil {
				return err
			}
			do := map[string]func(context.Context, string) (*client.Destination, error){
				"pause": c.PauseDestination, "resume": c.ResumeDestination, "enable": c.EnableDestination,
			}[action]
			d, err := do(ctx, args[0])
			if err != nil {
				return err
			}
			fmt.Fprintf(e.stdout, "destination %s is %s\n", d.ID, destinationState(*d))
			return nil
		}
	}
}
