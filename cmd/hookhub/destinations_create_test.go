package main

import (
	"context"
	"encoding/json"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	amqp "github.com/rabbitmq/amqp091-go"
	"github.com/redis/go-redis/v9"
	"github.com/twmb/franz-go/pkg/kfake"
	"github.com/twmb/franz-go/pkg/kgo"
	"github.com/twmb/franz-go/pkg/sasl/plain"

	"github.com/hookhub/hookhub"
	"github.com/hookhub/hookhub/client"
	"github.com/hookhub/hookhub/sender/eventbridge/ebtest"
)

// busCase is one event-bus destination type as the CLI creates it: the
// flags, the settings the API must then show, and a broker to check that
// a test alert arrives.
type busCase struct {
	typ string
	// broker readies a broker for name, or skips when its service is not
	// configured; it returns the flags and a count of what arrived.
	broker func(t *testing.T, name string) (args []string, arrived func() int)
	// want are settings fields the API must show (secrets masked).
	want func(name string) map[string]any
	// secret must appear nowhere in what the CLI prints.
	secret string
}

func busCases() []busCase {
	return []busCase{
		{typ: "eventbridge", secret: ebtest.SecretAccessKey,
			broker: func(t *testing.T, name string) ([]string, func() int) {
				bus := ebtest.New(t)
				return []string{"--event-bus", name, "--region", ebtest.Region, "--access-key-id", ebtest.AccessKeyID,
						"--secret-access-key", ebtest.SecretAccessKey, "--endpoint", bus.URL,
						"--entry-source", "cli.{{ event.type }}", "--detail-type", "Test"}, func() int {
						n := 0
						for _, e := range bus.Entries() {
							if e.EventBusName == name && e.Source == "cli.hookhub.test" && e.DetailType == "Test" {
								n++
							}
						}
						return n
					}
			},
			want: func(name string) map[string]any {
				return map[string]any{"event_bus": name, "region": ebtest.Region, "access_key_id": ebtest.AccessKeyID,
					"secret_access_key": "<masked>", "source": "cli.{{ event.type }}", "detail_type": "Test"}
			}},
		{typ: "nats",
			broker: func(t *testing.T, name string) ([]string, func() int) {
				u := serviceEnv(t, "HOOKHUB_TEST_NATS_URL")
				nc, err := nats.Connect(u)
				must(t, err)
				t.Cleanup(nc.Close)
				js, err := jetstream.New(nc)
				must(t, err)
				ctx := context.Background()
				st, err := js.CreateStream(ctx, jetstream.StreamConfig{Name: name, Subjects: []string{name + ".>"}, Storage: jetstream.MemoryStorage})
				must(t, err)
				t.Cleanup(func() { js.DeleteStream(context.Background(), name) })
				return []string{"--url", u, "--subject", name + ".{{ event.type }}"}, func() int {
					info, err := st.Info(ctx)
					must(t, err)
					return int(info.State.Msgs)
				}
			},
			want: func(name string) map[string]any {
				return map[string]any{"subject": name + ".{{ event.type }}"}
			}},
		{typ: "rabbitmq", secret: ":guest@",
			broker: func(t *testing.T, name string) ([]string, func() int) {
				u := serviceEnv(t, "HOOKHUB_TEST_RABBITMQ_URL")
				conn, err := amqp.Dial(u)
				must(t, err)
				t.Cleanup(func() { conn.Close() })
				ch, err := conn.Channel()
				must(t, err)
				_, err = ch.QueueDeclare(name, false, false, false, false, nil)
				must(t, err)
				t.Cleanup(func() { ch.QueueDelete(name, false, false, false) })
				// The default exchange routes by queue name.
				return []string{"--url", u, "--routing-key", name}, func() int {
					q, err := ch.QueueDeclarePassive(name, false, false, false, false, nil)
					must(t, err)
					return q.Messages
				}
			},
			want: func(name string) map[string]any {
				return map[string]any{"exchange": "", "routing_key": name}
			}},
		{typ: "redis",
			broker: func(t *testing.T, name string) ([]string, func() int) {
				addr := serviceEnv(t, "HOOKHUB_TEST_REDIS_ADDR")
				c := redis.NewClient(&redis.Options{Addr: addr})
				t.Cleanup(func() { c.Del(context.Background(), name); c.Close() })
				return []string{"--url", "redis://" + addr + "/0", "--stream", name, "--max-len", "50"}, func() int {
					n, err := c.XLen(context.Background(), name).Result()
					must(t, err)
					return int(n)
				}
			},
			want: func(name string) map[string]any {
				return map[string]any{"stream": name, "max_len": 50.0}
			}},
		{typ: "kafka", secret: "kafka-pw",
			broker: func(t *testing.T, name string) ([]string, func() int) {
				c, err := kfake.NewCluster(kfake.NumBrokers(1), kfake.EnableSASL(), kfake.Superuser("PLAIN", "hub", "kafka-pw"), kfake.SeedTopics(1, name))
				must(t, err)
				t.Cleanup(c.Close)
				addr := c.ListenAddrs()[0]
				return []string{"--brokers", addr, "--topic", name, "--key", "{{ event.id }}",
						"--sasl-mechanism", "PLAIN", "--sasl-username", "hub", "--sasl-password", "kafka-pw"}, func() int {
						return kafkaRecords(t, addr, name)
					}
			},
			want: func(name string) map[string]any {
				return map[string]any{"topic": name, "key": "{{ event.id }}", "tls": false,
					"sasl": map[string]any{"mechanism": "PLAIN", "username": "hub", "password": "<masked>"}}
			}},
		{typ: "mqtt",
			broker: func(t *testing.T, name string) ([]string, func() int) {
				addr := serviceEnv(t, "HOOKHUB_TEST_MQTT_ADDR")
				// A publish at QoS 2 succeeds once the broker has taken it
				// (PUBCOMP): the test alert's success is the arrival.
				return []string{"--url", "tcp://" + addr, "--topic", name + "/{{ event.type }}", "--qos", "2", "--client-id", name}, nil
			},
			want: func(name string) map[string]any {
				return map[string]any{"topic": name + "/{{ event.type }}", "qos": 2.0, "retain": false, "client_id": name}
			}},
	}
}

