package main

import (
	"context"
	"flag"
	"fmt"
	"slices"
	"strings"

	"github.com/hookhub/hookhub"
	"github.com/hookhub/hookhub/client"
)

const destinationsCreateDetail = `--type says where deliveries go, and which flags describe it:
  webhook      --url (the receiver), --signing
  eventbridge  --event-bus (a name, or an ARN), --region (unless the bus is an ARN),
               --access-key-id with --secret-access-key (or neither: the AWS default
               credential chain), --session-token, --endpoint, --entry-source,
               --detail-type
  nats         --url (nats://, comma-separated for several), --subject
  rabbitmq     --url (amqp:// or amqps://), --exchange, --routing-key
  redis        --url (redis:// or rediss://), --stream, --max-len
  kafka        --brokers (host:port,…), --topic, --key, --tls, --sasl-mechanism,
               --sasl-username, --sasl-password
  mqtt         --url (tcp://, ssl:// or mqtts://), --topic, --qos, --retain, --client-id
A flag of another type is refused. Subjects, routing keys, streams, topics
and keys are templates: {{ event.type }}, {{ event.id }}, {{ event.payload.… }}.
The server checks the settings and names what is missing. Credentials are
stored encrypted and shown masked; to keep them off the command line, use
"hookhub apply" with ${VAR} from the environment.`

// destinationsCreate creates a destination of any type: a webhook, or an
// event bus whose settings come from the flags of that type.
func destinationsCreate(fs *flag.FlagSet, e *env) runner {
	api := addAPIFlags(fs, e)
	name := fs.String("name", "", "the destination's `name` (required)")
	typ := fs.String("type", hookhub.DestinationWebhook, "destination `type`: "+strings.Join(hookhub.DestinationTypes, ", "))
	description := fs.String("description", "", "a `description` for people")
	types := fs.String("event-types", "", "comma-separated event `types` (globs such as incident.*) to receive; default all")
	bus := newBusFlags(fs)
	asJSON := fs.Bool("json", false, "print the created destination as JSON")
	return func(ctx context.Context, _ []string) error {
		if *name == "" {
			return usagef("destinations create: --name is required")
		}
		if !slices.Contains(hookhub.DestinationTypes, *typ) {
			return usagef("destinations create: --type %q is not one of %s", *typ, strings.Join(hookhub.DestinationTypes, ", "))
		}
		settings, err := bus.settings(fs, *typ)
		if err != nil {
			return err
		}
		webhook := *typ == hookhub.DestinationWebhook
		if webhook && settings["url"] == nil {
			return usagef("destinations create: --url is required for a webhook destination")
		}
		c, err := api.client()
		if err != nil {
			return err
		}
		in := client.DestinationInput{Name: name, Type: typ}
		if *description != "" {
			in.Description = description
		}
		if webhook {
			url := settings["url"].(string)
			in.URL = &url
			if scheme, ok := settings["signing"].(string); ok {
				in.Signing = &client.Signing{Scheme: scheme}
			}
		} else {
			setBusSettings(&in.BusSettings, *typ, settings)
		}
		if *types != "" {
			in.Filter = &client.Filter{EventTypes: strings.Split(*types, ",")}
		}
		d, err := c.CreateDestination(ctx, in)
		if err != nil {
			return err
		}
		if *asJSON {
			return printJSON(e.stdout, d)
		}
		if webhook {
			fmt.Fprintf(e.stdout, "created destination %s → %s\n", d.ID, d.URL)
		} else {
			fmt.Fprintf(e.stdout, "created destination %s (%s) → %s\n", d.ID, destinationType(*d), destinationTarget(*d))
		}
		if d.Secret != "" {
			fmt.Fprintf(e.stdout, "signing secret (%s, shown only now): %s\n", d.Signing.Scheme, d.Secret)
		}
		return nil
	}
}

// busFlag is one field of a destination type's settings, set by a flag.
type busFlag struct {
	field string   // the JSON field; "sasl.username" is username in the sasl object
	types []string // the destination types it is for
	value func() any
}

// busFlags are the flags that only some destination types take, by flag
// name: a webhook's URL and signing, and each event bus's settings.
type busFlags map[string]busFlag

