package web

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"

	"github.com/hookhub/hookhub"
)

// statusOf maps each domain error code to its HTTP status: the one place where
// errors meet HTTP.
var statusOf = map[string]int{
	hookhub.EINVALID:       http.StatusBadRequest,
	hookhub.EUNAUTHORIZED:  http.StatusUnauthorized,
	hookhub.EFORBIDDEN:     http.StatusForbidden,
	hookhub.ENOTFOUND:      http.StatusNotFound,
	hookhub.EMETHOD:        http.StatusMethodNotAllowed,
	hookhub.ECONFLICT:      http.StatusConflict,
	hookhub.ETOOLARGE:      http.StatusRequestEntityTooLarge,
	hookhub.EUNSUPPORTED:   http.StatusUnsupportedMediaType,
	hookhub.EUNPROCESSABLE: http.StatusUnprocessableEntity,
	hookhub.ERATELIMIT:     http.StatusTooManyRequests,
	hookhub.ETIMEOUT:       http.StatusRequestTimeout,
	hookhub.EINTERNAL:      http.StatusInternalServerError,
	hookhub.EUNAVAILABLE:   http.StatusServiceUnavailable,
}

// Status returns the HTTP status of a domain error code (500 for an unknown one).
func Status(code string) int {
	if s, ok := statusOf[code]; ok {
		return s
	}
	return http.StatusInternalServerError
}

// ErrorBody is the one error shape every JSON endpoint answers with.
type ErrorBody struct {
	Error ErrorDetail `json:"error"`
}

// ErrorDetail is an error's machine-readable code and its message.
type ErrorDetail struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

// Error answers err with its status: as {"error":{"code","message"}} to
// programs, as a short HTML page to a browser asking for one. Internal errors
// are logged with the request ID and never described to clients.
func Error(w http.ResponseWriter, r *http.Request, err error) {
	ErrorStatus(w, r, 0, err)
}

// ErrorStatus is Error with status overriding the code's own when non-zero
// (an inactive source answers the status its owner chose).
func ErrorStatus(w http.ResponseWriter, r *http.Request, status int, err error) {
	code, msg := hookhub.ErrorCode(err), hookhub.ErrorMessage(err)
	if code == hookhub.EINTERNAL && errors.Is(err, context.DeadlineExceeded) {
		// Work that ran out of time (a StoreDeadline passed before the
		// store answered) is no fault of the request's: it may be retried.
		code, msg = hookhub.EUNAVAILABLE, "the request did not complete in time; retry later"
	}
	if status == 0 {
		status = Status(code)
	}
	if status >= 500 {
		Logger(r).Error("request failed", "status", status, "err", err)
	}
	detail := ErrorDetail{Code: code, Message: msg}
	if WantsHTML(r) {
		writeHTMLError(w, status, detail)
		return
	}
	JSON(w, status, ErrorBody{Error: detail})
}

// JSON answers v as JSON with status.
func JSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.Encode(v)
}
