package server

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// The OpenAPI document is written by hand; these tests keep it and the route
// table in step, so a route added, removed or made public without updating
// the document fails here.

// httpMethods are the operation keys of an OpenAPI path item.
var httpMethods = []string{"get", "put", "post", "delete", "options", "head", "patch", "trace"}

// hookPaths are the documented ingest paths. The mux serves them all through
// one "/hooks/" prefix route, outside routes(), taking every method.
var hookPaths = []string{"/hooks/{key}", "/hooks/{type}/{key}/"}

func loadOpenAPI(t *testing.T) map[string]any {
	t.Helper()
	var doc map[string]any
	if err := json.Unmarshal(openapiDoc, &doc); err != nil {
		t.Fatalf("openapi.json does not parse: %v", err)
	}
	return doc
}

// operations returns every documented operation keyed "METHOD /path".
func operations(t *testing.T, doc map[string]any) map[string]map[string]any {
	t.Helper()
	paths, ok := doc["paths"].(map[string]any)
	if !ok {
		t.Fatal("openapi.json has no paths object")
	}
	ops := map[string]map[string]any{}
	for p, item := range paths {
		m, ok := item.(map[string]any)
		if !ok {
			t.Errorf("path %s is not an object", p)
			continue
		}
		for _, method := range httpMethods {
			if v, ok := m[method]; ok {
				op, ok := v.(map[string]any)
				if !ok {
					t.Errorf("%s %s is not an object", method, p)
					continue
				}
				ops[strings.ToUpper(method)+" "+p] = op
			}
		}
	}
	return ops
}

func TestOpenAPICoversEveryRoute(t *testing.T) {
	ops := operations(t, loadOpenAPI(t))
	for _, rt := range New(Options{}).routes() {
		if _, ok := ops[rt.method+" "+rt.path]; !ok {
			t.Errorf("route %s %s is not in openapi.json", rt.method, rt.path)
		}
	}
	if _, ok := ops["POST /hooks/{key}"]; !ok {
		t.Error("POST /hooks/{key} is not in openapi.json")
	}
}

func TestOpenAPIHasNoExtraRoutes(t *testing.T) {
	ops := operations(t, loadOpenAPI(t))
	served := map[string]bool{}
	for _, rt := range New(Options{}).routes() {
		served[rt.method+" "+rt.path] = true
	}
	for key := range ops {
		_, path, _ := strings.Cut(key, " ")
		if slices.Contains(hookPaths, path) {
			continue
		}
		if strings.HasPrefix(path, "/hooks/") {
			t.Errorf("%s: ingest paths are %v", key, hookPaths)
			continue
		}
		if !served[key] {
			t.Errorf("openapi.json documents %s, which routes() does not serve", key)
		}
	}
}

func TestOpenAPIRefsResolve(t *testing.T) {
	doc := loadOpenAPI(t)
	n := 0
	var walk func(at string, v any)
	walk = func(at string, v any) {
		switch v := v.(type) {
		case map[string]any:
			if r, ok := v["$ref"]; ok {
				n++
				s, _ := r.(string)
				if _, err := resolvePointer(doc, s); err != nil {
					t.Errorf("%s: $ref %q: %v", at, s, err)
				}
			}
			for k, x := range v {
				walk(at+"/"+k, x)
			}
		case []any:
			for i, x := range v {
				walk(fmt.Sprintf("%s/%d", at, i), x)
			}
		}
	}
	walk("#", doc)
	if n == 0 {
		t.Error("openapi.json has no $ref at all; components are expected")
	}
}

// resolvePointer follows a local reference such as "#/components/schemas/Source".
func resolvePointer(doc map[string]any, ref string) (any, error) {
	rest, ok := strings.CutPrefix(ref, "#/")
	if !ok {
		return nil, fmt.Errorf("not a reference inside the document")
	}
	var cur any = doc
	for _, tok := range strings.Split(rest, "/") {
		tok = strings.ReplaceAll(strings.ReplaceAll(tok, "~1", "/"), "~0", "~")
		m, ok := cur.(map[string]any)
		if !ok {
			return nil, fmt.Errorf("%q is not inside an object", tok)
		}
		if cur, ok = m[tok]; !ok {
			return nil, fmt.Errorf("no %q", tok)
		}
	}
	return cur, nil
}

