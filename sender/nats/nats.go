// Package nats is the sender of NATS JetStream destinations: a publish to a
// templated subject, successful once the stream that holds the subject
// acknowledges it. Nats-Msg-Id is the delivery ID, so JetStream drops the
// duplicate when a publish is retried after its ack was lost.
package nats

import (
	"context"
	"errors"
	"net"
	"strconv"
	"strings"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/hookhub/hookhub"
	"github.com/hookhub/hookhub/netguard"
	"github.com/hookhub/hookhub/retry"
	"github.com/hookhub/hookhub/sender"
)

// Sender publishes to NATS JetStream.
type Sender struct {
	env  sender.Env
	pool *sender.Pool[*conn]
}

var (
	_ sender.Sender  = (*Sender)(nil)
	_ sender.Checker = (*Sender)(nil)
)

// conn is one destination's connection.
type conn struct {
	nc *nats.Conn
	js jetstream.JetStream
}

// New returns the NATS sender of an engine.
func New(env sender.Env) sender.Sender {
	s := &Sender{env: env}
	s.pool = sender.NewPool(s.open, func(c *conn) { c.nc.Close() }, func(c *conn) bool { return !c.nc.IsClosed() })
	return s
}

// Close closes every connection.
func (s *Sender) Close() error { return s.pool.Close() }

// Check refuses URLs that are not NATS URLs, hosts the guard refuses, and a
// subject template that does not compile.
func (s *Sender) Check(d *hookhub.Destination) error {
	for _, u := range strings.Split(d.NATS.URL, ",") {
		host, err := sender.BrokerHost(strings.TrimSpace(u), "4222", "nats", "tls", "ws", "wss")
		if err != nil {
			return err
		}
		if err := s.env.Guard.CheckHost(host); err != nil {
			return err
		}
	}
	return sender.CheckTemplate("subject", d.NATS.Subject)
}

// dialer opens connections through the guard for the nats client, which
// takes no context: each dial is bounded by the connect timeout.
type dialer struct {
	g       *netguard.Guard
	timeout time.Duration
}

func (d dialer) Dial(network, address string) (net.Conn, error) {
	nd := d.g.Dialer()
	nd.Timeout = d.timeout
	return nd.Dial(network, address)
}

func (s *Sender) open(ctx context.Context, d *hookhub.Destination) (*conn, error) {
	timeout := 10 * time.Second
	if dl, ok := ctx.Deadline(); ok {
		timeout = min(timeout, time.Until(dl))
	}
	// No reconnecting inside the client: a broken connection fails its
	// attempts at once, with the reason, and the pool opens a new one for
	// the next; publishes never wait in a reconnect buffer.
	nc, err := nats.Connect(d.NATS.URL, nats.Name("hookhub"), nats.NoReconnect(), nats.Timeout(timeout),
		nats.SetCustomDialer(dialer{g: s.env.Guard, timeout: timeout}), nats.ReconnectBufSize(-1))
	if err != nil {
		return nil, err
	}
	js, err := jetstream.New(nc)
	if err != nil {
		nc.Close()
		return nil, err
	}
	return &conn{nc: nc, js: js}, nil
}

// Send publishes one delivery and waits for the stream's ack.
func (s *Sender) Send(ctx context.Context, m *sender.Message) sender.Result {
	d := m.Destination
	target := hookhub.RedactURLs(d.NATS.URL)
	subject, err := m.Render(ctx, "subject", d.NATS.Subject)
	if err != nil {
		return m.Failed(retry.Fail, target, nil, err)
	}
	target += " subject " + subject
	msg := nats.NewMsg(subject)
	msg.Data = m.Event.Body
	attrs := m.Attrs()
	for _, a := range attrs {
		msg.Header.Set(a.Name, a.Value)
	}
	ct := sender.ContentType(m.Event)
	msg.Header.Set("Content-Type", ct)
	recorded := sender.Recorded(attrs, ct)
	recorded[jetstream.MsgIDHeader] = []string{m.Delivery.ID}

	c, err := s.pool.Get(ctx, d)
	if err != nil {
		return m.Failed(retry.Retry, target, recorded, connectError(err))
	}
	ack, err := c.js.PublishMsg(ctx, msg, jetstream.WithMsgID(m.Delivery.ID), jetstream.WithRetryAttempts(0))
	if err != nil {
		if c.nc.IsClosed() || errors.Is(err, nats.ErrConnectionClosed) {
			s.pool.Drop(d, c)
		}
		return m.Failed(outcome(err), target, recorded, publishError(err, subject))
	}
	return sender.Succeeded(target, recorded, ackText(ack))
}

// outcome reads a publish error: a message larger than the server takes
// never succeeds; anything else may, once the broker or its streams change.
func outcome(err error) retry.Outcome {
	if errors.Is(err, nats.ErrMaxPayload) {
		return retry.Fail
	}
	return retry.Retry
}

func connectError(err error) error {
	return errors.New("connecting to NATS: " + sender.Describe(err, 0))
}

func publishError(err error, subject string) error {
	if errors.Is(err, jetstream.ErrNoStreamResponse) {
		return errors.New("no JetStream stream takes subject " + subject + ": create a stream whose subjects include it")
	}
	return errors.New("publishing to JetStream: " + err.Error())
}

// ackText is the stream's acknowledgement as the attempt log shows it.
func ackText(ack *jetstream.PubAck) string {
	s := "stored in stream " + ack.Stream + " at sequence " + strconv.FormatUint(ack.Sequence, 10)
	if ack.Duplicate {
		s += " (a duplicate of a message already stored; JetStream kept the first)"
	}
	return s
}
