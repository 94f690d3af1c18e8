package verify

import (
	"slices"
	"testing"

	"github.com/hookhub/hookhub"
)

func TestPresetFor(t *testing.T) {
	t.Parallel()
	tests := []struct {
		typ                       string
		scheme, header, path, def string
		idHeaders                 []string
		idPath                    string
		form                      bool
	}{
		{hookhub.SourceGeneric, "none", "", "", "", nil, "", false},
		{"unknown", "none", "", "", "", nil, "", false},
		{hookhub.SourceGitHub, "github", "X-GitHub-Event", "", "", []string{"X-GitHub-Delivery"}, "", true},
		{hookhub.SourceSnyk, "snyk", "X-Snyk-Event", "", "", []string{"X-Snyk-Transport-ID"}, "", false},
		{hookhub.SourceStripe, "stripe", "", "type", "", nil, "id", false},
		{hookhub.SourceSlack, "slack", "", "event.type", "", nil, "event_id", true},
		{hookhub.SourceShopify, "shopify", "X-Shopify-Topic", "", "", []string{"X-Shopify-Webhook-Id"}, "", false},
		{hookhub.SourceZendesk, "zendesk", "", "type", "", nil, "", false},
		{hookhub.SourceStandardWebhooks, "standard-webhooks", "", "type", "", []string{"webhook-id", "svix-id"}, "", false},
		{hookhub.SourcePagerDuty, "pagerduty", "", "event_action", "alert", nil, "", false},
		{hookhub.SourceWhaTap, "whatap", "", "status", "alert", nil, "", false},
		{hookhub.SourceAlertmanager, "alertmanager", "", "status", "alert", nil, "", false},
		{hookhub.SourceGrafana, "grafana", "", "state", "alert", nil, "", false},
		{hookhub.SourcePanther, "panther", "", "severity", "alert", nil, "", false},
	}
	for _, tt := range tests {
		t.Run(tt.typ, func(t *testing.T) {
			p := PresetFor(tt.typ)
			if p.Scheme != tt.scheme || p.EventHeader != tt.header || p.EventJSONPath != tt.path || p.DefaultEvent != tt.def {
				t.Errorf("event: got %+v", p)
			}
			if !slices.Equal(p.DeliveryIDHeaders(), tt.idHeaders) || p.DeliveryIDJSONPath != tt.idPath {
				t.Errorf("delivery id: got headers %v path %q", p.DeliveryIDHeaders(), p.DeliveryIDJSONPath)
			}
			if !slices.Contains(p.ContentTypes, "application/json") || slices.Contains(p.ContentTypes, "application/x-www-form-urlencoded") != tt.form {
				t.Errorf("content types: %v", p.ContentTypes)
			}
		})
	}
}

// Every source type has a preset whose scheme New accepts, with a secret for
// the schemes that need one.
func TestPresetSchemesBuild(t *testing.T) {
	t.Parallel()
	for _, typ := range hookhub.SourceTypes {
		cfg := hookhub.Verification{Scheme: PresetFor(typ).Scheme, Secret: "whsec_c2VjcmV0"}
		if _, err := New(cfg, nil); err != nil {
			t.Errorf("%s: %v", typ, err)
		}
	}
}

func TestPresetForReturnsFreshSlices(t *testing.T) {
	t.Parallel()
	p := PresetFor(hookhub.SourceStandardWebhooks)
	p.ContentTypes[0] = "text/plain"
	p.DeliveryIDHeaders()[1] = "x"
	q := PresetFor(hookhub.SourceStandardWebhooks)
	if q.ContentTypes[0] != "application/json" || q.DeliveryIDHeaders()[1] != "svix-id" {
		t.Fatalf("a caller's change leaked: %+v", q)
	}
}
