package console

import (
	"net/http"
	"strings"

	"github.com/hookhub/hookhub"
	"github.com/hookhub/hookhub/web"
)

// incidentPage is seed 003's detail page: the incident, the buttons its
// status allows, and the timeline with each webhook's raw payload.
type incidentPage struct {
	I        *hookhub.Incident
	Source   string
	Actions  []incidentAction
	Timeline []timelineRow
	More     bool
}

// incidentAction is a button: its label (the seed's word) and API action.
type incidentAction struct {
	Label, Action string
}

// incidentActions are the lifecycle buttons in the order they are shown.
var incidentActions = []incidentAction{
	{"Ack", hookhub.ActionAcknowledge}, {"Resolve", hookhub.ActionResolve},
	{"Close", hookhub.ActionClose}, {"Reopen", hookhub.ActionReopen},
}

// allowedActions returns the buttons an incident in status offers: those
// hookhub.NextStatus accepts, the same rule the API applies.
func allowedActions(status string) []incidentAction {
	var out []incidentAction
	for _, a := range incidentActions {
		if _, err := hookhub.NextStatus(status, a.Action); err == nil {
			out = append(out, a)
		}
	}
	return out
}

// timelineRow is an entry with its actor's name and the webhook it records.
type timelineRow struct {
	*hookhub.TimelineEntry
	Who   string
	Event *hookhub.Event
}

func (c *Console) handleIncident(w http.ResponseWriter, r *http.Request) {
	inc, err := c.store.GetIncident(r.Context(), r.PathValue("id"))
	if err != nil {
		web.Error(w, r, err)
		return
	}
	entries, next, err := c.store.ListTimeline(r.Context(), inc.ID, hookhub.Page{Limit: 200})
	if err != nil {
		web.Error(w, r, err)
		return
	}
	p := incidentPage{I: inc, More: next != ""}
	if callerOf(r).Can(responder) {
		p.Actions = allowedActions(inc.Status)
	}
	if inc.SourceID != "" {
		if src, err := c.store.GetSource(r.Context(), inc.SourceID); err == nil {
			p.Source = src.Name
		}
	}
	if p.Timeline, err = c.timelineRows(r, entries); err != nil {
		web.Error(w, r, err)
		return
	}
	c.render(w, r, http.StatusOK, "incident", view{Title: inc.Title, Nav: "incidents", Data: p})
}

// timelineRows names each entry's actor and attaches its webhook.
func (c *Console) timelineRows(r *http.Request, entries []*hookhub.TimelineEntry) ([]timelineRow, error) {
	var ids []string
	for _, e := range entries {
		if e.EventID != "" {
			ids = append(ids, e.EventID)
		}
	}
	events := map[string]*hookhub.Event{}
	if len(ids) > 0 {
		list, err := c.store.GetEvents(r.Context(), ids)
		if err != nil {
			return nil, err
		}
		for _, ev := range list {
			events[ev.ID] = ev
		}
	}
	names := c.actorNames(r)
	rows := make([]timelineRow, len(entries))
	for i, e := range entries {
		rows[i] = timelineRow{TimelineEntry: e, Who: names(e.Actor), Event: events[e.EventID]}
	}
	return rows, nil
}

// actorNames returns a function naming an actor ("user:usr_…") for people.
func (c *Console) actorNames(r *http.Request) func(string) string {
	users := map[string]string{}
	if list, err := c.store.ListUsers(r.Context()); err == nil {
		for _, u := range list {
			users[u.ID] = u.Username
		}
	}
	return func(actor string) string {
		if id, ok := strings.CutPrefix(actor, "user:"); ok && users[id] != "" {
			return users[id]
		}
		if id, ok := strings.CutPrefix(actor, "apikey:"); ok {
			return "API key " + shortID(id)
		}
		return actor
	}
}
