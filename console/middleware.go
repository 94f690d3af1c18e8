package console

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/hookhub/hookhub"
	"github.com/hookhub/hookhub/access"
	"github.com/hookhub/hookhub/web"
)

// csp allows nothing inline and nothing from elsewhere: scripts and styles
// are the console's own files, and no page may be framed.
const csp = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
	"object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

// securityHeaders sets the headers every console answer carries.
func securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", csp)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		if !strings.HasPrefix(r.URL.Path, "/static/") {
			h.Set("Cache-Control", "no-store")
		}
		next.ServeHTTP(w, r)
	})
}

// session admits a request with a live console session and records its
// caller; without one, a page asks to sign in (and comes back after).
func (c *Console) session(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		token := access.SessionToken(r)
		caller, err := c.access.Authenticate(r.Context(), token)
		if err != nil {
			if hookhub.ErrorCode(err) != hookhub.EUNAUTHORIZED {
				web.Error(w, r, err)
				return
			}
			if token != "" {
				c.clearSessionCookie(w)
			}
			if r.Method != http.MethodGet {
				web.Error(w, r, err)
				return
			}
			http.Redirect(w, r, "/login?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
			return
		}
		next.ServeHTTP(w, access.WithCaller(r, caller))
	})
}

// csrf refuses a form post whose csrf_token is missing or not the session's:
// 403, before anything is read or changed.
func (c *Console) csrf(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodGet || r.Method == http.MethodHead {
			next.ServeHTTP(w, r)
			return
		}
		r.Body = http.MaxBytesReader(w, r.Body, maxForm)
		if !access.CheckCSRF(access.SessionToken(r), r.PostFormValue("csrf_token")) {
			web.Error(w, r, hookhub.Errorf(hookhub.EFORBIDDEN, "this form has expired or did not come from Hookhub (CSRF token missing or wrong); reload the page and try again"))
			return
		}
		next.ServeHTTP(w, r)
	})
}

// maxForm bounds a console form post.
const maxForm = 1 << 20

// requireRole refuses a caller below role with 403.
func (c *Console) requireRole(role string, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !callerOf(r).Can(role) {
			web.Error(w, r, access.Forbidden(role))
			return
		}
		next.ServeHTTP(w, r)
	})
}

func callerOf(r *http.Request) access.Caller {
	caller, _ := access.CallerFrom(r.Context())
	return caller
}

// setSessionCookie hands the browser its session: HttpOnly so scripts never
// see it, SameSite=Lax so other sites' posts do not carry it, Secure when
// Hookhub is served over https.
func (c *Console) setSessionCookie(w http.ResponseWriter, l *access.Login) {
	http.SetCookie(w, &http.Cookie{Name: access.SessionCookie, Value: l.Token, Path: "/", Expires: l.Session.ExpiresAt,
		HttpOnly: true, Secure: c.secure, SameSite: http.SameSiteLaxMode})
}

func (c *Console) clearSessionCookie(w http.ResponseWriter) {
	http.SetCookie(w, &http.Cookie{Name: access.SessionCookie, Value: "", Path: "/", MaxAge: -1,
		HttpOnly: true, Secure: c.secure, SameSite: http.SameSiteLaxMode})
}
