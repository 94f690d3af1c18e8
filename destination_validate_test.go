package hookhub_test

import (
	"strings"
	"testing"

	"github.com/hookhub/hookhub"
)

func TestValidateDestinationTypes(t *testing.T) {
	t.Parallel()
	eb := func(e hookhub.EventBridgeSettings) *hookhub.Destination {
		return &hookhub.Destination{Type: hookhub.DestinationEventBridge, EventBridge: &e}
	}
	tests := []struct {
		name string
		d    *hookhub.Destination
		want string // "" = valid
	}{
		{"webhook", &hookhub.Destination{URL: "https://x"}, ""},
		{"unknown type", &hookhub.Destination{Type: "fax"}, `type "fax" is not one of`},
		{"missing settings", &hookhub.Destination{Type: hookhub.DestinationNATS}, `needs its settings in "nats"`},
		{"foreign settings", &hookhub.Destination{Type: hookhub.DestinationNATS, NATS: &hookhub.NATSSettings{URL: "nats://a", Subject: "s"},
			Redis: &hookhub.RedisSettings{}}, "redis settings given for a destination of type nats"},
		{"url on a bus", &hookhub.Destination{Type: hookhub.DestinationNATS, URL: "https://x", NATS: &hookhub.NATSSettings{URL: "nats://a", Subject: "s"}}, "url is for webhook"},
		{"headers on a bus", &hookhub.Destination{Type: hookhub.DestinationNATS, Headers: map[string]string{"a": "b"},
			NATS: &hookhub.NATSSettings{URL: "nats://a", Subject: "s"}}, "headers are for webhook"},
		{"nats needs a subject", &hookhub.Destination{Type: hookhub.DestinationNATS, NATS: &hookhub.NATSSettings{URL: "nats://a"}}, "nats.subject is required"},
		{"rabbitmq needs a routing key", &hookhub.Destination{Type: hookhub.DestinationRabbitMQ, RabbitMQ: &hookhub.RabbitMQSettings{URL: "amqp://a"}}, "rabbitmq.routing_key is required"},
		{"redis max_len", &hookhub.Destination{Type: hookhub.DestinationRedis, Redis: &hookhub.RedisSettings{URL: "redis://a", Stream: "s", MaxLen: -1}}, "max_len"},
		{"kafka brokers", &hookhub.Destination{Type: hookhub.DestinationKafka, Kafka: &hookhub.KafkaSettings{Topic: "t"}}, "kafka.brokers"},
		{"kafka sasl", &hookhub.Destination{Type: hookhub.DestinationKafka, Kafka: &hookhub.KafkaSettings{Brokers: []string{"a:1"}, Topic: "t",
			SASL: hookhub.KafkaSASL{Mechanism: "GSSAPI", Username: "u"}}}, "kafka.sasl.mechanism"},
		{"kafka password without mechanism", &hookhub.Destination{Type: hookhub.DestinationKafka, Kafka: &hookhub.KafkaSettings{Brokers: []string{"a:1"}, Topic: "t",
			SASL: hookhub.KafkaSASL{Password: "p"}}}, "mechanism is required"},
		{"mqtt qos 1", &hookhub.Destination{Type: hookhub.DestinationMQTT, MQTT: &hookhub.MQTTSettings{URL: "tcp://a", Topic: "t"}}, ""},
		{"mqtt qos 3", &hookhub.Destination{Type: hookhub.DestinationMQTT, MQTT: &hookhub.MQTTSettings{URL: "tcp://a", Topic: "t", QoS: 3}}, "mqtt.qos"},
		{"eventbridge by ARN", eb(hookhub.EventBridgeSettings{EventBus: "arn:aws:events:eu-west-1:1:event-bus/b"}), ""},
		{"eventbridge by name needs a region", eb(hookhub.EventBridgeSettings{EventBus: "b"}), "region is required"},
		{"eventbridge half credentials", eb(hookhub.EventBridgeSettings{EventBus: "b", Region: "r", AccessKeyID: "AK"}), "both access_key_id and secret_access_key"},
	}
	for _, tt := range tests {
		d := tt.d
		d.Name = "n"
		d.SetDefaults()
		err := d.Validate()
		switch {
		case tt.want == "" && err != nil:
			t.Errorf("%s: %v", tt.name, err)
		case tt.want != "" && (hookhub.ErrorCode(err) != hookhub.EINVALID || !strings.Contains(hookhub.ErrorMessage(err), tt.want)):
			t.Errorf("%s: %v, want %q", tt.name, err, tt.want)
		}
	}
}
