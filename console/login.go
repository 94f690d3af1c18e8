package console

import (
	"net"
	"net/http"
	"strings"

	"github.com/hookhub/hookhub"
	"github.com/hookhub/hookhub/access"
	"github.com/hookhub/hookhub/web"
)

// loginCookie carries the sign-in form's token: the form has no session to
// derive a CSRF token from, so it is checked against this cookie instead.
const loginCookie = "hookhub_login"

type loginView struct {
	FormToken string
	Next      string
	Username  string
}

func (c *Console) handleLoginPage(w http.ResponseWriter, r *http.Request) {
	if _, err := c.access.Authenticate(r.Context(), access.SessionToken(r)); err == nil {
		http.Redirect(w, r, safeNext(r.URL.Query().Get("next")), http.StatusSeeOther)
		return
	}
	c.loginForm(w, r, http.StatusOK, "", "")
}

func (c *Console) loginForm(w http.ResponseWriter, r *http.Request, status int, username, msg string) {
	tok := access.NewFormToken()
	http.SetCookie(w, &http.Cookie{Name: loginCookie, Value: tok, Path: "/login", HttpOnly: true, Secure: c.secure,
		SameSite: http.SameSiteStrictMode, MaxAge: 3600})
	c.render(w, r, status, "login", view{Title: "Sign in", Error: msg,
		Data: loginView{FormToken: tok, Next: safeNext(r.FormValue("next")), Username: username}})
}

// handleLogin signs a user in: the form token must match its cookie, then
// the username and password; the session cookie is set and the browser goes
// where it was heading.
func (c *Console) handleLogin(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	ck, _ := r.Cookie(loginCookie)
	if ck == nil || !access.CheckFormToken(ck.Value, r.PostFormValue("csrf_token")) {
		web.Error(w, r, hookhub.Errorf(hookhub.EFORBIDDEN, "the sign-in form has expired or did not come from Hookhub; reload it and try again"))
		return
	}
	username := strings.TrimSpace(r.PostFormValue("username"))
	l, err := c.access.Login(r.Context(), username, r.PostFormValue("password"), clientIP(r), r.UserAgent())
	if err != nil {
		code := hookhub.ErrorCode(err)
		if code != hookhub.EUNAUTHORIZED && code != hookhub.ERATELIMIT {
			web.Error(w, r, err)
			return
		}
		c.loginForm(w, r, web.Status(code), username, hookhub.ErrorMessage(err))
		return
	}
	c.setSessionCookie(w, l)
	http.SetCookie(w, &http.Cookie{Name: loginCookie, Value: "", Path: "/login", MaxAge: -1})
	http.Redirect(w, r, safeNext(r.PostFormValue("next")), http.StatusSeeOther)
}

// handleLogout ends the session in the store, so the cookie is worthless
// even if copied.
func (c *Console) handleLogout(w http.ResponseWriter, r *http.Request) {
	if err := c.access.Logout(r.Context(), access.SessionToken(r)); err != nil {
		web.Error(w, r, err)
		return
	}
	c.clearSessionCookie(w)
	redirect(w, r, "/login", "Signed out.")
}

// safeNext keeps a post-sign-in redirect on this site.
func safeNext(next string) string {
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") {
		return "/"
	}
	return next
}

// clientIP is the request's peer address, for the sign-in limit.
func clientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}
