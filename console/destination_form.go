package console

import (
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/hookhub/hookhub"
	"github.com/hookhub/hookhub/web"
)

// destinationForm is seed 000's form: name, URL or bus settings, severities,
// alert types, log types, custom headers (values write-only), manual
// dispatch, retry and timeout.
type destinationForm struct {
	D          apiDestination
	HeaderRows []headerRow
	Bus        []busFieldset
	Types      []string
	Severities []string
	Schemes    []string
	Sources    []*hookhub.Source
}

// headerRow is one custom header; a stored value shows masked and is kept
// unless a new one is typed.
type headerRow struct {
	Name  string
	IsSet bool
}

var signingSchemes = []string{hookhub.SignStandardWebhooks, hookhub.SignHubSignature, hookhub.SignTimestampBody, hookhub.SignNone}

func (c *Console) handleDestinationNew(w http.ResponseWriter, r *http.Request) {
	d := apiDestination{Type: hookhub.DestinationWebhook, AllowManualDispatch: true, TimeoutSeconds: hookhub.DefaultTimeoutSec}
	d.Retry.MaxRetries = hookhub.DefaultMaxRetries
	d.Signing.Scheme = hookhub.SignStandardWebhooks
	c.destinationFormPage(w, r, http.StatusOK, d, "")
}

func (c *Console) handleDestinationEdit(w http.ResponseWriter, r *http.Request) {
	d, err := c.getDestination(r.Context(), callerOf(r), r.PathValue("id"))
	if err != nil {
		web.Error(w, r, err)
		return
	}
	c.destinationFormPage(w, r, http.StatusOK, *d, "")
}

func (c *Console) destinationFormPage(w http.ResponseWriter, r *http.Request, status int, d apiDestination, msg string) {
	sources, _, err := c.sourceNames(r)
	if err != nil {
		web.Error(w, r, err)
		return
	}
	f := destinationForm{D: d, Bus: busForm(d.Type, d.Bus), Types: hookhub.DestinationTypes, Schemes: signingSchemes,
		Severities: []string{hookhub.SeverityCritical, hookhub.SeverityHigh, hookhub.SeverityMedium, hookhub.SeverityLow, hookhub.SeverityInfo},
		Sources:    sources}
	names := make([]string, 0, len(d.Headers))
	for k := range d.Headers {
		names = append(names, k)
	}
	slices.Sort(names)
	for _, k := range names {
		f.HeaderRows = append(f.HeaderRows, headerRow{Name: k, IsSet: true})
	}
	for range 3 {
		f.HeaderRows = append(f.HeaderRows, headerRow{})
	}
	title := "New destination"
	if d.ID != "" {
		title = "Edit " + d.Name
	}
	c.render(w, r, status, "destination_form", view{Title: title, Nav: "destinations", Error: msg, Data: f})
}

// readDestinationForm turns the form into the API's body, and into the
// destination to show again if the API refuses it.
func readDestinationForm(r *http.Request, old *apiDestination) (map[string]any, apiDestination) {
	v := func(k string) string { return strings.TrimSpace(r.PostFormValue(k)) }
	d := apiDestination{ID: old.ID, Name: v("name"), Type: v("type"), URL: v("url"), Headers: map[string]string{},
		AllowManualDispatch: v("allow_manual_dispatch") == "on", Filter: apiFilter{
			EventTypes: splitList(v("event_types")), Severities: nonNilList(r.PostForm["severities"]),
			SourceIDs: nonNilList(r.PostForm["source_ids"]), AlertTypes: splitList(v("alert_types")),
			LogTypes: splitList(v("log_types")), Expression: v("expression")}}
	d.Signing.Scheme = v("signing_scheme")
	d.TimeoutSeconds, _ = strconv.Atoi(v("timeout_seconds"))
	d.Retry.MaxRetries, _ = strconv.Atoi(v("max_retries"))
	for i, name := range r.PostForm["header_name"] {
		name = strings.TrimSpace(name)
		if name == "" {
			continue
		}
		value := ""
		if vals := r.PostForm["header_value"]; i < len(vals) {
			value = vals[i]
		}
		if value == "" && old.Headers[name] != "" {
			value = old.Headers[name] // the masked value: the API keeps what is stored
		}
		d.Headers[name] = value
	}
	body := map[string]any{"name": d.Name, "type": d.Type, "headers": d.Headers, "filter": d.Filter,
		"allow_manual_dispatch": d.AllowManualDispatch, "timeout_seconds": d.TimeoutSeconds,
		"retry": map[string]any{"max_retries": d.Retry.MaxRetries}}
	if d.Type == hookhub.DestinationWebhook || d.Type == "" {
		body["url"] = d.URL
		body["signing"] = map[string]string{"scheme": d.Signing.Scheme}
	} else {
		d.Bus = readBusFields(d.Type, v)
		body[d.Type] = d.Bus
	}
	return body, d
}

func (c *Console) handleDestinationCreate(w http.ResponseWriter, r *http.Request) {
	body, d := readDestinationForm(r, &apiDestination{})
	var out apiDestination
	if err := c.api.Call(r.Context(), callerOf(r), "POST", "/api/v1/destinations", body, &out); err != nil {
		c.formError(w, r, err, func(status int, msg string) { c.destinationFormPage(w, r, status, d, msg) })
		return
	}
	c.showSecretOnce(w, r, out)
}

// showSecretOnce shows a new destination with its signing secret, which is
// never shown again.
func (c *Console) showSecretOnce(w http.ResponseWriter, r *http.Request, out apiDestination) {
	if out.Secret == "" {
		redirect(w, r, "/destinations/"+out.ID, "Destination created.")
		return
	}
	c.render(w, r, http.StatusCreated, "secret_once", view{Title: "Destination created", Nav: "destinations", Data: out})
}

func (c *Console) handleDestinationUpdate(w http.ResponseWriter, r *http.Request) {
	old, err := c.getDestination(r.Context(), callerOf(r), r.PathValue("id"))
	if err != nil {
		web.Error(w, r, err)
		return
	}
	body, d := readDestinationForm(r, old)
	var out apiDestination
	if err := c.api.Call(r.Context(), callerOf(r), "PATCH", "/api/v1/destinations/"+old.ID, body, &out); err != nil {
		c.formError(w, r, err, func(status int, msg string) { c.destinationFormPage(w, r, status, d, msg) })
		return
	}
	if out.Secret != "" {
		c.render(w, r, http.StatusOK, "secret_once", view{Title: "Destination saved", Nav: "destinations", Data: out})
		return
	}
	redirect(w, r, "/destinations/"+old.ID, "Destination saved.")
}
