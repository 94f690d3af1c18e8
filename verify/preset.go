package verify

import "github.com/hookhub/hookhub"

// Preset is what a source type implies for ingest: its verification scheme,
// where the event type is read, where the provider's delivery id (used to drop
// retried duplicates) is read, and which media types it sends.
// JSON paths are dotted paths into the body, such as "event.type".
type Preset struct {
	Scheme             string
	EventHeader        string // read first
	EventJSONPath      string // read when EventHeader is empty or absent
	DefaultEvent       string // used when neither yields a value
	DeliveryIDHeader   string
	DeliveryIDJSONPath string
	ContentTypes       []string

	// altDeliveryIDHeaders are read after DeliveryIDHeader, for providers
	// that send the same id under another name (Svix).
	altDeliveryIDHeaders []string
}

// DeliveryIDHeaders lists the headers that may carry the delivery id, in the
// order to read them.
func (p Preset) DeliveryIDHeaders() []string {
	if p.DeliveryIDHeader == "" {
		return nil
	}
	return append([]string{p.DeliveryIDHeader}, p.altDeliveryIDHeaders...)
}

const (
	jsonType = "application/json"
	formType = "application/x-www-form-urlencoded"
)

// PresetFor returns the preset of a source type, or the generic preset for an
// unknown type. Each call returns fresh slices, so callers may change them.
//
// Choices worth knowing:
//   - generic verifies nothing (scheme none) and reads no event type or id;
//     a generic source states its own scheme and event-type rule.
//   - Slack's event type is event.type: the top-level type is nearly always
//     "event_callback", which says nothing useful. Requests without it
//     (url_verification, form-encoded slash commands) get no type.
//     event_id is the same on Slack's retries, so it is the delivery id.
//   - Zendesk has no delivery id: payloads built by triggers often carry a
//     ticket "id", which would wrongly merge distinct updates as duplicates.
//   - Alert types keep their own scheme name, which checks X-Webhook-Token when
//     the source has a secret and nothing otherwise. They have no delivery id,
//     since a repeated alert (a re-notification, a resolve) is new news. Their
//     event type is the alert's state (firing/resolved and the like) so routes
//     can tell openings from resolutions, defaulting to "alert". Grafana's
//     "state" is present in both Grafana Alerting and OnCall payloads. Panther
//     sends no state, so its event type is the severity, the usual routing key.
//   - PagerDuty reads its V3 webhook envelope (event.event_type, event.id).
//     Events API v2 bodies (event_action, dedup_key), which Alertmanager and
//     others send to PagerDuty-style receivers, have neither and get no type.
//   - GitHub may be configured to send form-encoded payloads, so both
//     media types are allowed; Slack sends forms for slash commands and
//     interactivity.
func PresetFor(sourceType string) Preset {
	json, jsonOrForm := []string{jsonType}, []string{jsonType, formType}
	switch sourceType {
	case hookhub.SourceGitHub:
		return Preset{Scheme: sourceType, EventHeader: "X-GitHub-Event",
			DeliveryIDHeader: "X-GitHub-Delivery", ContentTypes: jsonOrForm}
	case hookhub.SourceSnyk:
		return Preset{Scheme: sourceType, EventHeader: "X-Snyk-Event",
			DeliveryIDHeader: "X-Snyk-Transport-ID", ContentTypes: json}
	case hookhub.SourceStripe:
		return Preset{Scheme: sourceType, EventJSONPath: "type", DeliveryIDJSONPath: "id", ContentTypes: json}
	case hookhub.SourceSlack:
		return Preset{Scheme: sourceType, EventJSONPath: "event.type", DeliveryIDJSONPath: "event_id", ContentTypes: jsonOrForm}
	case hookhub.SourceShopify:
		return Preset{Scheme: sourceType, EventHeader: "X-Shopify-Topic",
			DeliveryIDHeader: "X-Shopify-Webhook-Id", ContentTypes: json}
	case hookhub.SourceZendesk:
		return Preset{Scheme: sourceType, EventJSONPath: "type", ContentTypes: json}
	case hookhub.SourceStandardWebhooks:
		return Preset{Scheme: sourceType, EventJSONPath: "type", DeliveryIDHeader: "webhook-id",
			altDeliveryIDHeaders: []string{"svix-id"}, ContentTypes: json}
	case hookhub.SourcePagerDuty:
		// A pagerduty source receives PagerDuty Events API v2 calls (the
		// alert path); PagerDuty's own signed webhooks use the pagerduty
		// scheme on a generic source.
		return Preset{Scheme: sourceType, EventJSONPath: "event_action", DefaultEvent: "alert", ContentTypes: json}
	case hookhub.SourceWhaTap, hookhub.SourceAlertmanager:
		return Preset{Scheme: sourceType, EventJSONPath: "status", DefaultEvent: "alert", ContentTypes: json}
	case hookhub.SourceGrafana:
		return Preset{Scheme: sourceType, EventJSONPath: "state", DefaultEvent: "alert", ContentTypes: json}
	case hookhub.SourcePanther:
		return Preset{Scheme: sourceType, EventJSONPath: "severity", DefaultEvent: "alert", ContentTypes: json}
	}
	return Preset{Scheme: "none", ContentTypes: json}
}
