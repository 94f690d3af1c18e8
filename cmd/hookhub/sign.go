package main

import (
	"context"
	"flag"
	"fmt"
	"net/http"
	"sort"
)

func signCmd(fs *flag.FlagSet, e *env) runner {
	s := addSchemeFlags(fs)
	ts := fs.String("timestamp", "", "sign as of this `time`: unix seconds or RFC 3339 (default now)")
	id := fs.String("id", "", "message `id` for schemes that sign one (standard-webhooks, hmac with --id-header)")
	return func(ctx context.Context, _ []string) error {
		if err := s.check(); err != nil {
			return err
		}
		at, err := timeValue("timestamp", *ts)
		if err != nil {
			return err
		}
		body, err := readBody(e)
		if err != nil {
			return err
		}
		h := http.Header{}
		if err := s.sign(h, body, at, *id); err != nil {
			return err
		}
		printHeaders(e, h)
		return nil
	}
}

// printHeaders prints headers as "Name: value" lines, sorted.
func printHeaders(e *env, h http.Header) {
	names := make([]string, 0, len(h))
	for k := range h {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		for _, v := range h[k] {
			fmt.Fprintf(e.stdout, "%s: %s\n", k, v)
		}
	}
}
