package console

import (
	"bytes"
	"embed"
	"encoding/json"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"net/url"
	"path"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/hookhub/hookhub"
	"github.com/hookhub/hookhub/access"
	"github.com/hookhub/hookhub/web"
)

//go:embed templates/*.html
var templateFiles embed.FS

// pages holds every page's template: the layout with that page's blocks.
type pages struct {
	byName map[string]*template.Template
}

func loadPages() *pages {
	layout := template.Must(template.New("layout.html").Funcs(funcs).ParseFS(templateFiles, "templates/layout.html", "templates/partials.html"))
	names, err := fs.Glob(templateFiles, "templates/*.html")
	if err != nil {
		panic(err)
	}
	p := &pages{byName: map[string]*template.Template{}}
	for _, n := range names {
		base := path.Base(n)
		if base == "layout.html" || base == "partials.html" {
			continue
		}
		p.byName[strings.TrimSuffix(base, ".html")] = template.Must(template.Must(layout.Clone()).ParseFS(templateFiles, n))
	}
	return p
}

// view is what every page template gets.
type view struct {
	Title  string
	Nav    string // the sidebar section to highlight
	Caller access.Caller
	CSRF   string
	Flash  string
	Error  string // a failed action's message, shown above the content
	Data   any
}

// render answers a page. A template error after the first byte cannot change
// the status, so the page is rendered into a buffer first.
func (c *Console) render(w http.ResponseWriter, r *http.Request, status int, name string, v view) {
	t, ok := c.pages.byName[name]
	if !ok {
		panic("console: no page " + name)
	}
	v.Caller = callerOf(r)
	if tok := access.SessionToken(r); tok != "" && v.Caller.Actor != "" {
		v.CSRF = access.CSRFToken(tok)
	}
	if msg := takeFlash(w, r); strings.HasPrefix(msg, "!") && v.Error == "" {
		v.Error = msg[1:]
	} else if v.Flash == "" {
		v.Flash = msg
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout.html", v); err != nil {
		c.log.Error("render page", "page", name, "err", err)
		web.Error(w, r, fmt.Errorf("render %s: %w", name, err))
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

const flashCookie = "hookhub_flash"

// redirect answers a successful form post: back to a page, with a short
// message to show there once (post, redirect, get).
func redirect(w http.ResponseWriter, r *http.Request, to, flash string) {
	if flash != "" {
		http.SetCookie(w, &http.Cookie{Name: flashCookie, Value: url.QueryEscape(flash), Path: "/", MaxAge: 60,
			HttpOnly: true, SameSite: http.SameSiteLaxMode})
	}
	http.Redirect(w, r, to, http.StatusSeeOther)
}

// redirectError is redirect with a message saying what went wrong.
func redirectError(w http.ResponseWriter, r *http.Request, to, msg string) {
	redirect(w, r, to, "!"+msg)
}

// actionError answers a refused button press: back to the page with the
// reason when it is about what the user asked (a conflict, a rule), the
// error page otherwise.
func (c *Console) actionError(w http.ResponseWriter, r *http.Request, err error, back string) {
	switch hookhub.ErrorCode(err) {
	case hookhub.EINVALID, hookhub.ECONFLICT, hookhub.EFORBIDDEN, hookhub.EUNPROCESSABLE:
		redirectError(w, r, back, hookhub.ErrorMessage(err))
	default:
		web.Error(w, r, err)
	}
}

func takeFlash(w http.ResponseWriter, r *http.Request) string {
	ck, err := r.Cookie(flashCookie)
	if err != nil {
		return ""
	}
	http.SetCookie(w, &http.Cookie{Name: flashCookie, Value: "", Path: "/", MaxAge: -1})
	msg, _ := url.QueryUnescape(ck.Value)
	return msg
}

var funcs = template.FuncMap{
	"ts":     formatTime,
	"ago":    ago,
	"pretty": prettyBody,
	"text":   bodyText,
	"join":   strings.Join,
	"upper":  strings.ToUpper,
	"title":  func(s string) string { return strings.ToUpper(s[:min(1, len(s))]) + s[min(1, len(s)):] },
	"short":  shortID,
	"qs":     queryString,
	"json":   indentJSON,
	"add":    func(a, b int) int { return a + b },
	"list":   func(s ...string) []string { return s },
	"inList": func(list []string, s string) bool { return contains(list, s) },
	"pct": func(part, whole int) string {
		if whole == 0 {
			return "—"
		}
		return fmt.Sprintf("%.1f%%", 100*float64(part)/float64(whole))
	},
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func formatTime(t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	return t.UTC().Format("2006-01-02 15:04:05 UTC")
}

func ago(t time.Time) string {
	if t.IsZero() {
		return "never"
	}
	d := time.Since(t)
	switch {
	case d < 0:
		return "in " + (-d).Round(time.Second).String()
	case d < time.Minute:
		return fmt.Sprintf("%ds ago", int(d.Seconds()))
	case d < time.Hour:
		return fmt.Sprintf("%dm ago", int(d.Minutes()))
	case d < 48*time.Hour:
		return fmt.Sprintf("%dh ago", int(d.Hours()))
	}
	return fmt.Sprintf("%dd ago", int(d.Hours()/24))
}

// shortID trims an ID's random tail for tables; the full ID is in the link.
func shortID(id string) string {
	if len(id) > 14 {
		return id[:4] + "…" + id[len(id)-8:]
	}
	return id
}

// prettyBody shows a body as indented JSON when it is JSON, else as text.
func prettyBody(b []byte) string {
	var buf bytes.Buffer
	if json.Indent(&buf, b, "", "  ") == nil {
		return buf.String()
	}
	return bodyText(b)
}

// bodyText shows a body as text, or says it is binary.
func bodyText(b []byte) string {
	if utf8.Valid(b) {
		return string(b)
	}
	return fmt.Sprintf("(%d bytes of binary data)", len(b))
}

func indentJSON(v any) string {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}

// queryString builds "?k=v&…" from pairs, leaving out empty values.
func queryString(pairs ...string) string {
	q := url.Values{}
	for i := 0; i+1 < len(pairs); i += 2 {
		if pairs[i+1] != "" {
			q.Set(pairs[i], pairs[i+1])
		}
	}
	if len(q) == 0 {
		return ""
	}
	return "?" + q.Encode()
}

func itoa(n int) string { return fmt.Sprint(n) }