// serviceEnv returns a test service's address, or skips the test.
func serviceEnv(t *testing.T, name string) string {
	t.Helper()
	v := os.Getenv(name)
	if v == "" {
		t.Skipf("%s is not set; skipping the part of this test that needs that broker", name)
	}
	return v
}

// kafkaRecords counts the records a SASL PLAIN consumer reads from topic.
func kafkaRecords(t *testing.T, addr, topic string) int {
	cl, err := kgo.NewClient(kgo.SeedBrokers(addr), kgo.ConsumeTopics(topic), kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()),
		kgo.SASL(plain.Auth{User: "hub", Pass: "kafka-pw"}.AsMechanism()))
	must(t, err)
	defer cl.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 500*time.Millisecond)
	defer cancel()
	n := 0
	for ctx.Err() == nil {
		cl.PollFetches(ctx).EachRecord(func(*kgo.Record) { n++ })
	}
	return n
}

// TestDestinationsCreateEveryType creates a destination of every type from
// the command line, checks what the server stored, and sends each a test
// alert that its broker receives.
func TestDestinationsCreateEveryType(t *testing.T) {
	h := startHub(t, "")
	for _, bc := range busCases() {
		t.Run(bc.typ, func(t *testing.T) {
			name := "hh" + strings.ToLower(strings.TrimPrefix(hookhub.NewID("x"), "x_"))
			args, arrived := bc.broker(t, name)
			args = append([]string{"destinations", "create", "--name", "CLI " + bc.typ, "--type", bc.typ, "--event-types", "hookhub.*"}, args...)
			out := h.ok(t, args...)
			if !strings.HasPrefix(out, "created destination dst_") || !strings.Contains(out, "("+bc.typ+") → "+name) || strings.Count(out, "\n") != 1 {
				t.Fatalf("create printed %q", out)
			}
			if bc.secret != "" && strings.Contains(out, bc.secret) {
				t.Fatalf("create printed a secret: %q", out)
			}
			id := strings.Fields(out)[2]
			d, err := h.api.GetDestination(context.Background(), id)
			must(t, err)
			got := busSettingsOf(d, bc.typ)
			if d.Type != bc.typ || d.Name != "CLI "+bc.typ || d.URL != "" || len(d.Filter.EventTypes) != 1 || d.Filter.EventTypes[0] != "hookhub.*" {
				t.Fatalf("stored destination: %+v", d)
			}
			for k, want := range bc.want(name) {
				if g, _ := json.Marshal(got[k]); string(g) != string(mustJSON(want)) {
					t.Errorf("%s.%s = %s, want %s", bc.typ, k, g, mustJSON(want))
				}
			}
			if b := mustJSON(d); bc.secret != "" && strings.Contains(string(b), bc.secret) {
				t.Errorf("the API shows a secret: %s", b)
			}
			if !strings.Contains(h.ok(t, "destinations", "list"), id+"  ") {
				t.Errorf("destinations list does not show %s", id)
			}

			r := h.cli(t, "", nil, "destinations", "test", id)
			if r.code != 0 || !strings.HasPrefix(r.stdout, "test alert to "+id+": published to ") || r.stderr != "" {
				t.Fatalf("destinations test: %+v", r)
			}
			if arrived != nil {
				waitFor(t, "the test alert on the broker", func() bool { return arrived() == 1 })
			}
		})
	}
}

