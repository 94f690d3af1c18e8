package mqtt_test

import (
	"context"
	"net"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/eclipse/paho.golang/paho"

	"github.com/hookhub/hookhub"
	"github.com/hookhub/hookhub/retry"
	"github.com/hookhub/hookhub/sender"
	mqttsender "github.com/hookhub/hookhub/sender/mqtt"
	"github.com/hookhub/hookhub/sender/sendertest"
)

func mqttAddr(t *testing.T) string {
	t.Helper()
	a := os.Getenv("HOOKHUB_TEST_MQTT_ADDR")
	if a == "" {
		t.Skip("HOOKHUB_TEST_MQTT_ADDR is not set; set it to an MQTT 5 broker (127.0.0.1:1883) to run these tests")
	}
	return a
}

// subscriber collects what arrives on the topics it subscribed to.
type subscriber struct {
	mu  sync.Mutex
	got map[string][]*paho.Publish // by the first topic level
}

func subscribe(t *testing.T, prefixes ...string) *subscriber {
	t.Helper()
	s := &subscriber{got: map[string][]*paho.Publish{}}
	conn, err := net.Dial("tcp", mqttAddr(t))
	if err != nil {
		t.Fatal(err)
	}
	c := paho.NewClient(paho.ClientConfig{Conn: conn, OnPublishReceived: []func(paho.PublishReceived) (bool, error){
		func(pr paho.PublishReceived) (bool, error) {
			s.mu.Lock()
			first, _, _ := strings.Cut(pr.Packet.Topic, "/")
			s.got[first] = append(s.got[first], pr.Packet)
			s.mu.Unlock()
			return true, nil
		}}})
	ctx := context.Background()
	if _, err := c.Connect(ctx, &paho.Connect{ClientID: sendertest.Name(t), CleanStart: true, KeepAlive: 30}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Disconnect(&paho.Disconnect{}) })
	for _, p := range prefixes {
		if _, err := c.Subscribe(ctx, &paho.Subscribe{Subscriptions: []paho.SubscribeOptions{{Topic: p + "/#", QoS: 2}}}); err != nil {
			t.Fatal(err)
		}
	}
	return s
}

func (s *subscriber) messages(prefix string) []*paho.Publish {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]*paho.Publish(nil), s.got[prefix]...)
}

func destination(addr, name string) *hookhub.Destination {
	return &hookhub.Destination{Type: hookhub.DestinationMQTT,
		MQTT: &hookhub.MQTTSettings{URL: "tcp://" + addr, Topic: name + "/{{ event.type }}", QoS: 1}}
}

func TestEngine(t *testing.T) {
	var mu sync.Mutex
	subs := map[string]*subscriber{}
	sendertest.Run(t, sendertest.Broker{
		Addr:        mqttAddr(t),
		Destination: destination,
		Prepare: func(t *testing.T, name string) {
			s := subscribe(t, name)
			mu.Lock()
			subs[name] = s
			mu.Unlock()
		},
		Received: func(t *testing.T, name string) []sendertest.Message {
			mu.Lock()
			s := subs[name]
			mu.Unlock()
			var out []sendertest.Message
			for _, p := range s.messages(name) {
				attrs := map[string]string{}
				for _, u := range p.Properties.User {
					attrs[u.Key] = u.Value
				}
				out = append(out, sendertest.Message{Body: p.Payload, Attrs: attrs})
			}
			return out
		},
	})
}

func message(d *hookhub.Destination) *sender.Message {
	ev := &hookhub.Event{ID: hookhub.NewID(hookhub.PrefixEvent), Type: "sensor.reading", SourceID: "src_1", Body: []byte(`{"t":21.5}`)}
	return &sender.Message{Event: ev, Destination: d, Now: time.Now(), Timeout: 5 * time.Second,
		Delivery: &hookhub.Delivery{ID: hookhub.NewID(hookhub.PrefixDelivery), EventID: ev.ID}}
}

// QoS 2 waits for PUBCOMP; every property arrives.
func TestQoS2AndProperties(t *testing.T) {
	t.Parallel()
	name := sendertest.Name(t)
	sub := subscribe(t, name)
	s := mqttsender.New(sendertest.Env())
	defer s.(interface{ Close() error }).Close()
	d := destination(mqttAddr(t), name)
	d.MQTT.QoS = 2
	m := message(d)
	res := s.Send(context.Background(), m)
	if res.Outcome != retry.Success || !strings.HasPrefix(res.Response, "PUBCOMP") || !strings.HasSuffix(res.Target, "topic "+name+"/sensor.reading") {
		t.Fatalf("QoS 2 publish: %+v", res)
	}
	var got []*paho.Publish
	sendertest.Eventually(t, "the message", func() bool { got = sub.messages(name); return len(got) == 1 })
	p := got[0]
	if p.Topic != name+"/sensor.reading" || string(p.Payload) != `{"t":21.5}` || p.Properties.ContentType != "application/json" {
		t.Errorf("received %+v", p)
	}
	want := map[string]string{sender.AttrEventID: m.Event.ID, sender.AttrEventType: "sensor.reading",
		sender.AttrDeliveryID: m.Delivery.ID, sender.AttrSourceID: "src_1"}
	for k, v := range want {
		if p.Properties.User.Get(k) != v {
			t.Errorf("user property %s = %q, want %q", k, p.Properties.User.Get(k), v)
		}
	}
}

// A broker that does not answer fails the attempt with the reason.
func TestUnreachable(t *testing.T) {
	t.Parallel()
	p := sendertest.NewProxy(t, mqttAddr(t))
	p.Down()
	s := mqttsender.New(sendertest.Env())
	defer s.(interface{ Close() error }).Close()
	d := destination(p.Addr(), "x")
	d.MQTT.URL = "tcp://hub:s3cret@" + p.Addr()
	res := s.Send(context.Background(), message(d))
	if res.Outcome != retry.Retry || !strings.Contains(res.Reason, "connecting to the MQTT broker") ||
		strings.Contains(res.Target+res.Reason, "s3cret") {
		t.Fatalf("publish to a broker that is down: %+v", res)
	}
}
