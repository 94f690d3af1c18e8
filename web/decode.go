package web

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"

	"github.com/hookhub/hookhub"
	"github.com/hookhub/hookhub/mediatype"
)

// MaxJSONBody is the largest management request body DecodeJSON reads.
const MaxJSONBody = 1 << 20

// DecodeJSON reads a JSON request body of at most MaxJSONBody into v,
// refusing unknown fields so typos in field names are reported rather than
// ignored, and NUL characters, which no setting has a use for and
// PostgreSQL cannot store.
func DecodeJSON(w http.ResponseWriter, r *http.Request, v any) error {
	return DecodeJSONBody(w, r, v, true)
}

// DecodeJSONBody is DecodeJSON; rejectNUL refuses NUL characters anywhere in
// the body (published payloads are stored as bytes and may carry them).
func DecodeJSONBody(w http.ResponseWriter, r *http.Request, v any, rejectNUL bool) error {
	if err := CheckJSONContentType(r); err != nil {
		return err
	}
	raw, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxJSONBody))
	if err != nil {
		return readError(err, "request body larger than 1 MiB")
	}
	if rejectNUL && bytes.Contains(raw, []byte(`\u0000`)) {
		return hookhub.Errorf(hookhub.EINVALID, "invalid JSON body: strings must not contain NUL characters")
	}
	return Unmarshal(raw, v)
}

// CheckJSONContentType refuses a request whose Content-Type is set and is not
// JSON (an absent one is taken as JSON, as curl users expect).
func CheckJSONContentType(r *http.Request) error {
	if ct := r.Header.Get("Content-Type"); ct != "" && !mediatype.IsJSON(ct) {
		return hookhub.Errorf(hookhub.EUNSUPPORTED, "request body must be application/json")
	}
	return nil
}

// Unmarshal decodes exactly one JSON value into v, refusing unknown fields,
// with an EINVALID error that says what is wrong.
func Unmarshal(raw []byte, v any) error {
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

// readError turns a failed body read into ETOOLARGE (with tooLarge as the
// message), ETIMEOUT (the body did not arrive in time) or EINVALID.
func readError(err error, tooLarge string) error {
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return hookhub.Errorf(hookhub.ETOOLARGE, "%s", tooLarge)
	}
	if hookhub.ErrorCode(err) == hookhub.ETIMEOUT {
		return err
	}
	return hookhub.Errorf(hookhub.EINVALID, "could not read the request body")
}

// ReadBody reads at most limit bytes of the request body, as ETOOLARGE with
// tooLarge as the message when there is more.
func ReadBody(w http.ResponseWriter, r *http.Request, limit int64, tooLarge string) ([]byte, error) {
	raw, err := io.ReadAll(http.MaxBytesReader(w, r.Body, limit))
	if err != nil {
		return nil, readError(err, tooLarge)
	}
	return raw, nil
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
