package main

import (
	"context"
	"flag"
	"fmt"
	"strings"

	"github.com/hookhub/hookhub/client"
)

func destinationsCreate(fs *flag.FlagSet, e *env) runner {
	api := addAPIFlags(fs, e)
	name := fs.String("name", "", "the destination's `name` (required)")
	url := fs.String("url", "", "the receiver's `URL` (required)")
	signing := fs.String("signing", "", "signing `scheme`: standard-webhooks (default), hub-signature, timestamp-body or none")
	types := fs.String("event-types", "", "comma-separated event `types` (globs such as incident.*) to receive; default all")
	asJSON := fs.Bool("json", false, "print the created destination as JSON")
	return func(ctx context.Context, _ []string) error {
		if *name == "" || *url == "" {
			return usagef("destinations create: --name and --url are required")
		}
		c, err := api.client()
		if err != nil {
			return err
		}
		in := client.DestinationInput{Name: name, URL: url}
		if *signing != "" {
			in.Signing = &client.Signing{Scheme: *signing}
		}
		if *types != "" {
			in.Filter = &client.Filter{EventTypes: strings.Split(*types, ",")}
		}
		d, err := c.CreateDestination(ctx, in)
		if err != nil {
			return err
		}
		if *asJSON {
			return printJSON(e.stdout, d)
		}
		fmt.Fprintf(e.stdout, "created destination %s → %s\n", d.ID, d.URL)
		if d.Secret != "" {
			fmt.Fprintf(e.stdout, "signing secret (%s, shown only now): %s\n", d.Signing.Scheme, d.Secret)
		}
		return nil
	}
}
