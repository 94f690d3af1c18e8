package console

import (
	"strconv"
	"strings"
)

// busField is one setting of an event bus destination type, as the form
// shows it; values round-trip as the API shows them (secrets masked, URL
// credentials redacted), which the API takes as "keep what is stored".
type busField struct {
	Key, Label, Hint string
	Kind             string // text, password, number, list, bool
}

// busFields lists each bus type's settings, in the API's names.
var busFields = map[string][]busField{
	"eventbridge": {
		{Key: "event_bus", Label: "Event bus (name or ARN)", Kind: "text"},
		{Key: "region", Label: "Region", Kind: "text"},
		{Key: "access_key_id", Label: "Access key ID", Kind: "text", Hint: "Empty: the AWS default credential chain."},
		{Key: "secret_access_key", Label: "Secret access key", Kind: "password"},
		{Key: "endpoint", Label: "Endpoint override", Kind: "text"},
		{Key: "source", Label: "Source (template)", Kind: "text", Hint: "Default: the payload's source, else webhook.custom."},
		{Key: "detail_type", Label: "Detail type (template)", Kind: "text", Hint: "Default: the payload's type."},
	},
	"nats":     {{Key: "url", Label: "Server URL", Kind: "text"}, {Key: "subject", Label: "Subject (template)", Kind: "text"}},
	"rabbitmq": {{Key: "url", Label: "AMQP URL", Kind: "text"}, {Key: "exchange", Label: "Exchange", Kind: "text"}, {Key: "routing_key", Label: "Routing key (template)", Kind: "text"}},
	"redis":    {{Key: "url", Label: "Redis URL", Kind: "text"}, {Key: "stream", Label: "Stream (template)", Kind: "text"}, {Key: "max_len", Label: "Trim to about (entries)", Kind: "number"}},
	"kafka":    {{Key: "brokers", Label: "Brokers (comma-separated)", Kind: "list"}, {Key: "topic", Label: "Topic", Kind: "text"}, {Key: "key", Label: "Key (template)", Kind: "text"}, {Key: "tls", Label: "TLS", Kind: "bool"}},
	"mqtt":     {{Key: "url", Label: "Broker URL", Kind: "text"}, {Key: "topic", Label: "Topic (template)", Kind: "text"}, {Key: "qos", Label: "QoS (0, 1, 2)", Kind: "number"}},
}

// busTypes orders the bus types for the form.
var busTypes = []string{"eventbridge", "nats", "rabbitmq", "redis", "kafka", "mqtt"}

// busFieldView is a field with its current value, for the template.
type busFieldView struct {
	busField
	Name    string // form field name: <type>.<key>
	Value   string
	Checked bool
}

// busFieldset is one type's fields.
type busFieldset struct {
	Type   string
	Fields []busFieldView
}

// busForm lays out every bus type's fields with the values of settings (the
// API's object for the destination's own type).
func busForm(current string, settings map[string]any) []busFieldset {
	var out []busFieldset
	for _, t := range busTypes {
		fs := busFieldset{Type: t}
		for _, f := range busFields[t] {
			v := busFieldView{busField: f, Name: t + "." + f.Key}
			if t == current {
				v.Value, v.Checked = fieldText(settings[f.Key])
			}
			fs.Fields = append(fs.Fields, v)
		}
		out = append(out, fs)
	}
	return out
}

func fieldText(v any) (string, bool) {
	switch x := v.(type) {
	case string:
		return x, false
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64), false
	case int64:
		return strconv.FormatInt(x, 10), false
	case []string:
		return strings.Join(x, ", "), false
	case bool:
		return "", x
	case []any:
		parts := make([]string, 0, len(x))
		for _, p := range x {
			if s, ok := p.(string); ok {
				parts = append(parts, s)
			}
		}
		return strings.Join(parts, ", "), false
	}
	return "", false
}

// readBusFields reads one type's settings object from the form.
func readBusFields(typ string, value func(string) string) map[string]any {
	obj := map[string]any{}
	for _, f := range busFields[typ] {
		raw := strings.TrimSpace(value(typ + "." + f.Key))
		switch f.Kind {
		case "number":
			if raw != "" {
				n, err := strconv.ParseInt(raw, 10, 64)
				if err != nil {
					obj[f.Key] = raw // the API says what is wrong with it
					continue
				}
				obj[f.Key] = n
			}
		case "list":
			obj[f.Key] = splitList(raw)
		case "bool":
			obj[f.Key] = raw == "on"
		default:
			obj[f.Key] = raw
		}
	}
	return obj
}

// splitList reads a comma- or newline-separated list, dropping blanks.
func splitList(s string) []string {
	out := []string{}
	for _, p := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == '\n' }) {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}
