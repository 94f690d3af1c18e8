// Package kafka is the sender of Kafka destinations: a produce with acks=all
// and idempotence to a templated topic, with a templated key so that one key
// keeps its order inside a partition, and the ids and type as headers.
package kafka

import (
	"context"
	"crypto/tls"
	"errors"
	"net"
	"strconv"
	"strings"
	"time"

	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kgo"
	"github.com/twmb/franz-go/pkg/sasl"
	"github.com/twmb/franz-go/pkg/sasl/plain"
	"github.com/twmb/franz-go/pkg/sasl/scram"

	"github.com/hookhub/hookhub"
	"github.com/hookhub/hookhub/retry"
	"github.com/hookhub/hookhub/sender"
)

// Sender produces to Kafka.
type Sender struct {
	env  sender.Env
	pool *sender.Pool[*kgo.Client]
}

var (
	_ sender.Sender  = (*Sender)(nil)
	_ sender.Checker = (*Sender)(nil)
)

// New returns the Kafka sender of an engine.
func New(env sender.Env) sender.Sender {
	s := &Sender{env: env}
	s.pool = sender.NewPool(s.open, func(c *kgo.Client) { c.Close() }, func(*kgo.Client) bool { return true })
	return s
}

// Close closes every client.
func (s *Sender) Close() error { return s.pool.Close() }

// Check refuses brokers that are not host:port or that the guard refuses,
// and topic and key templates that do not compile.
func (s *Sender) Check(d *hookhub.Destination) error {
	for _, b := range d.Kafka.Brokers {
		if err := s.env.Guard.CheckHost(b); err != nil {
			return hookhub.Errorf(hookhub.ErrorCode(err), "brokers: %s", hookhub.ErrorMessage(err))
		}
	}
	if err := sender.CheckTemplate("topic", d.Kafka.Topic); err != nil {
		return err
	}
	if d.Kafka.Key == "" {
		return nil
	}
	return sender.CheckTemplate("key", d.Kafka.Key)
}

// open makes a client whose connections pass the guard. Records are acked
// by every in-sync replica and written idempotently (the client's own
// retries never duplicate). A record still in flight when its attempt's
// deadline passes is failed rather than waited for, so a broker that stops
// answering never holds a lane past the timeout; the engine's retry may then
// store it twice, which consumers see by its hookhub-delivery-id.
func (s *Sender) open(_ context.Context, d *hookhub.Destination) (*kgo.Client, error) {
	k := d.Kafka
	dial := s.env.Dial
	if k.TLS {
		dial = func(ctx context.Context, network, addr string) (net.Conn, error) {
			c, err := s.env.Dial(ctx, network, addr)
			if err != nil {
				return nil, err
			}
			host, _, _ := net.SplitHostPort(addr)
			tc := tls.Client(c, &tls.Config{ServerName: host, MinVersion: tls.VersionTLS12})
			if err := tc.HandshakeContext(ctx); err != nil {
				c.Close()
				return nil, err
			}
			return tc, nil
		}
	}
	opts := []kgo.Opt{
		kgo.SeedBrokers(k.Brokers...), kgo.ClientID("hookhub"), kgo.Dialer(dial),
		kgo.RequiredAcks(kgo.AllISRAcks()), kgo.AllowIdempotentProduceCancellation(),
		kgo.ProducerLinger(0), kgo.UnknownTopicRetries(1), kgo.RecordRetries(2), kgo.RequestRetries(2), kgo.MetadataMinAge(250 * time.Millisecond),
		kgo.RetryBackoffFn(func(int) time.Duration { return 100 * time.Millisecond }),
	}
	if m := mechanism(k.SASL); m != nil {
		opts = append(opts, kgo.SASL(m))
	}
	return kgo.NewClient(opts...)
}

func mechanism(a hookhub.KafkaSASL) sasl.Mechanism {
	switch a.Mechanism {
	case "PLAIN":
		return plain.Auth{User: a.Username, Pass: a.Password}.AsMechanism()
	case "SCRAM-SHA-256":
		return scram.Auth{User: a.Username, Pass: a.Password}.AsSha256Mechanism()
	case "SCRAM-SHA-512":
		return scram.Auth{User: a.Username, Pass: a.Password}.AsSha512Mechanism()
	}
	return nil
}

// Send produces one record and waits until every in-sync replica has it.
func (s *Sender) Send(ctx context.Context, m *sender.Message) sender.Result {
	d := m.Destination
	target := "kafka " + strings.Join(d.Kafka.Brokers, ",")
	topic, err := m.Render(ctx, "topic", d.Kafka.Topic)
	if err != nil {
		return m.Failed(retry.Fail, target, nil, err)
	}
	target += " topic " + topic
	rec := &kgo.Record{Topic: topic, Value: m.Event.Body}
	attrs := m.Attrs()
	ct := sender.ContentType(m.Event)
	for _, a := range attrs {
		rec.Headers = append(rec.Headers, kgo.RecordHeader{Key: a.Name, Value: []byte(a.Value)})
	}
	rec.Headers = append(rec.Headers, kgo.RecordHeader{Key: "content-type", Value: []byte(ct)})
	recorded := sender.Recorded(attrs, ct)
	if d.Kafka.Key != "" {
		key, err := m.Render(ctx, "key", d.Kafka.Key)
		if err != nil {
			return m.Failed(retry.Fail, target, recorded, err)
		}
		rec.Key = []byte(key)
		recorded["Key"] = []string{key}
	}
	c, err := s.pool.Get(ctx, d)
	if err != nil {
		return m.Failed(retry.Retry, target, recorded, err)
	}
	if err := c.ProduceSync(ctx, rec).FirstErr(); err != nil {
		// A fresh client for the next attempt: it forgets brokers, leaders
		// and producer state that may be what failed.
		s.pool.Drop(d, c)
		return m.Failed(outcome(err), target, recorded, describe(err))
	}
	return sender.Succeeded(target, recorded, "written to partition "+strconv.Itoa(int(rec.Partition))+
		" at offset "+strconv.FormatInt(rec.Offset, 10))
}

// outcome reads a produce error: a record too large for the topic never
// succeeds; the rest (an unknown topic, a leader moving, no broker
// answering) may, later.
func outcome(err error) retry.Outcome {
	if errors.Is(err, kerr.MessageTooLarge) || errors.Is(err, kerr.RecordListTooLarge) {
		return retry.Fail
	}
	return retry.Retry
}

func describe(err error) error {
	var ke *kerr.Error
	if errors.As(err, &ke) {
		return errors.New("kafka answered " + ke.Message + ": " + ke.Description)
	}
	return errors.New("producing to Kafka: " + sender.Describe(err, 0))
}
