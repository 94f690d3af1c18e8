package server

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
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
	hookhub.EINTERNAL:      http.StatusInternalServerError,
	hookhub.EUNAVAILABLE:   http.StatusServiceUnavailable,
}

// errorBody is the one error shape every endpoint answers with.
type errorBody struct {
	Error errorDetail `json:"error"`
}

type errorDetail struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

// writeError answers err as {"error":{"code","message"}} with its status.
// Internal errors are logged with the request ID and never described to clients.
func (s *Server) writeError(w http.ResponseWriter, r *http.Request, err error) {
	code := hookhub.ErrorCode(err)
	status, ok := statusOf[code]
	if !ok {
		status = http.StatusInternalServerError
	}
	if status >= 500 {
		s.logger(r).Error("request failed", "status", status, "err", err)
	}
	writeJSON(w, status, errorBody{Error: errorDetail{Code: code, Message: hookhub.ErrorMessage(err)}})
}

// writeJSON answers v as JSON with status.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.Encode(v)
}

// decodeJSON reads a JSON request body of at most 1 MiB into v, refusing unknown
// fields so typos in field names are reported rather than ignored.
func decodeJSON(w http.ResponseWriter, r *http.Request, v any) error {
	return decodeJSONBody(w, r, v, true)
}

// decodeJSONBody is decodeJSON; rejectNUL refuses NUL characters anywhere in
// the body, for settings (published payloads are stored as bytes and may
// carry them).
func decodeJSONBody(w http.ResponseWriter, r *http.Request, v any, rejectNUL bool) error {
	if ct := r.Header.Get("Content-Type"); ct != "" && !isJSONType(ct) {
		return hookhub.Errorf(hookhub.EUNSUPPORTED, "request body must be application/json")
	}
	raw, err := io.ReadAll(http.MaxBytesReader(w, r.Body, 1<<20))
	if err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			return hookhub.Errorf(hookhub.ETOOLARGE, "request body larger than 1 MiB")
		}
		return hookhub.Errorf(hookhub.EINVALID, "could not read the request body")
	}
	// Settings are text: a NUL character cannot be stored by PostgreSQL and
	// has no use in a name, URL or header, so it is refused up front.
	if rejectNUL && bytes.Contains(raw, []byte(`\u0000`)) {
		return hookhub.Errorf(hookhub.EINVALID, "invalid JSON body: strings must not contain NUL characters")
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return hookhub.Errorf(hookhub.EINVALID, "invalid JSON body: %s", jsonErrorText(err))
	}
	if dec.More() {
		return hookhub.Errorf(hookhub.EINVALID, "invalid JSON body: more than one value")
	}
	return nil
}

func jsonErrorText(err error) string {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		return syn.Error()
	case errors.As(err, &typ):
		return "field " + typ.Field + " must be " + typ.Type.String()
	}
	return err.Error()
}

func isJSONType(ct string) bool {
	mt := ct
	for i := 0; i < len(ct); i++ {
		if ct[i] == ';' {
			mt = ct[:i]
			break
		}
	}
	return mt == "application/json" || len(mt) > 5 && mt[len(mt)-5:] == "+json"
}

// logger returns the request's logger, carrying its request ID.
func (s *Server) logger(r *http.Request) *slog.Logger {
	if id := requestID(r.Context()); id != "" {
		return s.log.With("request_id", id)
	}
	return s.log
}
