package main

import (
	"context"
	"flag"
	"strconv"

	"github.com/hookhub/hookhub/client"
)

func incidentsList(fs *flag.FlagSet, e *env) runner {
	api, l := addAPIFlags(fs, e), addListFlags(fs)
	var o client.IncidentListOptions
	fs.StringVar(&o.Status, "status", "", "only incidents with this `status`: triggered, acknowledged, resolved or closed")
	fs.StringVar(&o.Severity, "severity", "", "only incidents of this `severity`: critical, high, medium, low or info")
	fs.StringVar(&o.SourceID, "source", "", "only incidents of this source `ID`")
	fs.StringVar(&o.Query, "q", "", "only incidents whose title contains this `text`")
	return func(ctx context.Context, _ []string) error {
		c, err := api.client()
		if err != nil {
			return err
		}
		return listOf(l, e, func(cursor string) (*client.Page[client.Incident], error) {
			o.ListOptions = client.ListOptions{Cursor: cursor, Limit: l.limit}
			return c.ListIncidents(ctx, o)
		}, "ID\tUPDATED\tSEVERITY\tSTATUS\tALERTS\tTITLE", func(i client.Incident) []string {
			return []string{i.ID, when(i.UpdatedAt), i.Severity, i.Status, strconv.Itoa(i.AlertCount), i.Title}
		})
	}
}
