package main

import (
	"context"
	"flag"

	"github.com/hookhub/hookhub/client"
)

func destinationsList(fs *flag.FlagSet, e *env) runner {
	api, l := addAPIFlags(fs, e), addListFlags(fs)
	return func(ctx context.Context, _ []string) error {
		c, err := api.client()
		if err != nil {
			return err
		}
		return listOf(l, e, func(cursor string) (*client.Page[client.Destination], error) {
			return c.ListDestinations(ctx, client.ListOptions{Cursor: cursor, Limit: l.limit})
		}, "ID\tNAME\tTYPE\tSTATE\tSIGNING\tTARGET", func(d client.Destination) []string {
			return []string{d.ID, d.Name, destinationType(d), destinationState(d), d.Signing.Scheme, destinationTarget(d)}
		})
	}
}

func destinationType(d client.Destination) string {
	if d.Type == "" {
		return "webhook"
	}
	return d.Type
}

func destinationState(d client.Destination) string {
	switch {
	case !d.Enabled:
		return "disabled"
	case d.Paused:
		return "paused"
	}
	return "enabled"
}

// destinationTarget is where a destination sends: its URL, or the bus
// settings' most telling field.
func destinationTarget(d client.Destination) string {
	if d.URL != "" {
		return d.URL
	}
	for _, m := range []map[string]any{d.EventBridge, d.NATS, d.RabbitMQ, d.Redis, d.Kafka, d.MQTT} {
		for _, k := range []string{"event_bus", "subject", "exchange", "routing_key", "stream", "topic"} {
			if v, ok := m[k].(string); ok && v != "" {
				return v
			}
		}
	}
	return "-"
}
