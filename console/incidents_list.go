package console

import (
	"net/http"

	"github.com/hookhub/hookhub"
	"github.com/hookhub/hookhub/web"
)

// incidentsPage is seed 003's incident list with its filters.
type incidentsPage struct {
	Incidents  []*hookhub.Incident
	Next       string
	Sources    []*hookhub.Source
	Names      map[string]string
	Status     string
	Severity   string
	SourceID   string
	Query      string
	Statuses   []string
	Severities []string
}

func (c *Console) handleIncidents(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	p := incidentsPage{Status: q.Get("status"), Severity: q.Get("severity"), SourceID: q.Get("source_id"), Query: q.Get("q"),
		Statuses:   []string{hookhub.IncidentTriggered, hookhub.IncidentAcknowledged, hookhub.IncidentResolved, hookhub.IncidentClosed},
		Severities: []string{hookhub.SeverityCritical, hookhub.SeverityHigh, hookhub.SeverityMedium, hookhub.SeverityLow, hookhub.SeverityInfo}}
	if !contains(p.Statuses, p.Status) {
		p.Status = ""
	}
	if !contains(p.Severities, p.Severity) {
		p.Severity = ""
	}
	list, next, err := c.store.ListIncidents(r.Context(), hookhub.IncidentFilter{Status: p.Status, Severity: p.Severity,
		SourceID: p.SourceID, Query: p.Query, Page: hookhub.Page{Cursor: q.Get("cursor"), Limit: 50}})
	if err != nil {
		web.Error(w, r, err)
		return
	}
	p.Incidents, p.Next = list, pageLink(r, next)
	if p.Sources, p.Names, err = c.sourceNames(r); err != nil {
		web.Error(w, r, err)
		return
	}
	c.render(w, r, http.StatusOK, "incidents", view{Title: "Incidents", Nav: "incidents", Data: p})
}
