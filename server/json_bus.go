package server

import (
	"encoding/json"

	"github.com/hookhub/hookhub"
	"github.com/hookhub/hookhub/web"
)

// The settings of event bus destinations as the API shows and takes them,
// each under its type's name. Secrets are masked on the way out; a masked
// value (or a URL with a redacted credential) sent back keeps what is stored.
// The field lists mirror the domain types, so each converts to its own.

type eventBridgeJSON struct {
	EventBus        string `json:"event_bus"`
	Region          string `json:"region"`
	AccessKeyID     string `json:"access_key_id"`
	SecretAccessKey string `json:"secret_access_key,omitempty"`
	SessionToken    string `json:"session_token,omitempty"`
	Endpoint        string `json:"endpoint"`
	Source          string `json:"source"`
	DetailType      string `json:"detail_type"`
}

type natsJSON struct {
	URL     string `json:"url"`
	Subject string `json:"subject"`
}

type rabbitMQJSON struct {
	URL        string `json:"url"`
	Exchange   string `json:"exchange"`
	RoutingKey string `json:"routing_key"`
}

type redisJSON struct {
	URL    string `json:"url"`
	Stream string `json:"stream"`
	MaxLen int64  `json:"max_len"`
}

type kafkaJSON struct {
	Brokers []string      `json:"brokers"`
	Topic   string        `json:"topic"`
	Key     string        `json:"key"`
	TLS     bool          `json:"tls"`
	SASL    kafkaSASLJSON `json:"sasl"`
}

type kafkaSASLJSON struct {
	Mechanism string `json:"mechanism"`
	Username  string `json:"username"`
	Password  string `json:"password,omitempty"`
}

type mqttJSON struct {
	URL      string `json:"url"`
	Topic    string `json:"topic"`
	QoS      int    `json:"qos"`
	Retain   bool   `json:"retain"`
	ClientID string `json:"client_id"`
}

// busJSON is every type's settings object; only the destination's is set.
type busJSON struct {
	EventBridge *eventBridgeJSON `json:"eventbridge,omitempty"`
	NATS        *natsJSON        `json:"nats,omitempty"`
	RabbitMQ    *rabbitMQJSON    `json:"rabbitmq,omitempty"`
	Redis       *redisJSON       `json:"redis,omitempty"`
	Kafka       *kafkaJSON       `json:"kafka,omitempty"`
	MQTT        *mqttJSON        `json:"mqtt,omitempty"`
}

// busInput is the settings objects as sent; each is merged onto what is
// stored, so a PATCH may send only the fields it changes.
type busInput struct {
	EventBridge json.RawMessage `json:"eventbridge"`
	NATS        json.RawMessage `json:"nats"`
	RabbitMQ    json.RawMessage `json:"rabbitmq"`
	Redis       json.RawMessage `json:"redis"`
	Kafka       json.RawMessage `json:"kafka"`
	MQTT        json.RawMessage `json:"mqtt"`
}

func maskIf(s string) string {
	if s == "" {
		return ""
	}
	return masked
}

func busOut(d *hookhub.Destination) busJSON {
	var out busJSON
	if eb := d.EventBridge; eb != nil {
		j := eventBridgeJSON(*eb)
		j.SecretAccessKey, j.SessionToken = maskIf(eb.SecretAccessKey), maskIf(eb.SessionToken)
		out.EventBridge = &j
	}
	if n := d.NATS; n != nil {
		out.NATS = &natsJSON{URL: hookhub.RedactURLs(n.URL), Subject: n.Subject}
	}
	if r := d.RabbitMQ; r != nil {
		out.RabbitMQ = &rabbitMQJSON{URL: hookhub.RedactURLs(r.URL), Exchange: r.Exchange, RoutingKey: r.RoutingKey}
	}
	if r := d.Redis; r != nil {
		out.Redis = &redisJSON{URL: hookhub.RedactURLs(r.URL), Stream: r.Stream, MaxLen: r.MaxLen}
	}
	if k := d.Kafka; k != nil {
		out.Kafka = &kafkaJSON{Brokers: nonNil(k.Brokers), Topic: k.Topic, Key: k.Key, TLS: k.TLS,
			SASL: kafkaSASLJSON{Mechanism: k.SASL.Mechanism, Username: k.SASL.Username, Password: maskIf(k.SASL.Password)}}
	}
	if m := d.MQTT; m != nil {
		j := mqttJSON(*m)
		j.URL = hookhub.RedactURLs(m.URL)
		out.MQTT = &j
	}
	return out
}

