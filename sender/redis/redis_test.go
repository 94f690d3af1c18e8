package redis_test

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"

	goredis "github.com/redis/go-redis/v9"

	"github.com/hookhub/hookhub"
	"github.com/hookhub/hookhub/retry"
	"github.com/hookhub/hookhub/sender"
	redissender "github.com/hookhub/hookhub/sender/redis"
	"github.com/hookhub/hookhub/sender/sendertest"
)

func redisAddr(t *testing.T) string {
	t.Helper()
	a := os.Getenv("HOOKHUB_TEST_REDIS_ADDR")
	if a == "" {
		t.Skip("HOOKHUB_TEST_REDIS_ADDR is not set; set it to a Redis server (127.0.0.1:6379) to run these tests")
	}
	return a
}

func client(t *testing.T) *goredis.Client {
	t.Helper()
	c := goredis.NewClient(&goredis.Options{Addr: redisAddr(t)})
	t.Cleanup(func() { c.Close() })
	return c
}

func entries(t *testing.T, c *goredis.Client, stream string) []goredis.XMessage {
	t.Helper()
	ms, err := c.XRange(context.Background(), stream, "-", "+").Result()
	if err != nil {
		t.Fatal(err)
	}
	return ms
}

func destination(addr, name string) *hookhub.Destination {
	return &hookhub.Destination{Type: hookhub.DestinationRedis,
		Redis: &hookhub.RedisSettings{URL: "redis://" + addr + "/0", Stream: name}}
}

func TestEngine(t *testing.T) {
	c := client(t)
	sendertest.Run(t, sendertest.Broker{
		Addr:        redisAddr(t),
		Destination: destination,
		Prepare: func(t *testing.T, name string) {
			t.Cleanup(func() { c.Del(context.Background(), name) })
		},
		Received: func(t *testing.T, name string) []sendertest.Message {
			var out []sendertest.Message
			for _, m := range entries(t, c, name) {
				str := func(k string) string { s, _ := m.Values[k].(string); return s }
				out = append(out, sendertest.Message{Body: []byte(str(redissender.FieldBody)), Attrs: map[string]string{
					sender.AttrEventID: str(redissender.FieldEventID), sender.AttrEventType: str(redissender.FieldEventType),
					sender.AttrDeliveryID: str(redissender.FieldDeliveryID), sender.AttrTraceParent: str(redissender.FieldTraceParent)}})
			}
			return out
		},
	})
}

func message(d *hookhub.Destination, body string) *sender.Message {
	ev := &hookhub.Event{ID: hookhub.NewID(hookhub.PrefixEvent), Type: "ticket.created", SourceID: "src_1", Body: []byte(body)}
	return &sender.Message{Event: ev, Destination: d, Now: time.Now(), Timeout: 5 * time.Second,
		Delivery: &hookhub.Delivery{ID: hookhub.NewID(hookhub.PrefixDelivery), EventID: ev.ID}}
}

// Every field of the entry, a templated stream name, and MAXLEN ~ trimming.
func TestEntryFieldsAndMaxLen(t *testing.T) {
	t.Parallel()
	c := client(t)
	name := sendertest.Name(t)
	stream := name + ".ticket.created"
	t.Cleanup(func() { c.Del(context.Background(), stream) })
	s := redissender.New(sendertest.Env())
	defer s.(interface{ Close() error }).Close()
	d := destination(redisAddr(t), name+".{{ event.type }}")
	d.Redis.MaxLen = 10
	var last *sender.Message
	for i := range 300 {
		last = message(d, `{"i":`+string(rune('0'+i%10))+`}`)
		if res := s.Send(context.Background(), last); res.Outcome != retry.Success || !strings.HasPrefix(res.Response, "added as entry ") {
			t.Fatalf("XADD %d: %+v", i, res)
		}
	}
	ms := entries(t, c, stream)
	if len(ms) >= 300 || len(ms) < 10 {
		t.Errorf("%d entries after 300 adds with MAXLEN ~ 10: not trimmed as asked", len(ms))
	}
	got := ms[len(ms)-1].Values
	want := map[string]string{redissender.FieldEventID: last.Event.ID, redissender.FieldEventType: "ticket.created",
		redissender.FieldDeliveryID: last.Delivery.ID, redissender.FieldSourceID: "src_1",
		redissender.FieldContentType: "application/json", redissender.FieldBody: string(last.Event.Body)}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("field %s = %v, want %q", k, got[k], v)
		}
	}
	if _, err := time.Parse(time.RFC3339, got[redissender.FieldTimestamp].(string)); err != nil {
		t.Errorf("timestamp %v: %v", got[redissender.FieldTimestamp], err)
	}
}

// A key that is not a stream fails the attempt with Redis's answer, retried.
func TestWrongType(t *testing.T) {
	t.Parallel()
	c := client(t)
	name := sendertest.Name(t)
	c.Set(context.Background(), name, "not a stream", time.Minute)
	s := redissender.New(sendertest.Env())
	defer s.(interface{ Close() error }).Close()
	res := s.Send(context.Background(), message(destination(redisAddr(t), name), `{}`))
	if res.Outcome != retry.Retry || !strings.Contains(res.Reason, "WRONGTYPE") {
		t.Fatalf("XADD to a string key: %+v", res)
	}
}

// The password in the URL is never shown: not in the target, not in errors.
func TestPasswordMasked(t *testing.T) {
	t.Parallel()
	s := redissender.New(sendertest.Env())
	defer s.(interface{ Close() error }).Close()
	d := destination("127.0.0.1:1", "x")
	d.Redis.URL = "redis://:s3cret-pa55@127.0.0.1:1/0"
	res := s.Send(context.Background(), message(d, `{}`))
	if res.Outcome != retry.Retry || strings.Contains(res.Target+res.Error+res.Reason, "s3cret") || !strings.Contains(res.Target, "xxxxx") {
		t.Fatalf("unreachable redis: %+v", res)
	}
}
