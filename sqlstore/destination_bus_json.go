package sqlstore

import "github.com/hookhub/hookhub"

// busConfig holds the non-secret settings of an event bus destination, under
// its type's name; busSecrets holds the secret ones, sealed. Broker URLs are
// secret whole, since credentials ride in them. (Only the settings of the
// destination's type are set; the store keeps whatever it is given.)
type busConfig struct {
	EventBridge *eventBridgeConfig `json:"eventbridge,omitempty"`
	NATS        *natsConfig        `json:"nats,omitempty"`
	RabbitMQ    *rabbitConfig      `json:"rabbitmq,omitempty"`
	Redis       *redisConfig       `json:"redis,omitempty"`
	Kafka       *kafkaConfig       `json:"kafka,omitempty"`
	MQTT        *mqttConfig        `json:"mqtt,omitempty"`
}

type busSecrets struct {
	EventBridgeSecretKey    string `json:"eventbridge_secret_access_key,omitempty"`
	EventBridgeSessionToken string `json:"eventbridge_session_token,omitempty"`
	NATSURL                 string `json:"nats_url,omitempty"`
	RabbitMQURL             string `json:"rabbitmq_url,omitempty"`
	RedisURL                string `json:"redis_url,omitempty"`
	MQTTURL                 string `json:"mqtt_url,omitempty"`
	KafkaPassword           string `json:"kafka_sasl_password,omitempty"`
}

type eventBridgeConfig struct {
	EventBus    string `json:"event_bus"`
	Region      string `json:"region,omitempty"`
	AccessKeyID string `json:"access_key_id,omitempty"`
	Endpoint    string `json:"endpoint,omitempty"`
	Source      string `json:"source,omitempty"`
	DetailType  string `json:"detail_type,omitempty"`
}

type natsConfig struct {
	Subject string `json:"subject"`
}

type rabbitConfig struct {
	Exchange   string `json:"exchange"`
	RoutingKey string `json:"routing_key"`
}

type redisConfig struct {
	Stream string `json:"stream"`
	MaxLen int64  `json:"max_len,omitempty"`
}

type kafkaConfig struct {
	Brokers       []string `json:"brokers"`
	Topic         string   `json:"topic"`
	Key           string   `json:"key,omitempty"`
	TLS           bool     `json:"tls,omitempty"`
	SASLMechanism string   `json:"sasl_mechanism,omitempty"`
	SASLUsername  string   `json:"sasl_username,omitempty"`
}

type mqttConfig struct {
	Topic    string `json:"topic"`
	QoS      int    `json:"qos"`
	Retain   bool   `json:"retain,omitempty"`
	ClientID string `json:"client_id,omitempty"`
}

func busConfigOf(d *hookhub.Destination) (busConfig, busSecrets) {
	var c busConfig
	var sec busSecrets
	if eb := d.EventBridge; eb != nil {
		c.EventBridge = &eventBridgeConfig{EventBus: eb.EventBus, Region: eb.Region, AccessKeyID: eb.AccessKeyID,
			Endpoint: eb.Endpoint, Source: eb.Source, DetailType: eb.DetailType}
		sec.EventBridgeSecretKey, sec.EventBridgeSessionToken = eb.SecretAccessKey, eb.SessionToken
	}
	if n := d.NATS; n != nil {
		c.NATS, sec.NATSURL = &natsConfig{Subject: n.Subject}, n.URL
	}
	if r := d.RabbitMQ; r != nil {
		c.RabbitMQ, sec.RabbitMQURL = &rabbitConfig{Exchange: r.Exchange, RoutingKey: r.RoutingKey}, r.URL
	}
	if r := d.Redis; r != nil {
		c.Redis, sec.RedisURL = &redisConfig{Stream: r.Stream, MaxLen: r.MaxLen}, r.URL
	}
	if k := d.Kafka; k != nil {
		c.Kafka = &kafkaConfig{Brokers: k.Brokers, Topic: k.Topic, Key: k.Key, TLS: k.TLS,
			SASLMechanism: k.SASL.Mechanism, SASLUsername: k.SASL.Username}
		sec.KafkaPassword = k.SASL.Password
	}
	if m := d.MQTT; m != nil {
		c.MQTT, sec.MQTTURL = &mqttConfig{Topic: m.Topic, QoS: m.QoS, Retain: m.Retain, ClientID: m.ClientID}, m.URL
	}
	return c, sec
}

func (c busConfig) applyTo(d *hookhub.Destination, sec busSecrets) {
	if eb := c.EventBridge; eb != nil {
		d.EventBridge = &hookhub.EventBridgeSettings{EventBus: eb.EventBus, Region: eb.Region, AccessKeyID: eb.AccessKeyID,
			SecretAccessKey: sec.EventBridgeSecretKey, SessionToken: sec.EventBridgeSessionToken,
			Endpoint: eb.Endpoint, Source: eb.Source, DetailType: eb.DetailType}
	}
	if n := c.NATS; n != nil {
		d.NATS = &hookhub.NATSSettings{URL: sec.NATSURL, Subject: n.Subject}
	}
	if r := c.RabbitMQ; r != nil {
		d.RabbitMQ = &hookhub.RabbitMQSettings{URL: sec.RabbitMQURL, Exchange: r.Exchange, RoutingKey: r.RoutingKey}
	}
	if r := c.Redis; r != nil {
		d.Redis = &hookhub.RedisSettings{URL: sec.RedisURL, Stream: r.Stream, MaxLen: r.MaxLen}
	}
	if k := c.Kafka; k != nil {
		d.Kafka = &hookhub.KafkaSettings{Brokers: k.Brokers, Topic: k.Topic, Key: k.Key, TLS: k.TLS,
			SASL: hookhub.KafkaSASL{Mechanism: k.SASLMechanism, Username: k.SASLUsername, Password: sec.KafkaPassword}}
	}
	if m := c.MQTT; m != nil {
		d.MQTT = &hookhub.MQTTSettings{URL: sec.MQTTURL, Topic: m.Topic, QoS: m.QoS, Retain: m.Retain, ClientID: m.ClientID}
	}
}
