package main

import (
	"context"
	"flag"
	"fmt"

	"github.com/hookhub/hookhub"
)

func versionCmd(_ *flag.FlagSet, e *env) runner {
	return func(context.Context, []string) error {
		fmt.Fprintln(e.stdout, "hookhub", hookhub.Version)
		return nil
	}
}
