// Package rabbitmq is the sender of RabbitMQ destinations: a persistent,
// mandatory publish to an exchange with a templated routing key, successful
// only once the broker confirms it (publisher confirms). A message the
// broker returns as unroutable, or does not confirm, is a failed attempt.
package rabbitmq

import (
	"context"
	"errors"
	"net"
	"sync"
	"time"

	amqp "github.com/rabbitmq/amqp091-go"

	"github.com/hookhub/hookhub"
	"github.com/hookhub/hookhub/retry"
	"github.com/hookhub/hookhub/sender"
)

// Sender publishes to RabbitMQ.
type Sender struct {
	env  sender.Env
	pool *sender.Pool[*conn]
}

var (
	_ sender.Sender  = (*Sender)(nil)
	_ sender.Checker = (*Sender)(nil)
)

// New returns the RabbitMQ sender of an engine.
func New(env sender.Env) sender.Sender {
	s := &Sender{env: env}
	s.pool = sender.NewPool(s.open, func(c *conn) { c.conn.Close() }, func(c *conn) bool { return !c.conn.IsClosed() })
	return s
}

// Close closes every connection.
func (s *Sender) Close() error { return s.pool.Close() }

// Check refuses a URL that is not an AMQP URL, a host the guard refuses and
// a routing key template that does not compile.
func (s *Sender) Check(d *hookhub.Destination) error {
	if _, err := amqp.ParseURI(d.RabbitMQ.URL); err != nil {
		return hookhub.Errorf(hookhub.EINVALID, "url must be amqp://user:password@host[:port]/[vhost] or amqps://…")
	}
	host, err := sender.BrokerHost(d.RabbitMQ.URL, "5672", "amqp", "amqps")
	if err != nil {
		return err
	}
	if err := s.env.Guard.CheckHost(host); err != nil {
		return err
	}
	return sender.CheckTemplate("routing_key", d.RabbitMQ.RoutingKey)
}

// conn is one destination's connection and its idle channels, each in
// confirm mode. A channel serves one publish at a time, so a return or a
// confirmation that arrives on it belongs to that publish.
type conn struct {
	conn *amqp.Connection
	mu   sync.Mutex
	idle []*channel
}

type channel struct {
	ch      *amqp.Channel
	returns chan amqp.Return
	closes  chan *amqp.Error // the broker's reason when it closes the channel
}

func (s *Sender) open(ctx context.Context, d *hookhub.Destination) (*conn, error) {
	timeout := 10 * time.Second
	if dl, ok := ctx.Deadline(); ok {
		timeout = min(timeout, time.Until(dl))
	}
	c, err := amqp.DialConfig(d.RabbitMQ.URL, amqp.Config{
		Properties: amqp.Table{"connection_name": "hookhub"},
		Dial: func(network, addr string) (net.Conn, error) {
			nc, err := s.env.Dial(ctx, network, addr)
			if err != nil {
				return nil, err
			}
			// Bounds the handshake; the client clears it once open.
			nc.SetDeadline(time.Now().Add(timeout))
			return nc, nil
		},
	})
	if err != nil {
		return nil, err
	}
	return &conn{conn: c}, nil
}

// take returns an idle channel, or opens one in confirm mode.
func (c *conn) take() (*channel, error) {
	c.mu.Lock()
	if n := len(c.idle); n > 0 {
		ch := c.idle[n-1]
		c.idle = c.idle[:n-1]
		c.mu.Unlock()
		return ch, nil
	}
	c.mu.Unlock()
	ch, err := c.conn.Channel()
	if err != nil {
		return nil, err
	}
	if err := ch.Confirm(false); err != nil {
		ch.Close()
		return nil, err
	}
	return &channel{ch: ch, returns: ch.NotifyReturn(make(chan amqp.Return, 1)),
		closes: ch.NotifyClose(make(chan *amqp.Error, 1))}, nil
}

// give puts a channel back for the next publish, unless it broke.
func (c *conn) give(ch *channel) {
	if ch.ch.IsClosed() {
		return
	}
	c.mu.Lock()
	c.idle = append(c.idle, ch)
	c.mu.Unlock()
}

