package client

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"
	"time"
)

// calls exercises one client method per API operation, keyed by the
// operation's operationId in server/openapi.json. A new operation there fails
// TestClientCoversOpenAPI until the client has a method for it.
var calls = map[string]func(ctx context.Context, c *Client) error{
	"readyz":       func(ctx context.Context, c *Client) error { return c.Ready(ctx) },
	"listSources":  func(ctx context.Context, c *Client) error { _, err := c.ListSources(ctx, ListOptions{}); return err },
	"createSource": func(ctx context.Context, c *Client) error { _, err := c.CreateSource(ctx, SourceInput{}); return err },
	"getSource":    func(ctx context.Context, c *Client) error { _, err := c.GetSource(ctx, "X1"); return err },
	"updateSource": func(ctx context.Context, c *Client) error {
		_, err := c.UpdateSource(ctx, "X1", SourceInput{})
		return err
	},
	"deleteSource":       func(ctx context.Context, c *Client) error { return c.DeleteSource(ctx, "X1") },
	"rotateSourceSecret": func(ctx context.Context, c *Client) error { _, err := c.RotateSourceSecret(ctx, "X1", "s"); return err },
	"listEvents": func(ctx context.Context, c *Client) error {
		_, err := c.ListEvents(ctx, EventListOptions{})
		return err
	},
	"publishEvent": func(ctx context.Context, c *Client) error {
		_, err := c.PublishEvent(ctx, "t", Object{}, "")
		return err
	},
	"streamEvents": streamCall,
	"getEvent":     func(ctx context.Context, c *Client) error { _, err := c.GetEvent(ctx, "X1"); return err },
	"replayEvent":  func(ctx context.Context, c *Client) error { _, err := c.ReplayEvent(ctx, "X1"); return err },
	"listDestinations": func(ctx context.Context, c *Client) error {
		_, err := c.ListDestinations(ctx, ListOptions{})
		return err
	},
	"createDestination": func(ctx context.Context, c *Client) error {
		_, err := c.CreateDestination(ctx, DestinationInput{})
		return err
	},
	"getDestination": func(ctx context.Context, c *Client) error { _, err := c.GetDestination(ctx, "X1"); return err },
	"updateDestination": func(ctx context.Context, c *Client) error {
		_, err := c.UpdateDestination(ctx, "X1", DestinationInput{})
		return err
	},
	"deleteDestination": func(ctx context.Context, c *Client) error { return c.DeleteDestination(ctx, "X1") },
	"enableDestination": func(ctx context.Context, c *Client) error { _, err := c.EnableDestination(ctx, "X1"); return err },
	"pauseDestination":  func(ctx context.Context, c *Client) error { _, err := c.PauseDestination(ctx, "X1"); return err },
	"resumeDestination": func(ctx context.Context, c *Client) error { _, err := c.ResumeDestination(ctx, "X1"); return err },
	"testDestination":   func(ctx context.Context, c *Client) error { _, err := c.TestDestination(ctx, "X1"); return err },
	"rotateDestinationSecret": func(ctx context.Context, c *Client) error {
		_, err := c.RotateDestinationSecret(ctx, "X1", nil)
		return err
	},
	"previewDestinationTransform": func(ctx context.Context, c *Client) error {
		_, err := c.PreviewTransform(ctx, "X1", TransformPreviewInput{EventID: "evt_1"})
		return err
	},
	"resendFailedDeliveries": func(ctx context.Context, c *Client) error {
		_, err := c.ResendFailed(ctx, "X1", time.Time{}, time.Time{})
		return err
	},
	"listDeliveries": func(ctx context.Context, c *Client) error {
		_, err := c.ListDeliveries(ctx, DeliveryListOptions{})
		return err
	},
	"getDelivery":    func(ctx context.Context, c *Client) error { _, err := c.GetDelivery(ctx, "X1"); return err },
	"resendDelivery": func(ctx context.Context, c *Client) error { _, err := c.ResendDelivery(ctx, "X1"); return err },
	"listIncidents": func(ctx context.Context, c *Client) error {
		_, err := c.ListIncidents(ctx, IncidentListOptions{})
		return err
	},
	"getIncident": func(ctx context.Context, c *Client) error { _, err := c.GetIncident(ctx, "X1"); return err },
	"getIncidentTimeline": func(ctx context.Context, c *Client) error {
		_, err := c.ListTimeline(ctx, "X1", ListOptions{})
		return err
	},
	"acknowledgeIncident": incidentCall(ActionAck),
	"resolveIncident":     incidentCall(ActionResolve),
	"closeIncident":       incidentCall(ActionClose),
	"reopenIncident":      incidentCall(ActionReopen),
	"commentIncident":     func(ctx context.Context, c *Client) error { _, err := c.CommentIncident(ctx, "X1", "b"); return err },
	"listWorkflows": func(ctx context.Context, c *Client) error {
		_, err := c.ListWorkflows(ctx, ListOptions{})
		return err
	},
	"createWorkflow": func(ctx context.Context, c *Client) error { _, err := c.CreateWorkflow(ctx, Object{}); return err },
	"getWorkflow":    func(ctx context.Context, c *Client) error { _, err := c.GetWorkflow(ctx, "X1"); return err },
	"updateWorkflow": func(ctx context.Context, c *Client) error {
		_, err := c.UpdateWorkflow(ctx, "X1", Object{})
		return err
	},
	"deleteWorkflow": func(ctx context.Context, c *Client) error { return c.DeleteWorkflow(ctx, "X1") },
	"parseWorkflowSample": func(ctx context.Context, c *Client) error {
		_, err := c.ParseWorkflowSample(ctx, "?a=1", nil, nil)
		return err
	},
	"listWorkflowRuns": func(ctx context.Context, c *Client) error {
		_, err := c.ListWorkflowRuns(ctx, "X1", RunListOptions{})
		return err
	},
	"getWorkflowRun":   func(ctx context.Context, c *Client) error { _, err := c.GetWorkflowRun(ctx, "X1", "X1"); return err },
	"rerunWorkflowRun": func(ctx context.Context, c *Client) error { _, err := c.RerunWorkflowRun(ctx, "X1", "X1"); return err },
	"getMe":            func(ctx context.Context, c *Client) error { _, err := c.WhoAmI(ctx); return err },
	"listUsers":        func(ctx context.Context, c *Client) error { _, err := c.ListUsers(ctx, ListOptions{}); return err },
	"getUser":          func(ctx context.Context, c *Client) error { _, err := c.GetUser(ctx, "X1"); return err },
	"createUser":       func(ctx context.Context, c *Client) error { _, err := c.CreateUser(ctx, UserInput{}); return err },
	"updateUser":       func(ctx context.Context, c *Client) error { _, err := c.UpdateUser(ctx, "X1", UserInput{}); return err },
	"deleteUser":       func(ctx context.Context, c *Client) error { return c.DeleteUser(ctx, "X1") },
	"listAPIKeys":      func(ctx context.Context, c *Client) error { _, err := c.ListAPIKeys(ctx, ListOptions{}); return err },
	"createAPIKey":     func(ctx context.Context, c *Client) error { _, err := c.CreateAPIKey(ctx, "n", ""); return err },
	"revokeAPIKey":     func(ctx context.Context, c *Client) error { return c.RevokeAPIKey(ctx, "X1") },
}

