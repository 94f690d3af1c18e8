package main

import (
	"context"
	"flag"
	"fmt"
	"net/http"
	"time"

	"github.com/hookhub/hookhub"
	"github.com/hookhub/hookhub/verify"
)

func verifyCmd(fs *flag.FlagSet, e *env) runner {
	s := addSchemeFlags(fs)
	var headers headerList
	fs.Var(&headers, "header", "a request header as 'Name: value'; repeat for each")
	at := fs.String("at", "", "check timestamps as of this `time`: unix seconds or RFC 3339 (default now)")
	tolerance := fs.Int("tolerance", 0, "how many `seconds` a signed timestamp may be off (default 300)")
	return func(ctx context.Context, _ []string) error {
		if err := s.check(); err != nil {
			return err
		}
		now, err := timeValue("at", *at)
		if err != nil {
			return err
		}
		body, err := readBody(e)
		if err != nil {
			return err
		}
		cfg := s.verification()
		cfg.ToleranceSec = *tolerance
		v, err := verify.New(cfg, func() time.Time { return now })
		if err != nil {
			return usagef("%s", hookhub.ErrorMessage(err))
		}
		r, _ := http.NewRequestWithContext(ctx, "POST", "/", nil)
		if headers.h != nil {
			r.Header = headers.h
		}
		if err := v.Verify(r, body); err != nil {
			return &exitError{code: 1, msg: "not verified: " + hookhub.ErrorMessage(err)}
		}
		fmt.Fprintf(e.stdout, "verified: the %s signature matches\n", s.scheme)
		return nil
	}
}
