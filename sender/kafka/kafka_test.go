package kafka_test

import (
	"context"
	"net"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kfake"
	"github.com/twmb/franz-go/pkg/kgo"
	"github.com/twmb/franz-go/pkg/kmsg"

	"github.com/hookhub/hookhub"
	"github.com/hookhub/hookhub/retry"
	"github.com/hookhub/hookhub/sender"
	kafkasender "github.com/hookhub/hookhub/sender/kafka"
	"github.com/hookhub/hookhub/sender/sendertest"
)

// cluster starts an in-process Kafka cluster, on port when it is not 0.
func cluster(t *testing.T, port int) *kfake.Cluster {
	t.Helper()
	opts := []kfake.Opt{kfake.NumBrokers(1)}
	if port != 0 {
		opts = append(opts, kfake.Ports(port))
	}
	c, err := kfake.NewCluster(opts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	return c
}

func createTopic(t *testing.T, addr, topic string, partitions int32) {
	t.Helper()
	cl, err := kgo.NewClient(kgo.SeedBrokers(addr))
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	req := kmsg.NewPtrCreateTopicsRequest()
	rt := kmsg.NewCreateTopicsRequestTopic()
	rt.Topic, rt.NumPartitions, rt.ReplicationFactor = topic, partitions, 1
	req.Topics = append(req.Topics, rt)
	resp, err := req.RequestWith(context.Background(), cl)
	if err != nil || resp.Topics[0].ErrorCode != 0 {
		t.Fatalf("create topic %s: %v %+v", topic, err, resp)
	}
}

// consumer reads topics from the start and keeps what it read.
type consumer struct {
	mu   sync.Mutex
	addr string
	got  map[string][]*kgo.Record
}

func (c *consumer) read(t *testing.T, topic string) []*kgo.Record {
	c.mu.Lock()
	defer c.mu.Unlock()
	cl, err := kgo.NewClient(kgo.SeedBrokers(c.addr), kgo.ConsumeTopics(topic), kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()))
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	var out []*kgo.Record
	for ctx.Err() == nil {
		f := cl.PollFetches(ctx)
		f.EachRecord(func(r *kgo.Record) { out = append(out, r) })
	}
	if len(out) >= len(c.got[topic]) {
		c.got[topic] = out
	}
	return c.got[topic]
}

func attrs(r *kgo.Record) map[string]string {
	m := map[string]string{}
	for _, h := range r.Headers {
		m[h.Key] = string(h.Value)
	}
	return m
}

func destination(addr, name string) *hookhub.Destination {
	return &hookhub.Destination{Type: hookhub.DestinationKafka,
		Kafka: &hookhub.KafkaSettings{Brokers: []string{addr}, Topic: name, Key: "{{ event.payload.order.id }}"}}
}

func freePort(t *testing.T) int {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

func TestEngine(t *testing.T) {
	c := cluster(t, 0)
	addr := c.ListenAddrs()[0]
	cons := &consumer{addr: addr, got: map[string][]*kgo.Record{}}
	var outage sync.Map // name → the outage cluster's address
	sendertest.Run(t, sendertest.Broker{
		Addr:        addr,
		Destination: destination,
		Prepare:     func(t *testing.T, name string) { createTopic(t, addr, name, 1) },
		Received: func(t *testing.T, name string) []sendertest.Message {
			cc := cons
			if a, ok := outage.Load(name); ok {
				cc = &consumer{addr: a.(string), got: map[string][]*kgo.Record{}}
			}
			var out []sendertest.Message
			for _, r := range cc.read(t, name) {
				out = append(out, sendertest.Message{Body: r.Value, Attrs: attrs(r)})
			}
			return out
		},
		// The client connects to the addresses the cluster advertises, so
		// the outage is the cluster itself going away and coming back on
		// the same port.
		Outage: func(t *testing.T, name string) (string, func(), func()) {
			port := freePort(t)
			oc := cluster(t, port)
			a := "127.0.0.1:" + strconv.Itoa(port)
			outage.Store(name, a)
			createTopic(t, a, name, 1)
			return a, oc.Close, func() {
				nc := cluster(t, port)
				createTopic(t, nc.ListenAddrs()[0], name, 1)
			}
		},
	})
}

func message(d *hookhub.Destination, order string) *sender.Message {
	ev := &hookhub.Event{ID: hookhub.NewID(hookhub.PrefixEvent), Type: "order.paid", SourceID: "src_1",
		Body: []byte(`{"order":{"id":"` + order + `"}}`)}
	return &sender.Message{Event: ev, Destination: d, Now: time.Now(), Timeout: 5 * time.Second,
		Delivery: &hookhub.Delivery{ID: hookhub.NewID(hookhub.PrefixDelivery), EventID: ev.ID}}
}

// The key template puts every record of one order on one partition, in
// order; headers carry the ids and type.
func TestKeyKeepsOrder(t *testing.T) {
	t.Parallel()
	c := cluster(t, 0)
	addr := c.ListenAddrs()[0]
	topic := sendertest.Name(t)
	createTopic(t, addr, topic, 8)
	s := kafkasender.New(sendertest.Env())
	defer s.(interface{ Close() error }).Close()
	d := destination(addr, topic)
	var sent []*sender.Message
	for i := range 30 {
		m := message(d, "o-"+strconv.Itoa(i%3))
		res := s.Send(context.Background(), m)
		if res.Outcome != retry.Success || !strings.Contains(res.Response, "partition") {
			t.Fatalf("produce %d: %+v", i, res)
		}
		sent = append(sent, m)
	}
	got := (&consumer{addr: addr, got: map[string][]*kgo.Record{}}).read(t, topic)
	if len(got) != 30 {
		t.Fatalf("%d records, want 30", len(got))
	}
	partitionOf := map[string]int32{}
	byKey := map[string][]string{}
	for _, r := range got {
		k := string(r.Key)
		if p, ok := partitionOf[k]; ok && p != r.Partition {
			t.Errorf("key %s on partitions %d and %d", k, p, r.Partition)
		}
		partitionOf[k] = r.Partition
		byKey[k] = append(byKey[k], attrs(r)[sender.AttrDeliveryID])
		a := attrs(r)
		if a[sender.AttrEventType] != "order.paid" || a[sender.AttrSourceID] != "src_1" || a["content-type"] != "application/json" ||
			!strings.HasPrefix(a[sender.AttrEventID], "evt_") {
			t.Errorf("headers %v", a)
		}
	}
	for i, m := range sent {
		k := "o-" + strconv.Itoa(i%3)
		if byKey[k][i/3] != m.Delivery.ID {
			t.Fatalf("records of key %s out of order", k)
		}
	}
}

// A topic that does not exist fails the attempt quickly, with the reason.
func TestUnknownTopic(t *testing.T) {
	t.Parallel()
	c := cluster(t, 0)
	s := kafkasender.New(sendertest.Env())
	defer s.(interface{ Close() error }).Close()
	// A long attempt timeout, so that failing fast and waiting it out are
	// far apart whatever the machine's load.
	m := message(destination(c.ListenAddrs()[0], sendertest.Name(t)), "o-1")
	m.Timeout = 2 * time.Minute
	start := time.Now()
	res := s.Send(context.Background(), m)
	if res.Outcome != retry.Retry || !strings.Contains(res.Reason, "UNKNOWN_TOPIC") {
		t.Fatalf("produce to a missing topic: %+v", res)
	}
	if took := time.Since(start); took > time.Minute {
		t.Errorf("took %v: it waited for the attempt's timeout rather than failing fast", took)
	}
}