// notForClients are operations a management client has no use for: ingest
// is for senders, and the documents are read by other tools.
var notForClients = map[string]bool{"healthz": true, "metrics": true, "getOpenAPI": true}

func incidentCall(action string) func(context.Context, *Client) error {
	return func(ctx context.Context, c *Client) error {
		_, err := c.TransitionIncident(ctx, "X1", action, "")
		return err
	}
}

func streamCall(ctx context.Context, c *Client) error {
	s, err := c.StreamEvents(ctx, StreamOptions{})
	if err != nil {
		return err
	}
	return s.Close()
}

type operation struct{ id, method, path string }

// openAPIOperations reads every operation of the server's OpenAPI document.
func openAPIOperations(t *testing.T) []operation {
	t.Helper()
	raw, err := os.ReadFile("../server/openapi.json")
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Paths map[string]map[string]json.RawMessage `json:"paths"`
	}
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	var ops []operation
	for p, item := range doc.Paths {
		for method, v := range item {
			var op struct {
				OperationID string `json:"operationId"`
			}
			if json.Unmarshal(v, &op) != nil || op.OperationID == "" {
				continue // parameters and other non-operation keys
			}
			ops = append(ops, operation{op.OperationID, strings.ToUpper(method), p})
		}
	}
	return ops
}

// TestClientCoversOpenAPI checks that every documented management operation
// has a client method, and that the method sends the documented method and
// path.
func TestClientCoversOpenAPI(t *testing.T) {
	var mu sync.Mutex
	var got string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		got = r.Method + " " + r.URL.EscapedPath()
		mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(`{"data":[]}`))
	}))
	defer srv.Close()
	c, _ := New(srv.URL, "k", nil)
	seen := map[string]bool{}
	for _, op := range openAPIOperations(t) {
		if strings.HasPrefix(op.path, "/hooks/") || notForClients[op.id] {
			continue
		}
		seen[op.id] = true
		call, ok := calls[op.id]
		if !ok {
			t.Errorf("%s %s (%s) has no client method", op.method, op.path, op.id)
			continue
		}
		if err := call(context.Background(), c); err != nil {
			t.Errorf("%s: %v", op.id, err)
			continue
		}
		want := op.method + " " + strings.NewReplacer("{id}", "X1", "{run_id}", "X1").Replace(op.path)
		mu.Lock()
		if got != want {
			t.Errorf("%s sent %s, openapi.json says %s", op.id, got, want)
		}
		mu.Unlock()
	}
	for id := range calls {
		if !seen[id] {
			t.Errorf("client calls %s, which openapi.json does not document", id)
		}
	}
}
