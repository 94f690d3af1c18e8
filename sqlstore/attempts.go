package sqlstore

import (
	"context"
	"strings"

	"github.com/hookhub/hookhub"
)

const attemptCols = `id, delivery_id, number, trigger_kind, target, request_headers, status_code,
	response_headers, response_body, duration_ms, error, started_at, truncated`

// attemptDefaults fills what the caller left unset and cuts the attempt to
// what is kept, whoever made it.
func (s *Store) attemptDefaults(a *hookhub.Attempt) {
	a.Limit()
	if a.ID == "" {
		a.ID = hookhub.NewID(hookhub.PrefixAttempt)
	}
	a.StartedAt = s.stamp(a.StartedAt)
}

// attemptNumberCol is the index of number in attemptCols and attemptArgs.
const attemptNumberCol = 2

func (s *Store) attemptArgs(a *hookhub.Attempt) []any {
	req, resp := headersJSON(a.RequestHeaders), headersJSON(a.ResponseHeaders)
	// The response body is whatever the receiver sent, so it is kept as bytes.
	return []any{a.ID, a.DeliveryID, a.Number, a.Trigger, a.Target, req, a.StatusCode, resp,
		bytesOrEmpty([]byte(a.ResponseBody)), a.DurationMS, cleanText(a.Error), s.d.t(a.StartedAt),
		strings.Join(a.Truncated, ",")}
}

func scanAttempt(row scanner) (*hookhub.Attempt, error) {
	var a hookhub.Attempt
	var body []byte
	var truncated string
	err := row.Scan(&a.ID, &a.DeliveryID, &a.Number, &a.Trigger, &a.Target, js(&a.RequestHeaders), &a.StatusCode,
		js(&a.ResponseHeaders), &body, &a.DurationMS, &a.Error, tm(&a.StartedAt), &truncated)
	if err != nil {
		return nil, err
	}
	a.ResponseBody = string(body)
	if truncated != "" {
		a.Truncated = strings.Split(truncated, ",")
	}
	return &a, nil
}

// ListAttempts returns a delivery's attempts, newest first.
func (s *Store) ListAttempts(ctx context.Context, deliveryID string) ([]*hookhub.Attempt, error) {
	list, err := queryAll(ctx, s, `SELECT `+attemptCols+` FROM attempts WHERE delivery_id = ? ORDER BY number DESC, id DESC`,
		[]any{deliveryID}, scanAttempt)
	if err != nil {
		return nil, s.check(err, "list attempts")
	}
	return list, nil
}
