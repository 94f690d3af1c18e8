package main

import (
	"context"
	"flag"
	"strconv"

	"github.com/hookhub/hookhub/client"
)

func sourcesList(fs *flag.FlagSet, e *env) runner {
	api, l := addAPIFlags(fs, e), addListFlags(fs)
	return func(ctx context.Context, _ []string) error {
		c, err := api.client()
		if err != nil {
			return err
		}
		return listOf(l, e, func(cursor string) (*client.Page[client.Source], error) {
			return c.ListSources(ctx, client.ListOptions{Cursor: cursor, Limit: l.limit})
		}, "ID\tNAME\tTYPE\tACTIVE\tVERIFICATION\tURL", func(s client.Source) []string {
			return []string{s.ID, s.Name, s.Type, strconv.FormatBool(s.Active), s.Verification.Scheme, s.URL}
		})
	}
}
