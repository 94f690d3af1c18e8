package server

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"net/url"
	"time"
	"unicode/utf8"

	"github.com/hookhub/hookhub"
)

// eventJSON is an event as the inspector shows it.
type eventJSON struct {
	ID           string              `json:"id"`
	SourceID     string              `json:"source_id,omitempty"`
	Type         string              `json:"type"`
	Status       string              `json:"status"`
	ReceivedAt   time.Time           `json:"received_at"`
	Method       string              `json:"method,omitempty"`
	Path         string              `json:"path,omitempty"`
	Query        map[string][]string `json:"query"`
	Headers      map[string][]string `json:"headers"`
	Body         *string             `json:"body,omitempty"`
	BodyBase64   string              `json:"body_base64,omitempty"`
	BodyJSON     string              `json:"body_json,omitempty"` // indented; a string, since encoding/json compacts raw JSON values
	ClientIP     string              `json:"client_ip,omitempty"`
	Verification verificationOut     `json:"verification"`
	DedupKey     string              `json:"dedup_key,omitempty"`
	DuplicateOf  string              `json:"duplicate_of,omitempty"`
	Variables    map[string]any      `json:"variables"`
}

type verificationOut struct {
	Scheme string `json:"scheme"`
	Result string `json:"result"`
	Reason string `json:"reason,omitempty"`
}

// eventOut renders an event. withBody adds the body: as text when it is UTF-8,
// base64 otherwise, and as indented JSON text when it is JSON.
func eventOut(ev *hookhub.Event, withBody bool) eventJSON {
	q, _ := url.ParseQuery(ev.RawQuery)
	out := eventJSON{
		ID: ev.ID, SourceID: ev.SourceID, Type: ev.Type, Status: ev.Status, ReceivedAt: ev.ReceivedAt.UTC(),
		Method: ev.Method, Path: ev.Path, Query: q, Headers: ev.Headers, ClientIP: ev.ClientIP,
		Verification: verificationOut{Scheme: ev.Verification.Scheme, Result: ev.Verification.Result, Reason: ev.Verification.Reason},
		DedupKey:     ev.DedupKey, DuplicateOf: ev.DuplicateOf, Variables: ev.Variables,
	}
	if out.Headers == nil {
		out.Headers = map[string][]string{}
	}
	if out.Variables == nil {
		out.Variables = map[string]any{}
	}
	if !withBody {
		return out
	}
	if utf8.Valid(ev.Body) {
		s := string(ev.Body)
		out.Body = &s
		var pretty bytes.Buffer
		if len(ev.Body) > 0 && json.Indent(&pretty, ev.Body, "", "  ") == nil {
			out.BodyJSON = pretty.String()
		}
	} else {
		out.BodyBase64 = base64.StdEncoding.EncodeToString(ev.Body)
	}
	return out
}
