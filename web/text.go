package web

import (
	"net/http"
	"strings"
	"unicode/utf8"

	"github.com/hookhub/hookhub"
)

// TextOnly refuses a request whose path or, under apiPrefix, query holds
// something that is not text once decoded: a NUL character or bytes that are
// not UTF-8. No ID, key or filter value Hookhub stores is like that
// (PostgreSQL cannot even compare such text), so the path answers 404 and the
// query 400 here, before any handler, authentication or database sees them,
// and both stores answer alike. Webhook queries outside apiPrefix are stored
// as received (made storable), so a sender's odd bytes do not cost it its
// event.
func TextOnly(apiPrefix string, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !IsText(r.URL.Path) {
			Error(w, r, hookhub.Errorf(hookhub.ENOTFOUND, "no such endpoint"))
			return
		}
		if strings.HasPrefix(r.URL.Path, apiPrefix) {
			for k, vs := range r.URL.Query() {
				if !IsText(k) {
					Error(w, r, hookhub.Errorf(hookhub.EINVALID, "query parameter names must be UTF-8 text without NUL characters"))
					return
				}
				for _, v := range vs {
					if !IsText(v) {
						Error(w, r, hookhub.Errorf(hookhub.EINVALID, "query parameter %s must be UTF-8 text without NUL characters", k))
						return
					}
				}
			}
		}
		next.ServeHTTP(w, r)
	})
}

// IsText reports whether s is valid UTF-8 without NUL characters: text that
// both stores keep and compare alike.
func IsText(s string) bool {
	return utf8.ValidString(s) && strings.IndexByte(s, 0) < 0
}
