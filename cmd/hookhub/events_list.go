package main

import (
	"context"
	"flag"

	"github.com/hookhub/hookhub/client"
)

func eventsList(fs *flag.FlagSet, e *env) runner {
	api, l := addAPIFlags(fs, e), addListFlags(fs)
	var o client.EventListOptions
	var since, until timeFlag
	fs.StringVar(&o.SourceID, "source", "", "only events of this source `ID`")
	fs.StringVar(&o.Type, "type", "", "only events of this `type`")
	fs.StringVar(&o.Status, "status", "", "only events with this `status`: accepted, rejected or duplicate")
	fs.Var(&since, "since", "only events received after this `time` (RFC 3339, or a duration ago such as 2h)")
	fs.Var(&until, "until", "only events received before this `time`")
	return func(ctx context.Context, _ []string) error {
		c, err := api.client()
		if err != nil {
			return err
		}
		o.Since, o.Until = since.t, until.t
		return listOf(l, e, func(cursor string) (*client.Page[client.Event], error) {
			o.ListOptions = client.ListOptions{Cursor: cursor, Limit: l.limit}
			return c.ListEvents(ctx, o)
		}, "ID\tRECEIVED\tSOURCE\tTYPE\tSTATUS\tVERIFICATION", func(ev client.Event) []string {
			return []string{ev.ID, when(ev.ReceivedAt), dash(ev.SourceID), dash(ev.Type), ev.Status, eventVerification(ev)}
		})
	}
}

func eventVerification(ev client.Event) string {
	if ev.Verification.Reason != "" && ev.Verification.Result == "failed" {
		return "failed: " + ev.Verification.Reason
	}
	return dash(ev.Verification.Result)
}