var pathParam = regexp.MustCompile(`\{([^}]+)\}`)

func TestOpenAPIOperations(t *testing.T) {
	doc := loadOpenAPI(t)
	ops := operations(t, doc)
	seen := map[string]string{}
	for key, op := range ops {
		id, _ := op["operationId"].(string)
		switch {
		case id == "":
			t.Errorf("%s has no operationId", key)
		case seen[id] != "":
			t.Errorf("operationId %q is used by %s and %s", id, seen[id], key)
		default:
			seen[id] = key
		}
		if s, _ := op["summary"].(string); s == "" {
			t.Errorf("%s has no summary", key)
		}
		if rs, _ := op["responses"].(map[string]any); len(rs) == 0 {
			t.Errorf("%s has no responses", key)
		}
		// Every {name} in the path is declared as a path parameter.
		_, path, _ := strings.Cut(key, " ")
		declared := map[string]bool{}
		params, _ := op["parameters"].([]any)
		for _, p := range params {
			pm, _ := p.(map[string]any)
			if r, ok := pm["$ref"].(string); ok {
				v, err := resolvePointer(doc, r)
				if err != nil {
					continue // reported by TestOpenAPIRefsResolve
				}
				pm, _ = v.(map[string]any)
			}
			if pm["in"] == "path" {
				name, _ := pm["name"].(string)
				declared[name] = true
			}
		}
		for _, m := range pathParam.FindAllStringSubmatch(path, -1) {
			if !declared[m[1]] {
				t.Errorf("%s does not declare path parameter %q", key, m[1])
			}
		}
	}
}

// TestOpenAPISecurity checks that public routes, and only they, opt out of
// the global API key requirement.
func TestOpenAPISecurity(t *testing.T) {
	doc := loadOpenAPI(t)
	if sec, _ := doc["security"].([]any); len(sec) == 0 {
		t.Fatal("openapi.json has no global security requirement")
	}
	ops := operations(t, doc)
	public := func(op map[string]any) bool {
		sec, ok := op["security"].([]any)
		return ok && len(sec) == 0
	}
	for _, rt := range New(Options{}).routes() {
		op, ok := ops[rt.method+" "+rt.path]
		if !ok {
			continue // reported by TestOpenAPICoversEveryRoute
		}
		if public(op) != rt.public {
			t.Errorf("%s %s: public in openapi.json is %v, in routes() %v", rt.method, rt.path, public(op), rt.public)
		}
	}
	for key, op := range ops {
		if _, path, _ := strings.Cut(key, " "); strings.HasPrefix(path, "/hooks/") && !public(op) {
			t.Errorf("%s must have security: []", key)
		}
	}
}

func TestOpenAPIServed(t *testing.T) {
	rec := httptest.NewRecorder()
	New(Options{}).Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/api/openapi.json", nil))
	resp := rec.Result()
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d, want 200", resp.StatusCode)
	}
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Errorf("Content-Type %q, want application/json", ct)
	}
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		OpenAPI string         `json:"openapi"`
		Paths   map[string]any `json:"paths"`
	}
	if err := json.Unmarshal(body, &doc); err != nil {
		t.Fatalf("served document does not parse: %v", err)
	}
	if doc.OpenAPI != "3.1.0" || len(doc.Paths) == 0 {
		t.Errorf("openapi %q with %d paths, want 3.1.0 with paths", doc.OpenAPI, len(doc.Paths))
	}
}

// TestOpenAPIRoles checks that each operation documents, as x-hookhub-role,
// the role its route requires.
func TestOpenAPIRoles(t *testing.T) {
	ops := operations(t, loadOpenAPI(t))
	for _, rt := range New(Options{}).routes() {
		op, ok := ops[rt.method+" "+rt.path]
		if !ok || rt.public {
			continue
		}
		if got, _ := op["x-hookhub-role"].(string); got != rt.role {
			t.Errorf("%s %s: x-hookhub-role %q, route needs %q", rt.method, rt.path, got, rt.role)
		}
	}
}
