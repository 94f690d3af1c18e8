package main

import (
	"context"
	"flag"
)

func eventsGet(fs *flag.FlagSet, e *env) runner {
	api := addAPIFlags(fs, e)
	body := fs.Bool("body", false, "print only the body, byte for byte as it was received")
	return func(ctx context.Context, args []string) error {
		c, err := api.client()
		if err != nil {
			return err
		}
		ev, err := c.GetEvent(ctx, args[0])
		if err != nil {
			return err
		}
		if !*body {
			return printJSON(e.stdout, ev)
		}
		raw, err := ev.RawBody()
		if err != nil {
			return err
		}
		_, err = e.stdout.Write(raw)
		return err
	}
}