// apply merges the sent settings objects onto d. A type change drops the
// settings of the old type (and, from a webhook, its URL, headers and
// signing), so none are kept where they no longer apply.
func (in *busInput) apply(d *hookhub.Destination, oldType string) error {
	if d.Type != oldType {
		d.EventBridge, d.NATS, d.RabbitMQ, d.Redis, d.Kafka, d.MQTT = nil, nil, nil, nil, nil, nil
	}
	steps := []struct {
		name string
		raw  json.RawMessage
		fn   func(json.RawMessage, *hookhub.Destination) error
	}{
		{hookhub.DestinationEventBridge, in.EventBridge, mergeEventBridge},
		{hookhub.DestinationNATS, in.NATS, mergeNATS},
		{hookhub.DestinationRabbitMQ, in.RabbitMQ, mergeRabbitMQ},
		{hookhub.DestinationRedis, in.Redis, mergeRedis},
		{hookhub.DestinationKafka, in.Kafka, mergeKafka},
		{hookhub.DestinationMQTT, in.MQTT, mergeMQTT},
	}
	for _, s := range steps {
		if len(s.raw) == 0 || string(s.raw) == "null" {
			continue
		}
		if err := s.fn(s.raw, d); err != nil {
			return hookhub.Errorf(hookhub.EINVALID, "%s: %s", s.name, hookhub.ErrorMessage(err))
		}
	}
	return nil
}

func unmask(sent, stored string) string {
	if sent == masked {
		return stored
	}
	return sent
}

func mergeEventBridge(raw json.RawMessage, d *hookhub.Destination) error {
	var old hookhub.EventBridgeSettings
	if d.EventBridge != nil {
		old = *d.EventBridge
	}
	j := eventBridgeJSON(old)
	if err := web.Unmarshal(raw, &j); err != nil {
		return err
	}
	j.SecretAccessKey, j.SessionToken = unmask(j.SecretAccessKey, old.SecretAccessKey), unmask(j.SessionToken, old.SessionToken)
	s := hookhub.EventBridgeSettings(j)
	d.EventBridge = &s
	return nil
}

func mergeNATS(raw json.RawMessage, d *hookhub.Destination) error {
	var old hookhub.NATSSettings
	if d.NATS != nil {
		old = *d.NATS
	}
	j := natsJSON(old)
	if err := web.Unmarshal(raw, &j); err != nil {
		return err
	}
	j.URL = hookhub.UnredactURLs(j.URL, old.URL)
	s := hookhub.NATSSettings(j)
	d.NATS = &s
	return nil
}

func mergeRabbitMQ(raw json.RawMessage, d *hookhub.Destination) error {
	var old hookhub.RabbitMQSettings
	if d.RabbitMQ != nil {
		old = *d.RabbitMQ
	}
	j := rabbitMQJSON(old)
	if err := web.Unmarshal(raw, &j); err != nil {
		return err
	}
	j.URL = hookhub.UnredactURLs(j.URL, old.URL)
	s := hookhub.RabbitMQSettings(j)
	d.RabbitMQ = &s
	return nil
}

func mergeRedis(raw json.RawMessage, d *hookhub.Destination) error {
	var old hookhub.RedisSettings
	if d.Redis != nil {
		old = *d.Redis
	}
	j := redisJSON(old)
	if err := web.Unmarshal(raw, &j); err != nil {
		return err
	}
	j.URL = hookhub.UnredactURLs(j.URL, old.URL)
	s := hookhub.RedisSettings(j)
	d.Redis = &s
	return nil
}

func mergeKafka(raw json.RawMessage, d *hookhub.Destination) error {
	var old hookhub.KafkaSettings
	if d.Kafka != nil {
		old = *d.Kafka
	}
	j := kafkaJSON{Brokers: old.Brokers, Topic: old.Topic, Key: old.Key, TLS: old.TLS,
		SASL: kafkaSASLJSON(old.SASL)}
	if err := web.Unmarshal(raw, &j); err != nil {
		return err
	}
	j.SASL.Password = unmask(j.SASL.Password, old.SASL.Password)
	d.Kafka = &hookhub.KafkaSettings{Brokers: j.Brokers, Topic: j.Topic, Key: j.Key, TLS: j.TLS, SASL: hookhub.KafkaSASL(j.SASL)}
	return nil
}

func mergeMQTT(raw json.RawMessage, d *hookhub.Destination) error {
	var old hookhub.MQTTSettings
	if d.MQTT != nil {
		old = *d.MQTT
	}
	j := mqttJSON(old)
	if err := web.Unmarshal(raw, &j); err != nil {
		return err
	}
	// qos 0 sent is refused, not taken for "the default": a QoS 0 publish
	// is never confirmed.
	var sent struct {
		QoS *int `json:"qos"`
	}
	json.Unmarshal(raw, &sent)
	if sent.QoS != nil && *sent.QoS == 0 {
		return hookhub.Errorf(hookhub.EINVALID, "qos must be 1 or 2: a publish at QoS 0 is never confirmed")
	}
	j.URL = hookhub.UnredactURLs(j.URL, old.URL)
	s := hookhub.MQTTSettings(j)
	d.MQTT = &s
	return nil
}