func newBusFlags(fs *flag.FlagSet) busFlags {
	b := busFlags{}
	str := func(name, field, usage string, types ...string) {
		p := fs.String(name, "", usage)
		b[name] = busFlag{field, types, func() any { return *p }}
	}
	const (
		eb, nats, rabbit, redis = hookhub.DestinationEventBridge, hookhub.DestinationNATS, hookhub.DestinationRabbitMQ, hookhub.DestinationRedis
		kafka, mqtt             = hookhub.DestinationKafka, hookhub.DestinationMQTT
	)
	str("url", "url", "webhook: the receiver's `URL` (required); nats, rabbitmq, redis, mqtt: the broker's URL",
		hookhub.DestinationWebhook, nats, rabbit, redis, mqtt)
	str("signing", "signing", "webhook: signing `scheme`: standard-webhooks (default), hub-signature, timestamp-body or none",
		hookhub.DestinationWebhook)
	str("event-bus", "event_bus", "eventbridge: the event bus, by `name` or ARN", eb)
	str("region", "region", "eventbridge: the AWS `region`", eb)
	str("access-key-id", "access_key_id", "eventbridge: the AWS access key `ID`", eb)
	str("secret-access-key", "secret_access_key", "eventbridge: the AWS secret access `key`", eb)
	str("session-token", "session_token", "eventbridge: an AWS session `token` for temporary credentials", eb)
	str("endpoint", "endpoint", "eventbridge: a `URL` overriding the AWS endpoint", eb)
	str("entry-source", "source", "eventbridge: the entries' Source `template` (default the payload's source, else webhook.custom)", eb)
	str("detail-type", "detail_type", "eventbridge: the entries' DetailType `template` (default the payload's type)", eb)
	str("subject", "subject", "nats: the JetStream `subject` template", nats)
	str("exchange", "exchange", "rabbitmq: the `exchange` (default the default exchange, which routes by queue name)", rabbit)
	str("routing-key", "routing_key", "rabbitmq: the routing `key` template", rabbit)
	str("stream", "stream", "redis: the `stream` template", redis)
	maxLen := fs.Int64("max-len", 0, "redis: trim the stream to about `N` entries (0: never)")
	b["max-len"] = busFlag{"max_len", []string{redis}, func() any { return *maxLen }}
	brokers := fs.String("brokers", "", "kafka: comma-separated seed `host:port`s")
	b["brokers"] = busFlag{"brokers", []string{kafka}, func() any { return strings.Split(*brokers, ",") }}
	str("topic", "topic", "kafka, mqtt: the `topic` template", kafka, mqtt)
	str("key", "key", "kafka: the message key `template` (default no key)", kafka)
	tls := fs.Bool("tls", false, "kafka: connect with TLS")
	b["tls"] = busFlag{"tls", []string{kafka}, func() any { return *tls }}
	str("sasl-mechanism", "sasl.mechanism", "kafka: SASL `mechanism`: PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512", kafka)
	str("sasl-username", "sasl.username", "kafka: SASL `username`", kafka)
	str("sasl-password", "sasl.password", "kafka: SASL `password`", kafka)
	qos := fs.Int("qos", 0, "mqtt: the publish `QoS`, 1 or 2 (default 1)")
	b["qos"] = busFlag{"qos", []string{mqtt}, func() any { return *qos }}
	retain := fs.Bool("retain", false, "mqtt: publish retained messages")
	b["retain"] = busFlag{"retain", []string{mqtt}, func() any { return *retain }}
	str("client-id", "client_id", "mqtt: the client `ID` (default hookhub- and a random suffix)", mqtt)
	return b
}

// settings gathers the type-specific flags given on the command line into
// typ's settings object, refusing a flag that belongs to another type.
func (b busFlags) settings(fs *flag.FlagSet, typ string) (map[string]any, error) {
	out := map[string]any{}
	var err error
	fs.Visit(func(f *flag.Flag) {
		bf, ok := b[f.Name]
		if !ok || err != nil {
			return
		}
		if !slices.Contains(bf.types, typ) {
			err = usagef("destinations create: --%s is for %s destinations, not %s", f.Name, strings.Join(bf.types, " and "), typ)
			return
		}
		obj := out
		field := bf.field
		if parent, child, nested := strings.Cut(field, "."); nested {
			if _, ok := out[parent]; !ok {
				out[parent] = map[string]any{}
			}
			obj, field = out[parent].(map[string]any), child
		}
		obj[field] = bf.value()
	})
	return out, err
}

// setBusSettings puts the settings object under its type's name.
func setBusSettings(b *client.BusSettings, typ string, settings map[string]any) {
	switch typ {
	case hookhub.DestinationEventBridge:
		b.EventBridge = settings
	case hookhub.DestinationNATS:
		b.NATS = settings
	case hookhub.DestinationRabbitMQ:
		b.RabbitMQ = settings
	case hookhub.DestinationRedis:
		b.Redis = settings
	case hookhub.DestinationKafka:
		b.Kafka = settings
	case hookhub.DestinationMQTT:
		b.MQTT = settings
	}
}
