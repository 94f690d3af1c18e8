package hookhub

// Destination types: where a destination's deliveries go.
const (
	DestinationWebhook     = "webhook" // an HTTP endpoint (the default)
	DestinationEventBridge = "eventbridge"
	DestinationNATS        = "nats"
	DestinationRabbitMQ    = "rabbitmq"
	DestinationRedis       = "redis"
	DestinationKafka       = "kafka"
	DestinationMQTT        = "mqtt"
)

// DestinationTypes lists every destination type, the default first.
var DestinationTypes = []string{DestinationWebhook, DestinationEventBridge, DestinationNATS,
	DestinationRabbitMQ, DestinationRedis, DestinationKafka, DestinationMQTT}

// Text fields marked "template" below may hold {{ expression }} parts,
// replaced per delivery by the expression's value over the event (event.id,
// event.type, event.source_id, event.payload.…).

// EventBridgeSettings put each delivery on an Amazon EventBridge bus as one
// PutEvents entry.
type EventBridgeSettings struct {
	EventBus string // name or ARN
	Region   string
	// AccessKeyID and SecretAccessKey (secret) sign the calls; when both are
	// empty the AWS SDK's default chain is used (environment, shared
	// config, instance role).
	AccessKeyID     string
	SecretAccessKey string
	SessionToken    string // (secret) for temporary credentials
	Endpoint        string // overrides the AWS endpoint
	// Source and DetailType (templates) override the entry's fields; empty,
	// they are the payload's "source" (default "webhook.custom") and "type"
	// (default "defaultDetailType").
	Source     string
	DetailType string
}

// NATSSettings publish each delivery to NATS JetStream.
type NATSSettings struct {
	// URL is one or more comma-separated server URLs; credentials in it
	// (user:password or a token) are secret.
	URL     string
	Subject string // template
}

// RabbitMQSettings publish each delivery to a RabbitMQ exchange.
type RabbitMQSettings struct {
	URL        string // amqp:// or amqps://; its password is secret
	Exchange   string // "" is the default exchange, which routes by queue name
	RoutingKey string // template
}

// RedisSettings add each delivery to a Redis stream.
type RedisSettings struct {
	URL    string // redis:// or rediss://; its password is secret
	Stream string // template
	MaxLen int64  // > 0 trims the stream to about this many entries (MAXLEN ~)
}

// KafkaSettings produce each delivery to a Kafka topic.
type KafkaSettings struct {
	Brokers []string // host:port seed brokers
	Topic   string   // template
	Key     string   // template; empty sends no key
	TLS     bool
	SASL    KafkaSASL
}

// KafkaSASL authenticates to Kafka; an empty Mechanism means none.
type KafkaSASL struct {
	Mechanism string // PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512
	Username  string
	Password  string // (secret)
}

// MQTTSettings publish each delivery to an MQTT (version 5) broker.
type MQTTSettings struct {
	URL      string // tcp://, mqtt://, ssl://, tls:// or mqtts://; its password is secret
	Topic    string // template
	QoS      int    // 1 (default) or 2
	Retain   bool
	ClientID string // default: hookhub- and a random suffix per connection
}
