package hookhub

import "strings"

// settingsOf returns which type-specific settings objects a destination
// holds, by type name.
func (d *Destination) settingsOf() map[string]bool {
	return map[string]bool{
		DestinationEventBridge: d.EventBridge != nil,
		DestinationNATS:        d.NATS != nil,
		DestinationRabbitMQ:    d.RabbitMQ != nil,
		DestinationRedis:       d.Redis != nil,
		DestinationKafka:       d.Kafka != nil,
		DestinationMQTT:        d.MQTT != nil,
	}
}

// validateType checks the type, that exactly its settings are given, and
// what they require. Templates, URLs and addresses are the senders' to check.
func (d *Destination) validateType() error {
	known := false
	for _, t := range DestinationTypes {
		known = known || t == d.Type
	}
	if !known {
		return Errorf(EINVALID, "type %q is not one of %s", d.Type, strings.Join(DestinationTypes, ", "))
	}
	for typ, set := range d.settingsOf() {
		if set && typ != d.Type {
			return Errorf(EINVALID, "%s settings given for a destination of type %s", typ, d.Type)
		}
		if !set && typ == d.Type {
			return Errorf(EINVALID, "a destination of type %s needs its settings in %q", typ, typ)
		}
	}
	if d.Type == DestinationWebhook {
		return nil
	}
	switch {
	case d.URL != "":
		return Errorf(EINVALID, "url is for webhook destinations; a %s destination takes its address in %q", d.Type, d.Type)
	case len(d.Headers) > 0:
		return Errorf(EINVALID, "headers are for webhook destinations only")
	case d.Signing.Scheme != SignNone:
		return Errorf(EINVALID, "signing is for webhook destinations only; use scheme none or leave it out")
	}
	return d.validateBus()
}

// validateBus checks the required fields of an event bus type's settings.
func (d *Destination) validateBus() error {
	req := func(field, v string) error {
		if strings.TrimSpace(v) == "" {
			return Errorf(EINVALID, "%s.%s is required", d.Type, field)
		}
		return nil
	}
	switch d.Type {
	case DestinationEventBridge:
		eb := d.EventBridge
		if err := req("event_bus", eb.EventBus); err != nil {
			return err
		}
		if (eb.AccessKeyID == "") != (eb.SecretAccessKey == "") {
			return Errorf(EINVALID, "eventbridge: give both access_key_id and secret_access_key, or neither to use the default credential chain")
		}
		if eb.Region == "" && !strings.HasPrefix(eb.EventBus, "arn:") {
			return Errorf(EINVALID, "eventbridge.region is required unless event_bus is an ARN")
		}
	case DestinationNATS:
		return firstErr(req("url", d.NATS.URL), req("subject", d.NATS.Subject))
	case DestinationRabbitMQ:
		return firstErr(req("url", d.RabbitMQ.URL), req("routing_key", d.RabbitMQ.RoutingKey))
	case DestinationRedis:
		if d.Redis.MaxLen < 0 {
			return Errorf(EINVALID, "redis.max_len must not be negative")
		}
		return firstErr(req("url", d.Redis.URL), req("stream", d.Redis.Stream))
	case DestinationKafka:
		return d.validateKafka()
	case DestinationMQTT:
		if d.MQTT.QoS != 1 && d.MQTT.QoS != 2 {
			return Errorf(EINVALID, "mqtt.qos must be 1 or 2: a publish at QoS 0 is never confirmed")
		}
		return firstErr(req("url", d.MQTT.URL), req("topic", d.MQTT.Topic))
	}
	return nil
}

func (d *Destination) validateKafka() error {
	k := d.Kafka
	if len(k.Brokers) == 0 {
		return Errorf(EINVALID, "kafka.brokers needs at least one host:port")
	}
	if strings.TrimSpace(k.Topic) == "" {
		return Errorf(EINVALID, "kafka.topic is required")
	}
	switch k.SASL.Mechanism {
	case "":
		if k.SASL.Username != "" || k.SASL.Password != "" {
			return Errorf(EINVALID, "kafka.sasl.mechanism is required with a username or password")
		}
	case "PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512":
		if k.SASL.Username == "" {
			return Errorf(EINVALID, "kafka.sasl.username is required")
		}
	default:
		return Errorf(EINVALID, "kafka.sasl.mechanism must be PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512")
	}
	return nil
}

func firstErr(errs ...error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}
