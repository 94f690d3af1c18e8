package sender

import (
	"net/url"
	"strings"

	"github.com/hookhub/hookhub"
)

// secretsOf lists a destination's credentials as they could appear in a
// client library's error text: URL passwords and lone tokens, secret keys.
func secretsOf(d *hookhub.Destination) []string {
	var out []string
	addURL := func(raw string) {
		for _, p := range strings.Split(raw, ",") {
			u, err := url.Parse(strings.TrimSpace(p))
			if err != nil || u.User == nil {
				continue
			}
			if pw, ok := u.User.Password(); ok {
				out = append(out, pw, url.QueryEscape(pw))
			} else {
				out = append(out, u.User.Username())
			}
		}
	}
	switch {
	case d.NATS != nil:
		addURL(d.NATS.URL)
	case d.RabbitMQ != nil:
		addURL(d.RabbitMQ.URL)
	case d.Redis != nil:
		addURL(d.Redis.URL)
	case d.MQTT != nil:
		addURL(d.MQTT.URL)
	case d.Kafka != nil:
		out = append(out, d.Kafka.SASL.Password)
	case d.EventBridge != nil:
		out = append(out, d.EventBridge.SecretAccessKey, d.EventBridge.SessionToken)
	}
	return out
}

// Scrub replaces any of the destination's credentials in text with
// hookhub.RedactedCredential, so that a library that quotes its input in an
// error cannot put a password into the attempt log or the logs.
func Scrub(text string, d *hookhub.Destination) string {
	for _, s := range secretsOf(d) {
		if len(s) >= 3 {
			text = strings.ReplaceAll(text, s, hookhub.RedactedCredential)
		}
	}
	return text
}
