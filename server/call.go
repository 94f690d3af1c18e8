package server

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"

	"github.com/hookhub/hookhub"
	"github.com/hookhub/hookhub/access"
	"github.com/hookhub/hookhub/web"
)

// Call runs one API operation in-process on behalf of c, for the console:
// the console changes things through the very handlers the API serves, so
// validation, side effects (pings, routing, notifications, announcements)
// and the role check are the API's own, with no second copy. body is
// encoded as the JSON request; a 2xx answer is decoded into out (when not
// nil); any other answer comes back as the *hookhub.Error the API sent.
func (s *Server) Call(ctx context.Context, c access.Caller, method, path string, body, out any) error {
	var rd io.Reader = http.NoBody
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return err
		}
		rd = bytes.NewReader(b)
	}
	r := httptest.NewRequestWithContext(ctx, method, path, rd)
	if body != nil {
		r.Header.Set("Content-Type", "application/json")
	}
	r = access.WithCaller(r, c)
	w := httptest.NewRecorder()
	s.callMux().ServeHTTP(w, r)
	if w.Code >= 200 && w.Code < 300 {
		if out != nil && w.Body.Len() > 0 {
			return json.Unmarshal(w.Body.Bytes(), out)
		}
		return nil
	}
	var eb web.ErrorBody
	if err := json.Unmarshal(w.Body.Bytes(), &eb); err != nil || eb.Error.Code == "" {
		return hookhub.Errorf(hookhub.EINTERNAL, "%s %s answered %d", method, path, w.Code)
	}
	return &hookhub.Error{Code: eb.Error.Code, Message: eb.Error.Message}
}

// callMux is the API's mux, built once for in-process calls.
func (s *Server) callMux() *http.ServeMux {
	s.callOnce.Do(func() { s.inproc = s.apiMux(true) })
	return s.inproc
}
