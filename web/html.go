package web

import (
	"html/template"
	"net/http"
	"strings"
)

// WantsHTML reports whether the request comes from a browser navigating to a
// page: it asks for text/html and is not a call to the JSON API or a webhook.
func WantsHTML(r *http.Request) bool {
	if r == nil || strings.HasPrefix(r.URL.Path, "/api/") || strings.HasPrefix(r.URL.Path, "/hooks/") {
		return false
	}
	return strings.Contains(r.Header.Get("Accept"), "text/html")
}

var errorPage = template.Must(template.New("error").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Status}} {{.Text}} · Hookhub</title><link rel="stylesheet" href="/static/console.css"></head>
<body class="bare"><main><h1>{{.Status}} {{.Text}}</h1><p class="error">{{.Message}}</p><p><a href="/">Back to Hookhub</a></p></main></body></html>
`))

func writeHTMLError(w http.ResponseWriter, status int, d ErrorDetail) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Set("Content-Security-Policy", "default-src 'self'; script-src 'none'; frame-ancestors 'none'; base-uri 'none'")
	w.Header().Set("Referrer-Policy", "same-origin")
	w.WriteHeader(status)
	errorPage.Execute(w, struct {
		Status        int
		Text, Message string
	}{status, http.StatusText(status), d.Message})
}