// TestDestinationsCreateRefusals: a flag of another type, an unknown type
// and a missing flag are usage mistakes (exit 2); settings the server
// refuses exit 1 with its reason. Nothing is created by any of them.
func TestDestinationsCreateRefusals(t *testing.T) {
	h := startHub(t, "")
	for _, c := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"--type", "nats", "--url", "nats://127.0.0.1:4222", "--subject", "s", "--topic", "t"}, 2, "--topic is for kafka and mqtt destinations, not nats"},
		{[]string{"--type", "kafka", "--url", "http://127.0.0.1:1/", "--brokers", "127.0.0.1:9092", "--topic", "t"}, 2, "--url is for webhook and nats and rabbitmq and redis and mqtt destinations, not kafka"},
		{[]string{"--url", "http://127.0.0.1:1/", "--subject", "s"}, 2, "--subject is for nats destinations, not webhook"},
		{[]string{"--type", "nats", "--url", "nats://127.0.0.1:4222", "--subject", "s", "--signing", "none"}, 2, "--signing is for webhook destinations, not nats"},
		{[]string{"--type", "carrier-pigeon"}, 2, `--type "carrier-pigeon" is not one of webhook, eventbridge, nats, rabbitmq, redis, kafka, mqtt`},
		{[]string{"--signing", "none"}, 2, "--url is required for a webhook destination"},
		{[]string{"--type", "nats", "--url", "nats://127.0.0.1:4222"}, 1, "nats.subject is required"},
		{[]string{"--type", "mqtt", "--url", "tcp://127.0.0.1:1883", "--topic", "t", "--qos", "0"}, 1, "qos must be 1 or 2"},
		{[]string{"--type", "redis"}, 1, `a destination of type redis needs its settings in "redis"`},
		{[]string{"--type", "eventbridge", "--event-bus", "b", "--region", "us-east-1", "--access-key-id", "AK"}, 1, "give both access_key_id and secret_access_key"},
	} {
		r := h.cli(t, "", nil, append([]string{"destinations", "create", "--name", "Refused"}, c.args...)...)
		if r.code != c.code || !strings.Contains(r.stderr, c.want) || strings.Count(r.stderr, "\n") != 1 || r.stdout != "" {
			t.Errorf("%v: exit %d, stdout %q, stderr %q; want exit %d saying %q", c.args, r.code, r.stdout, r.stderr, c.code, c.want)
		}
	}
	if got := h.ok(t, "destinations", "list", "--json"); strings.TrimSpace(got) != "[]" {
		t.Fatalf("refused creates left destinations: %s", got)
	}
}

// busSettingsOf is the settings object of a destination's type.
func busSettingsOf(d *client.Destination, typ string) map[string]any {
	return map[string]map[string]any{"eventbridge": d.EventBridge, "nats": d.NATS, "rabbitmq": d.RabbitMQ,
		"redis": d.Redis, "kafka": d.Kafka, "mqtt": d.MQTT}[typ]
}
