package console

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"regexp"
	"strings"

	"github.com/hookhub/hookhub"
	"github.com/hookhub/hookhub/web"
)

// workflowForm is seed 002's editor: the definition as JSON, its nodes laid
// out with the API's validation error next to the node it names, and the
// parse-a-sample helper.
type workflowForm struct {
	ID         string
	Definition string
	Nodes      []nodeView
	Error      string // the save's error when it is not about one node
	// SaveError is what the server said to the last save, and ErrorFor the
	// digest of the definition it said it about. The parse form carries
	// both, so parsing a sample keeps the errors shown; StaleErrors says
	// the definition has changed since that save.
	SaveError, ErrorFor string
	StaleErrors         bool
	Sample              sampleForm
	SampleError         string
	Paths               *samplePaths
}

// nodeView is one node of the definition, with its error if any.
type nodeView struct {
	ID, Type, Summary, Error string
}

type sampleForm struct{ URL, Headers, Body string }

// samplePaths is the API's answer to parse-sample.
type samplePaths struct {
	Headers []samplePath `json:"headers"`
	Query   []samplePath `json:"query"`
	Body    []samplePath `json:"body"`
}

type samplePath struct {
	Name  string `json:"name"`
	Path  string `json:"path"`
	Value any    `json:"value"`
}

const workflowTemplate = `{
  "name": "Payment callback",
  "enabled": true,
  "trigger": {"mode": "sync", "parse": {"body": [{"path": "order_id", "alias": "order"}]}},
  "start": "check",
  "nodes": [
    {"id": "check", "type": "condition", "expression": "trigger.body.status == 'paid'", "then": "ok", "else": "fail"},
    {"id": "ok", "type": "respond", "status": 200, "body": "{\"result\": \"success\"}"},
    {"id": "fail", "type": "respond", "status": 422, "body": "{\"result\": \"failure\"}"}
  ]
}`

func (c *Console) handleWorkflowNew(w http.ResponseWriter, r *http.Request) {
	c.workflowFormPage(w, r, http.StatusOK, workflowForm{Definition: workflowTemplate})
}

func (c *Console) handleWorkflowEdit(w http.ResponseWriter, r *http.Request) {
	wf, err := c.getWorkflow(r, r.PathValue("id"))
	if err != nil {
		web.Error(w, r, err)
		return
	}
	c.workflowFormPage(w, r, http.StatusOK, workflowForm{ID: wf.ID, Definition: editable(wf.Raw)})
}

// editable keeps the fields a definition is made of, indented.
func editable(raw json.RawMessage) string {
	var all map[string]any
	if json.Unmarshal(raw, &all) != nil {
		return string(raw)
	}
	def := map[string]any{}
	for _, k := range []string{"name", "enabled", "source_id", "trigger", "start", "nodes"} {
		if v, ok := all[k]; ok {
			def[k] = v
		}
	}
	return indentJSON(def)
}

func (c *Console) workflowFormPage(w http.ResponseWriter, r *http.Request, status int, f workflowForm) {
	f.Nodes = outline(f.Definition)
	f.Error = f.SaveError
	if id := nodeOfError(f.SaveError); id != "" {
		for i := range f.Nodes {
			if f.Nodes[i].ID == id {
				f.Nodes[i].Error, f.Error = f.SaveError, ""
			}
		}
	}
	f.StaleErrors = f.SaveError != "" && f.ErrorFor != digest(f.Definition)
	title := "New workflow"
	if f.ID != "" {
		title = "Edit workflow"
	}
	c.render(w, r, status, "workflow_form", view{Title: title, Nav: "workflows", Data: f})
}

// failed records the error a save of f's definition got.
func (f *workflowForm) failed(err error) {
	f.SaveError, f.ErrorFor = hookhub.ErrorMessage(err), digest(f.Definition)
}

// digest identifies a definition as typed, whatever line endings the
// browser sent it with.
func digest(def string) string {
	sum := sha256.Sum256([]byte(strings.TrimSpace(strings.ReplaceAll(def, "\r\n", "\n"))))
	return hex.EncodeToString(sum[:])
}

var nodeNamed = regexp.MustCompile(`node "([^"]+)"`)

