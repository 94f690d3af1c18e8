package delivery

import (
	"context"
	"io"

	"github.com/hookhub/hookhub"
	"github.com/hookhub/hookhub/retry"
	"github.com/hookhub/hookhub/sender"
	"github.com/hookhub/hookhub/sender/eventbridge"
	"github.com/hookhub/hookhub/sender/kafka"
	"github.com/hookhub/hookhub/sender/mqtt"
	"github.com/hookhub/hookhub/sender/nats"
	"github.com/hookhub/hookhub/sender/rabbitmq"
	"github.com/hookhub/hookhub/sender/redis"
	"github.com/hookhub/hookhub/sender/webhook"
)

// builders is the sender registry, by destination type. It is filled once
// here and never changed; Options.Senders replaces entries in tests.
var builders = map[string]sender.Builder{
	hookhub.DestinationWebhook:     webhook.New,
	hookhub.DestinationNATS:        nats.New,
	hookhub.DestinationRedis:       redis.New,
	hookhub.DestinationRabbitMQ:    rabbitmq.New,
	hookhub.DestinationKafka:       kafka.New,
	hookhub.DestinationMQTT:        mqtt.New,
	hookhub.DestinationEventBridge: eventbridge.New,
}

// newSenders builds one sender per destination type for an engine.
func newSenders(env sender.Env, extra map[string]sender.Builder) map[string]sender.Sender {
	out := make(map[string]sender.Sender, len(builders)+len(extra))
	for typ, b := range builders {
		out[typ] = b(env)
	}
	for typ, b := range extra {
		out[typ] = b(env)
	}
	return out
}

// senderOf returns the sender for a destination's type; a type this engine
// does not know gets one that fails its deliveries with the reason.
func (e *Engine) senderOf(d *hookhub.Destination) sender.Sender {
	if s, ok := e.senders[typeOf(d)]; ok {
		return s
	}
	return unknownType{}
}

func typeOf(d *hookhub.Destination) string {
	if d.Type == "" {
		return hookhub.DestinationWebhook
	}
	return d.Type
}

// unknownType fails deliveries to a destination type the engine lacks (a
// newer version's type, on an older process).
type unknownType struct{}

func (unknownType) Send(_ context.Context, m *sender.Message) sender.Result {
	why := "not sent: destination type " + m.Destination.Type + " is not supported by this server"
	return sender.Result{Outcome: retry.Retry, Reason: why, Error: why}
}

// CheckDestination checks the settings of a destination of any type before
// it is saved: what its sender can check (an address the guard refuses, a
// template that does not compile). An unknown type is refused.
func (e *Engine) CheckDestination(d *hookhub.Destination) error {
	s, ok := e.senders[typeOf(d)]
	if !ok {
		return hookhub.Errorf(hookhub.EINVALID, "type %q is not a destination type", d.Type)
	}
	if d.Transform != "" {
		if _, ok := s.(sender.Transforming); !ok {
			return hookhub.Errorf(hookhub.EINVALID, "transform: %s destinations do not support transformations", typeOf(d))
		}
	}
	if c, ok := s.(sender.Checker); ok {
		return c.Check(d)
	}
	return nil
}

// closeSenders releases what senders hold (broker connections).
func (e *Engine) closeSenders() {
	for typ, s := range e.senders {
		if c, ok := s.(io.Closer); ok {
			if err := c.Close(); err != nil {
				e.log.Warn("closing sender", "type", typ, "err", err)
			}
		}
	}
}
