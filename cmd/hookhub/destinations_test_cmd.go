package main

import (
	"context"
	"flag"
	"fmt"

	"github.com/hookhub/hookhub/client"
)

// destinationsTest sends a test alert; a failed attempt exits 1.
func destinationsTest(fs *flag.FlagSet, e *env) runner {
	api := addAPIFlags(fs, e)
	asJSON := fs.Bool("json", false, "print the result as JSON")
	return func(ctx context.Context, args []string) error {
		c, err := api.client()
		if err != nil {
			return err
		}
		r, err := c.TestDestination(ctx, args[0])
		if err != nil {
			return err
		}
		if *asJSON {
			if err := printJSON(e.stdout, r); err != nil {
				return err
			}
		} else {
			fmt.Fprintf(e.stdout, "test alert to %s: %s (%d ms, delivery %s)\n", args[0], attemptOutcome(r.Attempt), r.Attempt.DurationMS, r.DeliveryID)
		}
		if !r.Success {
			return &exitError{code: 1, msg: "the destination did not accept the test alert"}
		}
		return nil
	}
}

// attemptOutcome says in a few words how an attempt ended: a webhook's HTTP
// status, or where a broker took the message and how it confirmed it.
func attemptOutcome(a client.Attempt) string {
	switch {
	case a.Error != "":
		return "error: " + a.Error
	case a.StatusCode != 0 || a.URL != "":
		return fmt.Sprintf("HTTP %d", a.StatusCode)
	case a.ResponseBody != "":
		return fmt.Sprintf("published to %s, %s", a.Target, a.ResponseBody)
	}
	return "published to " + a.Target
}
