package sender

import (
	"errors"
	"strings"
	"testing"

	"github.com/hookhub/hookhub"
	"github.com/hookhub/hookhub/retry"
)

func TestFailedScrubsCredentials(t *testing.T) {
	t.Parallel()
	tests := []*hookhub.Destination{
		{Type: hookhub.DestinationNATS, NATS: &hookhub.NATSSettings{URL: "nats://t0ken-secret@a:4222,nats://u:pa55-secret@b:4222"}},
		{Type: hookhub.DestinationRabbitMQ, RabbitMQ: &hookhub.RabbitMQSettings{URL: "amqp://u:p%40ss-secret@mq/"}},
		{Type: hookhub.DestinationKafka, Kafka: &hookhub.KafkaSettings{SASL: hookhub.KafkaSASL{Password: "kafka-secret"}}},
		{Type: hookhub.DestinationEventBridge, EventBridge: &hookhub.EventBridgeSettings{SecretAccessKey: "aws-secret"}},
	}
	for _, d := range tests {
		m := &Message{Destination: d}
		leak := errors.New("dial failed for " + strings.Join(secretsOf(d), " and "))
		res := m.Failed(retry.Retry, "", nil, leak)
		if strings.Contains(res.Error+res.Reason, "secret") || !strings.Contains(res.Error, hookhub.RedactedCredential) {
			t.Errorf("%s: %q", d.Type, res.Error)
		}
	}
}
