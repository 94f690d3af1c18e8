package server

import (
	"context"
	"net/http"
	"strings"

	"github.com/hookhub/hookhub"
	"github.com/hookhub/hookhub/access"
	"github.com/hookhub/hookhub/web"
)

// authorize admits a request whose caller has at least role: an API key in
// the Authorization header or, where session is set, the console's session
// cookie (a browser's EventSource cannot send a header). The key or session
// is looked up in the store on every request, so revoking one takes effect
// at once on every replica. The caller is recorded for audit trails.
func (s *Server) authorize(role string, session bool, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, err := s.caller(r, session)
		if err != nil {
			if hookhub.ErrorCode(err) == hookhub.EUNAUTHORIZED {
				w.Header().Set("WWW-Authenticate", `Bearer realm="hookhub"`)
			}
			web.Error(w, r, err)
			return
		}
		if !c.Can(role) {
			web.Error(w, r, access.Forbidden(role))
			return
		}
		next.ServeHTTP(w, access.WithCaller(r, c))
	})
}

func (s *Server) caller(r *http.Request, session bool) (access.Caller, error) {
	// An in-process call (Call) carries its caller already; a network
	// request cannot, since context values do not cross the wire.
	if c, ok := access.CallerFrom(r.Context()); ok {
		return c, nil
	}
	h := r.Header.Get("Authorization")
	if h == "" && session {
		if tok := access.SessionToken(r); tok != "" {
			return s.access.Authenticate(r.Context(), tok)
		}
	}
	token, ok := bearerToken(h)
	if !ok {
		return access.Caller{}, hookhub.Errorf(hookhub.EUNAUTHORIZED, "missing API key: send Authorization: Bearer <key>")
	}
	return s.access.AuthenticateKey(r.Context(), token)
}

// bearerToken reads "Bearer <token>"; the scheme is case-insensitive, as
// every HTTP auth scheme is (RFC 9110 §11.1).
func bearerToken(header string) (string, bool) {
	scheme, token, _ := strings.Cut(strings.TrimSpace(header), " ")
	token = strings.TrimSpace(token)
	return token, strings.EqualFold(scheme, "Bearer") && token != ""
}

// actor returns who is acting in this request.
func actor(ctx context.Context) string { return access.Actor(ctx) }
