package console

import (
	"context"
	"encoding/json"
	"time"

	"github.com/hookhub/hookhub/access"
)

// apiDestination is a destination as the API shows it (secrets masked).
type apiDestination struct {
	ID          string            `json:"id"`
	Name        string            `json:"name"`
	Description string            `json:"description"`
	Type        string            `json:"type"`
	URL         string            `json:"url"`
	Method      string            `json:"method"`
	Headers     map[string]string `json:"headers"`
	Signing     struct{ Scheme, Header string }
	Filter      apiFilter `json:"filter"`
	Retry       struct {
		MaxRetries      int   `json:"max_retries"`
		ScheduleSeconds []int `json:"schedule_seconds"`
	} `json:"retry"`
	TimeoutSeconds      int       `json:"timeout_seconds"`
	Enabled             bool      `json:"enabled"`
	DisabledReason      string    `json:"disabled_reason"`
	Paused              bool      `json:"paused"`
	AllowManualDispatch bool      `json:"allow_manual_dispatch"`
	ConsecutiveFailures int       `json:"consecutive_failures"`
	Secret              string    `json:"secret"`
	CreatedAt           time.Time `json:"created_at"`
	// Bus is the settings object of the destination's type.
	Bus map[string]any `json:"-"`
}

type apiFilter struct {
	EventTypes []string `json:"event_types"`
	Severities []string `json:"severities"`
	SourceIDs  []string `json:"source_ids"`
	AlertTypes []string `json:"alert_types"`
	LogTypes   []string `json:"log_types"`
	Expression string   `json:"expression"`
}

// getDestination reads a destination through the API, masked as it shows it.
func (c *Console) getDestination(ctx context.Context, caller access.Caller, id string) (*apiDestination, error) {
	var raw json.RawMessage
	if err := c.api.Call(ctx, caller, "GET", "/api/v1/destinations/"+id, nil, &raw); err != nil {
		return nil, err
	}
	var d apiDestination
	if err := json.Unmarshal(raw, &d); err != nil {
		return nil, err
	}
	var all map[string]any
	if err := json.Unmarshal(raw, &all); err != nil {
		return nil, err
	}
	d.Bus, _ = all[d.Type].(map[string]any)
	return &d, nil
}