// Send publishes one delivery and waits for the broker's confirmation.
func (s *Sender) Send(ctx context.Context, m *sender.Message) sender.Result {
	d := m.Destination
	exchange := d.RabbitMQ.Exchange
	target := hookhub.RedactURLs(d.RabbitMQ.URL) + " exchange " + quoted(exchange)
	key, err := m.Render(ctx, "routing_key", d.RabbitMQ.RoutingKey)
	if err != nil {
		return m.Failed(retry.Fail, target, nil, err)
	}
	target += " routing key " + key
	pub, recorded := publishing(m)
	c, err := s.pool.Get(ctx, d)
	if err != nil {
		return m.Failed(retry.Retry, target, recorded, errors.New("connecting to RabbitMQ: "+sender.Describe(err, 0)))
	}
	ch, err := c.take()
	if err != nil {
		s.pool.Drop(d, c)
		return m.Failed(retry.Retry, target, recorded, errors.New("opening a channel: "+err.Error()))
	}
	res := s.publish(ctx, m, ch, exchange, key, pub)
	res.Target, res.Headers = target, recorded
	if res.Outcome == retry.Success || ctx.Err() == nil {
		c.give(ch) // a channel left waiting for a confirmation is not reused
	} else {
		ch.ch.Close()
	}
	if c.conn.IsClosed() {
		s.pool.Drop(d, c)
	}
	return res
}

func (s *Sender) publish(ctx context.Context, m *sender.Message, ch *channel, exchange, key string, pub amqp.Publishing) sender.Result {
	dc, err := ch.ch.PublishWithDeferredConfirmWithContext(ctx, exchange, key, true, false, pub)
	if err != nil {
		return m.Failed(retry.Retry, "", nil, errors.New("publishing: "+sender.Describe(err, m.Timeout)))
	}
	acked, err := dc.WaitContext(ctx)
	if err != nil {
		return m.Failed(retry.Retry, "", nil, errors.New("waiting for the broker to confirm: "+sender.Describe(err, m.Timeout)))
	}
	select {
	case r, ok := <-ch.returns:
		if ok {
			return m.Failed(retry.Retry, "", nil, errors.New("the broker returned the message as unroutable ("+r.ReplyText+
				"): no queue is bound to exchange "+quoted(exchange)+" for routing key "+key))
		}
	default:
	}
	if !acked {
		return m.Failed(retry.Retry, "", nil, errors.New(refusal(ch)))
	}
	return sender.Result{Outcome: retry.Success, Response: "confirmed by the broker"}
}

// refusal says why a publish was not confirmed: the broker's reason when it
// closed the channel (a missing exchange, a permission), or a plain nack.
func refusal(ch *channel) string {
	select {
	case e, ok := <-ch.closes:
		if ok && e != nil {
			return "the broker closed the channel: " + e.Error()
		}
	case <-time.After(200 * time.Millisecond):
	}
	if ch.ch.IsClosed() {
		return "the broker closed the channel"
	}
	return "the broker refused the message (nack)"
}

// publishing is the message: persistent, with the delivery ID as message_id,
// the event type as type, and the ids and type as headers too.
func publishing(m *sender.Message) (amqp.Publishing, map[string][]string) {
	attrs := m.Attrs()
	headers := amqp.Table{}
	for _, a := range attrs {
		headers[a.Name] = a.Value
	}
	ct := sender.ContentType(m.Event)
	recorded := sender.Recorded(attrs, ct)
	recorded["Message-Id"] = []string{m.Delivery.ID}
	recorded["Delivery-Mode"] = []string{"persistent"}
	return amqp.Publishing{
		Headers: headers, ContentType: ct, DeliveryMode: amqp.Persistent, MessageId: m.Delivery.ID,
		Type: m.Event.Type, Timestamp: m.Now.UTC(), AppId: "hookhub", Body: m.Event.Body,
	}, recorded
}

func quoted(s string) string {
	if s == "" {
		return `"" (the default exchange)`
	}
	return `"` + s + `"`
}
