package main

import (
	"context"
	"flag"
	"fmt"
	"strings"

	"github.com/hookhub/hookhub/client"
)

const sourcesCreateDetail = `A source's type implies how requests are verified and where the event type
is read: generic, github, snyk, stripe, slack, shopify, zendesk,
standard-webhooks, pagerduty, whatap, alertmanager, grafana, panther.
The secret is the one the sending system signs with; it is stored
encrypted and never shown again. For more settings use "hookhub apply".`

func sourcesCreate(fs *flag.FlagSet, e *env) runner {
	api := addAPIFlags(fs, e)
	name := fs.String("name", "", "the source's `name` (required)")
	typ := fs.String("type", "generic", "source `type`")
	scheme := fs.String("scheme", "", "verification `scheme` overriding the type's (none, basic, token, hmac, or a type)")
	secret := fs.String("secret", "", "verification `secret`; for scheme basic, the password")
	username := fs.String("username", "", "`username` for scheme basic")
	header := fs.String("header", "", "signature or token `header` for schemes token and hmac")
	dests := fs.String("destinations", "", "comma-separated destination `IDs` to forward every event to")
	asJSON := fs.Bool("json", false, "print the created source as JSON")
	return func(ctx context.Context, _ []string) error {
		if *name == "" {
			return usagef("sources create: --name is required")
		}
		c, err := api.client()
		if err != nil {
			return err
		}
		in := client.SourceInput{Name: name, Type: typ}
		if *scheme != "" || *secret != "" || *username != "" || *header != "" {
			v := &client.Verification{Scheme: *scheme, Username: *username, Header: *header}
			if *secret != "" && *scheme == "basic" {
				v.Password = secret
			} else if *secret != "" {
				v.Secret = secret
			}
			in.Verification = v
		}
		if *dests != "" {
			ids := strings.Split(*dests, ",")
			in.DestinationIDs = &ids
		}
		s, err := c.CreateSource(ctx, in)
		if err != nil {
			return err
		}
		if *asJSON {
			return printJSON(e.stdout, s)
		}
		fmt.Fprintf(e.stdout, "created source %s (%s, verification %s)\nwebhook URL: %s\n", s.ID, s.Type, s.Verification.Scheme, s.URL)
		return nil
	}
}
