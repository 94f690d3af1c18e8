package console

import (
	"net/http"

	"github.com/hookhub/hookhub"
	"github.com/hookhub/hookhub/web"
)

// sourceRow is a source with its webhook URL.
type sourceRow struct {
	*hookhub.Source
	URL string
}

func (c *Console) handleSources(w http.ResponseWriter, r *http.Request) {
	list, next, err := c.store.ListSources(r.Context(), hookhub.Page{Cursor: r.URL.Query().Get("cursor"), Limit: 100})
	if err != nil {
		web.Error(w, r, err)
		return
	}
	rows := make([]sourceRow, len(list))
	for i, s := range list {
		rows[i] = sourceRow{Source: s, URL: c.sourceURL(s)}
	}
	c.render(w, r, http.StatusOK, "sources", view{Title: "Sources", Nav: "sources",
		Data: map[string]any{"Sources": rows, "Next": pageLink(r, next)}})
}

// pageLink is the link to the page after this one, keeping the filters.
func pageLink(r *http.Request, next string) string {
	if next == "" {
		return ""
	}
	q := r.URL.Query()
	q.Set("cursor", next)
	return r.URL.Path + "?" + q.Encode()
}