// nodeOfError returns the node an API validation message names ("node
// \"check\", field expression: …"), or "".
func nodeOfError(msg string) string {
	if m := nodeNamed.FindStringSubmatch(msg); m != nil {
		return m[1]
	}
	return ""
}

// outline lists the nodes of a definition as typed, for the editor.
func outline(def string) []nodeView {
	var d struct {
		Nodes []map[string]any `json:"nodes"`
	}
	if json.Unmarshal([]byte(def), &d) != nil {
		return nil
	}
	out := make([]nodeView, 0, len(d.Nodes))
	for _, n := range d.Nodes {
		v := nodeView{ID: str(n["id"]), Type: str(n["type"])}
		for _, k := range []string{"expression", "url", "destination_id", "action", "seconds", "status", "next", "then", "else"} {
			if x, ok := n[k]; ok {
				v.Summary += k + ": " + str(x) + "  "
			}
		}
		out = append(out, v)
	}
	return out
}

func str(v any) string {
	if s, ok := v.(string); ok {
		return s
	}
	b, _ := json.Marshal(v)
	return string(b)
}

func (c *Console) saveWorkflow(w http.ResponseWriter, r *http.Request, id string) {
	def := r.PostFormValue("definition")
	f := workflowForm{ID: id, Definition: def}
	var body map[string]any
	dec := json.NewDecoder(strings.NewReader(def))
	dec.UseNumber()
	if err := dec.Decode(&body); err != nil {
		f.failed(hookhub.Errorf(hookhub.EINVALID, "the definition is not JSON: %v", err))
		c.workflowFormPage(w, r, http.StatusBadRequest, f)
		return
	}
	method, path := "POST", "/api/v1/workflows"
	if id != "" {
		method, path = "PATCH", "/api/v1/workflows/"+id
	}
	var out apiWorkflow
	if err := c.api.Call(r.Context(), callerOf(r), method, path, body, &out); err != nil {
		c.formError(w, r, err, func(status int, _ string) {
			f.failed(err)
			c.workflowFormPage(w, r, status, f)
		})
		return
	}
	redirect(w, r, "/workflows/"+out.ID, "Workflow saved (version "+itoa(out.Version)+").")
}

func (c *Console) handleWorkflowCreate(w http.ResponseWriter, r *http.Request) {
	c.saveWorkflow(w, r, "")
}

func (c *Console) handleWorkflowUpdate(w http.ResponseWriter, r *http.Request) {
	c.saveWorkflow(w, r, r.PathValue("id"))
}

// handleParseSample is seed 002's parse button: paste a URL, headers or a
// JSON body and get the paths trigger.parse can name. The editor around it
// stays as it was, the last save's errors included.
func (c *Console) handleParseSample(w http.ResponseWriter, r *http.Request) {
	f := workflowForm{ID: r.PostFormValue("id"), Definition: r.PostFormValue("definition"),
		SaveError: r.PostFormValue("save_error"), ErrorFor: r.PostFormValue("error_for"),
		Sample: sampleForm{URL: r.PostFormValue("sample_url"), Headers: r.PostFormValue("sample_headers"), Body: r.PostFormValue("sample_body")}}
	in := map[string]any{"url": f.Sample.URL, "headers": parseHeaderLines(f.Sample.Headers)}
	if b := bytes.TrimSpace([]byte(f.Sample.Body)); len(b) > 0 {
		in["body"] = string(b)
	}
	var paths samplePaths
	if err := c.api.Call(r.Context(), callerOf(r), "POST", "/api/v1/workflows/parse-sample", in, &paths); err != nil {
		c.formError(w, r, err, func(status int, msg string) {
			f.SampleError = msg
			c.workflowFormPage(w, r, status, f)
		})
		return
	}
	f.Paths = &paths
	c.workflowFormPage(w, r, http.StatusOK, f)
}

// parseHeaderLines reads "Name: value" lines.
func parseHeaderLines(s string) map[string]string {
	out := map[string]string{}
	for _, line := range strings.Split(s, "\n") {
		if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) != "" {
			out[strings.TrimSpace(k)] = strings.TrimSpace(v)
		}
	}
	return out
}
