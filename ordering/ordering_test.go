package ordering_test

import (
	"strings"
	"testing"

	"github.com/hookhub/hookhub"
	"github.com/hookhub/hookhub/ordering"
)

func TestKey(t *testing.T) {
	t.Parallel()
	ev := &hookhub.Event{ID: "evt_1", Type: "order.updated", Body: []byte(`{"order_id": 42, "customer": {"id": "c-7"}, "long": "` + strings.Repeat("x", 300) + `"}`)}
	fifo := func(key string) *hookhub.Destination {
		return &hookhub.Destination{Ordering: hookhub.OrderingFIFO, OrderingKey: key}
	}
	tests := []struct {
		name string
		d    *hookhub.Destination
		want string
	}{
		{"field", fifo("{{ event.payload.order_id }}"), "42"},
		{"nested, with text", fifo("customer-{{ event.payload.customer.id }}"), "customer-c-7"},
		{"literal", fifo("all"), "all"},
		{"no template: one key", fifo(""), ""},
		{"missing field: the empty key", fifo("{{ event.payload.nope }}"), ""},
		{"kafka key by default", &hookhub.Destination{Ordering: hookhub.OrderingFIFO, Type: hookhub.DestinationKafka,
			Kafka: &hookhub.KafkaSettings{Key: "{{ event.type }}"}}, "order.updated"},
		{"ordering key over the kafka key", &hookhub.Destination{Ordering: hookhub.OrderingFIFO, OrderingKey: "{{ event.id }}",
			Type: hookhub.DestinationKafka, Kafka: &hookhub.KafkaSettings{Key: "{{ event.type }}"}}, "evt_1"},
	}
	for _, tt := range tests {
		if got := ordering.Key(tt.d, ev); got != tt.want {
			t.Errorf("%s: Key = %q, want %q", tt.name, got, tt.want)
		}
	}
	if got := ordering.Key(fifo("{{ event.payload.long }}"), ev); !strings.HasPrefix(got, "sha256:") || len(got) > ordering.MaxKeyBytes {
		t.Errorf("long key = %q", got)
	}
}

func TestApply(t *testing.T) {
	t.Parallel()
	ev := &hookhub.Event{Body: []byte(`{"id": "a"}`)}
	fifo := &hookhub.Destination{Ordering: hookhub.OrderingFIFO, OrderingKey: "{{ event.payload.id }}"}
	for _, tt := range []struct {
		d       *hookhub.Destination
		trigger string
		ordered bool
	}{
		{fifo, hookhub.TriggerInitial, true},
		{fifo, hookhub.TriggerManual, true},
		{fifo, hookhub.TriggerPing, false},
		{fifo, hookhub.TriggerTest, false},
		{&hookhub.Destination{Ordering: hookhub.OrderingConcurrent}, hookhub.TriggerInitial, false},
		{&hookhub.Destination{}, hookhub.TriggerInitial, false},
	} {
		dl := &hookhub.Delivery{Trigger: tt.trigger}
		ordering.Apply(dl, tt.d, ev)
		if dl.Ordered != tt.ordered || (dl.Ordered && dl.OrderingKey != "a") {
			t.Errorf("%+v with trigger %s: %+v", tt.d, tt.trigger, dl)
		}
	}
}

func TestCheck(t *testing.T) {
	t.Parallel()
	err := ordering.Check(&hookhub.Destination{Ordering: hookhub.OrderingFIFO, OrderingKey: "{{ event.nope }}"})
	if hookhub.ErrorCode(err) != hookhub.EINVALID || !strings.HasPrefix(hookhub.ErrorMessage(err), "ordering_key: ") {
		t.Errorf("err = %v", err)
	}
	if err := ordering.Check(&hookhub.Destination{Ordering: hookhub.OrderingFIFO, OrderingKey: "{{ event.type }}"}); err != nil {
		t.Error(err)
	}
}
