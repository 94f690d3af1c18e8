package console

import (
	"embed"
	"mime"
	"net/http"
	"path"

	"github.com/hookhub/hookhub"
	"github.com/hookhub/hookhub/web"
)

//go:embed static
var staticFiles embed.FS

// handleStatic serves the console's stylesheet and scripts: files, never
// inline, so the CSP can forbid inline script.
func (c *Console) handleStatic(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("file")
	b, err := staticFiles.ReadFile("static/" + path.Base(name))
	if err != nil {
		web.Error(w, r, hookhub.Errorf(hookhub.ENOTFOUND, "no such file"))
		return
	}
	w.Header().Set("Content-Type", mime.TypeByExtension(path.Ext(name)))
	w.Header().Set("Cache-Control", "public, max-age=300")
	w.Write(b)
}
