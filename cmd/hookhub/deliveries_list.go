package main

import (
	"context"
	"flag"
	"strconv"

	"github.com/hookhub/hookhub/client"
)

func deliveriesList(fs *flag.FlagSet, e *env) runner {
	api, l := addAPIFlags(fs, e), addListFlags(fs)
	var o client.DeliveryListOptions
	var since, until timeFlag
	fs.StringVar(&o.DestinationID, "destination", "", "only deliveries to this destination `ID`")
	fs.StringVar(&o.EventID, "event", "", "only deliveries of this event `ID`")
	fs.StringVar(&o.Status, "status", "", "only deliveries with this `status`: pending, succeeded or failed")
	fs.Var(&since, "since", "only deliveries created after this `time` (RFC 3339, or a duration ago such as 2h)")
	fs.Var(&until, "until", "only deliveries created before this `time`")
	return func(ctx context.Context, _ []string) error {
		c, err := api.client()
		if err != nil {
			return err
		}
		o.Since, o.Until = since.t, until.t
		return listOf(l, e, func(cursor string) (*client.Page[client.Delivery], error) {
			o.ListOptions = client.ListOptions{Cursor: cursor, Limit: l.limit}
			return c.ListDeliveries(ctx, o)
		}, "ID\tCREATED\tEVENT\tDESTINATION\tSTATUS\tATTEMPTS\tLAST ERROR", func(d client.Delivery) []string {
			return []string{d.ID, when(d.CreatedAt), d.EventID, d.DestinationID, deliveryStatus(d), strconv.Itoa(d.AttemptCount), dash(d.LastError)}
		})
	}
}

func deliveryStatus(d client.Delivery) string {
	if d.Held {
		return d.Status + " (held)"
	}
	return d.Status
}
