package server

import (
	"errors"
	"net/http"

	"github.com/hookhub/hookhub"
)

// Placeholder until the alert package lands; removed with it.
type alertPending struct{}

func (alertPending) Parse(hookhub.AlertConfig, http.Header, []byte) ([]hookhub.Alert, error) {
	return nil, errors.New("alert parsing unavailable")
}
func (alertPending) Validate(hookhub.AlertConfig) error { return nil }
func (alertPending) PagerDutyAccepted(string) []byte    { return nil }
func (alertPending) PagerDutyInvalid(error) []byte      { return nil }

var alert alertPending
