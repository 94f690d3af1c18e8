// Package redis is the sender of Redis Streams destinations: one XADD per
// delivery, successful once Redis answers with the new entry's ID.
package redis

import (
	"context"
	"crypto/tls"
	"errors"
	"net"
	"strconv"
	"sync"
	"time"

	goredis "github.com/redis/go-redis/v9"

	"github.com/hookhub/hookhub"
	"github.com/hookhub/hookhub/retry"
	"github.com/hookhub/hookhub/sender"
)

// The fields of every stream entry besides the body.
const (
	FieldEventID     = "event_id"
	FieldEventType   = "event_type"
	FieldDeliveryID  = "delivery_id"
	FieldSourceID    = "source_id"
	FieldTimestamp   = "timestamp"
	FieldContentType = "content_type"
	FieldBody        = "body"
	// FieldTraceParent and FieldTraceState carry the attempt's W3C trace
	// context when tracing is on.
	FieldTraceParent = sender.AttrTraceParent
	FieldTraceState  = sender.AttrTraceState
)

// Sender adds entries to Redis streams.
type Sender struct {
	env  sender.Env
	pool *sender.Pool[*goredis.Client]
}

var (
	_ sender.Sender  = (*Sender)(nil)
	_ sender.Checker = (*Sender)(nil)
)

// quiet drops the client library's own log lines: every failure it would log
// is the attempt's error already, in the attempt log.
type quiet struct{}

func (quiet) Printf(context.Context, string, ...any) {}

var quietOnce sync.Once

// New returns the Redis sender of an engine.
func New(env sender.Env) sender.Sender {
	quietOnce.Do(func() { goredis.SetLogger(quiet{}) })
	s := &Sender{env: env}
	s.pool = sender.NewPool(s.open, func(c *goredis.Client) { c.Close() }, func(*goredis.Client) bool { return true })
	return s
}

// Close closes every client.
func (s *Sender) Close() error { return s.pool.Close() }

// Check refuses a URL that is not a Redis URL, a host the guard refuses and
// a stream template that does not compile.
func (s *Sender) Check(d *hookhub.Destination) error {
	if _, err := goredis.ParseURL(d.Redis.URL); err != nil {
		return hookhub.Errorf(hookhub.EINVALID, "url must be redis://[user:password@]host[:port][/db] or rediss://…")
	}
	host, err := sender.BrokerHost(d.Redis.URL, "6379", "redis", "rediss")
	if err != nil {
		return err
	}
	if err := s.env.Guard.CheckHost(host); err != nil {
		return err
	}
	return sender.CheckTemplate("stream", d.Redis.Stream)
}

// open makes a client whose connections pass the guard. It does not retry
// on its own (the engine's schedule does) and keeps to each attempt's
// deadline.
func (s *Sender) open(_ context.Context, d *hookhub.Destination) (*goredis.Client, error) {
	opt, err := goredis.ParseURL(d.Redis.URL)
	if err != nil {
		return nil, hookhub.Errorf(hookhub.EINVALID, "url does not parse")
	}
	tlsConfig := opt.TLSConfig
	opt.Dialer = func(ctx context.Context, network, addr string) (net.Conn, error) {
		c, err := s.env.Dial(ctx, network, addr)
		if err != nil || tlsConfig == nil {
			return c, err
		}
		tc := tls.Client(c, tlsConfig)
		if err := tc.HandshakeContext(ctx); err != nil {
			c.Close()
			return nil, err
		}
		return tc, nil
	}
	opt.MaxRetries, opt.DialerRetries, opt.DialTimeout = -1, 1, 10*time.Second
	opt.ContextTimeoutEnabled, opt.DisableIdentity = true, true
	opt.ClientName = "hookhub"
	return goredis.NewClient(opt), nil
}

// Send adds one entry and waits for its ID.
func (s *Sender) Send(ctx context.Context, m *sender.Message) sender.Result {
	d := m.Destination
	target := hookhub.RedactURLs(d.Redis.URL)
	stream, err := m.Render(ctx, "stream", d.Redis.Stream)
	if err != nil {
		return m.Failed(retry.Fail, target, nil, err)
	}
	target += " stream " + stream
	ct := sender.ContentType(m.Event)
	values := []any{FieldEventID, m.Event.ID, FieldEventType, m.Event.Type, FieldDeliveryID, m.Delivery.ID}
	if m.Event.SourceID != "" {
		values = append(values, FieldSourceID, m.Event.SourceID)
	}
	values = append(values, FieldTimestamp, m.Now.UTC().Format(time.RFC3339), FieldContentType, ct)
	if m.TraceParent != "" {
		values = append(values, FieldTraceParent, m.TraceParent)
	}
	if m.TraceState != "" {
		values = append(values, FieldTraceState, m.TraceState)
	}
	recorded := map[string][]string{}
	for i := 0; i < len(values); i += 2 {
		recorded[values[i].(string)] = []string{values[i+1].(string)}
	}
	values = append(values, FieldBody, m.Event.Body)
	if d.Redis.MaxLen > 0 {
		recorded["MAXLEN"] = []string{"~ " + strconv.FormatInt(d.Redis.MaxLen, 10)}
	}
	c, err := s.pool.Get(ctx, d)
	if err != nil {
		return m.Failed(retry.Retry, target, recorded, err)
	}
	id, err := c.XAdd(ctx, &goredis.XAddArgs{Stream: stream, MaxLen: d.Redis.MaxLen, Approx: d.Redis.MaxLen > 0, Values: values}).Result()
	if err != nil {
		return m.Failed(retry.Retry, target, recorded, describe(err))
	}
	return sender.Succeeded(target, recorded, "added as entry "+id)
}

// describe says a Redis error for the attempt log: Redis's own replies as
// they are, connection errors with what was being done.
func describe(err error) error {
	var re goredis.Error
	if errors.As(err, &re) {
		return errors.New("redis answered: " + re.Error())
	}
	return errors.New("talking to Redis: " + err.Error())
}
