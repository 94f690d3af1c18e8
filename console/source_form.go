package console

import (
	"net/http"
	"strings"

	"github.com/hookhub/hookhub"
	"github.com/hookhub/hookhub/web"
)

// sourceForm is the create and edit form: the fields each type needs.
// Secrets are write-only: the form never shows them, and leaving one blank
// keeps the stored value.
type sourceForm struct {
	ID           string
	Name         string
	Type         string
	Active       bool
	Scheme       string
	Header       string
	Username     string
	SecretSet    bool
	Destinations []*hookhub.Destination
	Selected     []string
	Types        []string
	Schemes      []string
}

// schemes a form may pick; "" keeps the one the type implies.
var formSchemes = []string{"", "none", "token", "basic", "hmac"}

func (c *Console) handleSourceNew(w http.ResponseWriter, r *http.Request) {
	c.sourceFormPage(w, r, http.StatusOK, sourceForm{Type: hookhub.SourceGeneric, Active: true}, "")
}

func (c *Console) handleSourceEdit(w http.ResponseWriter, r *http.Request) {
	src, err := c.store.GetSource(r.Context(), r.PathValue("id"))
	if err != nil {
		web.Error(w, r, err)
		return
	}
	v := src.Verification
	f := sourceForm{ID: src.ID, Name: src.Name, Type: src.Type, Active: src.Active, Scheme: v.Scheme, Header: v.Header,
		Username: v.Username, SecretSet: v.Secret != "" || v.Password != "", Selected: src.DestinationIDs}
	c.sourceFormPage(w, r, http.StatusOK, f, "")
}

func (c *Console) sourceFormPage(w http.ResponseWriter, r *http.Request, status int, f sourceForm, msg string) {
	dests, err := c.allDestinations(r)
	if err != nil {
		web.Error(w, r, err)
		return
	}
	f.Destinations, f.Types, f.Schemes = dests, hookhub.SourceTypes, formSchemes
	title := "New source"
	if f.ID != "" {
		title = "Edit " + f.Name
	}
	c.render(w, r, status, "source_form", view{Title: title, Nav: "sources", Error: msg, Data: f})
}

// readSourceForm turns the posted form into the API's source body and the
// form to show again if the API refuses it.
func readSourceForm(r *http.Request, id string) (map[string]any, sourceForm) {
	f := sourceForm{ID: id, Name: strings.TrimSpace(r.PostFormValue("name")), Type: r.PostFormValue("type"),
		Active: r.PostFormValue("active") == "on", Scheme: r.PostFormValue("scheme"),
		Header: strings.TrimSpace(r.PostFormValue("header")), Username: strings.TrimSpace(r.PostFormValue("username")),
		Selected: r.PostForm["destination_ids"]}
	body := map[string]any{"name": f.Name, "type": f.Type, "active": f.Active, "destination_ids": nonNilList(f.Selected)}
	ver := map[string]any{"scheme": f.Scheme, "header": f.Header, "username": f.Username}
	if s := r.PostFormValue("secret"); s != "" {
		ver["secret"] = s
	}
	if p := r.PostFormValue("password"); p != "" {
		ver["password"] = p
	}
	body["verification"] = ver
	return body, f
}

func nonNilList(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// apiSource is the part of the API's source answer the console reads.
type apiSource struct {
	ID string `json:"id"`
}

func (c *Console) handleSourceCreate(w http.ResponseWriter, r *http.Request) {
	body, f := readSourceForm(r, "")
	var out apiSource
	if err := c.api.Call(r.Context(), callerOf(r), "POST", "/api/v1/sources", body, &out); err != nil {
		c.formError(w, r, err, func(status int, msg string) { c.sourceFormPage(w, r, status, f, msg) })
		return
	}
	redirect(w, r, "/sources/"+out.ID, "Source created. Copy its URL into the sending system.")
}

func (c *Console) handleSourceUpdate(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	body, f := readSourceForm(r, id)
	if err := c.api.Call(r.Context(), callerOf(r), "PATCH", "/api/v1/sources/"+id, body, nil); err != nil {
		c.formError(w, r, err, func(status int, msg string) { c.sourceFormPage(w, r, status, f, msg) })
		return
	}
	redirect(w, r, "/sources/"+id, "Source saved.")
}

// formError shows a refused form again with the API's message, or answers
// the error page for anything that is not the user's input.
func (c *Console) formError(w http.ResponseWriter, r *http.Request, err error, again func(status int, msg string)) {
	switch code := hookhub.ErrorCode(err); code {
	case hookhub.EINVALID, hookhub.ECONFLICT, hookhub.EUNPROCESSABLE:
		again(web.Status(code), hookhub.ErrorMessage(err))
	default:
		web.Error(w, r, err)
	}
}
