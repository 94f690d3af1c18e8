package app

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
)

func TestReadyAndAPIKey(t *testing.T) {
	storeKinds(t, func(t *testing.T, dbURL func(*testing.T) string) {
		h := startHub(t, dbURL(t))
		for _, p := range []string{"/healthz", "/readyz", "/metrics", "/api/openapi.json"} {
			resp, err := http.Get(h.url + p)
			if err != nil || resp.StatusCode != 200 {
				t.Fatalf("GET %s: %v %v", p, resp.StatusCode, err)
			}
			resp.Body.Close()
		}
		var l list[source]
		h.mustAPI(200, "GET", "/api/v1/sources", nil, &l)
		if len(l.Data) != 0 {
			t.Fatalf("fresh hub has sources: %+v", l)
		}
		for _, auth := range []string{"", "Bearer nope", "Bearer " + h.key + "x", "Basic abc"} {
			req, _ := http.NewRequest("GET", h.url+"/api/v1/sources", nil)
			if auth != "" {
				req.Header.Set("Authorization", auth)
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			var e struct {
				Error struct{ Code, Message string }
			}
			json.NewDecoder(resp.Body).Decode(&e)
			resp.Body.Close()
			if resp.StatusCode != 401 || e.Error.Code != "unauthorized" || e.Error.Message == "" {
				t.Errorf("auth %q: status %d body %+v, want 401 JSON error", auth, resp.StatusCode, e)
			}
		}
	})
}

func TestAPIErrors(t *testing.T) {
	h := startHub(t, "")
	for _, tc := range []struct {
		method, path, body string
		ctype              string
		want               int
		code               string
	}{
		{"GET", "/api/v1/sources/src_nope", "", "", 404, "not_found"},
		{"GET", "/api/v1/nothing", "", "", 404, "not_found"},
		{"PUT", "/api/v1/sources", "{}", "application/json", 405, "method_not_allowed"},
		{"POST", "/api/v1/sources", "{", "application/json", 400, "invalid"},
		{"POST", "/api/v1/sources", `{"nmae":"x"}`, "application/json", 400, "invalid"},
		{"POST", "/api/v1/sources", `{"name":"x"}`, "text/plain", 415, "unsupported_media_type"},
		{"POST", "/api/v1/sources", `{"name":"x","type":"nope"}`, "application/json", 400, "invalid"},
		{"POST", "/api/v1/sources", `{"name":"a\u0000b"}`, "application/json", 400, "invalid"},
		{"POST", "/api/v1/sources", `{"name":"x","verification":{"scheme":"hmac"}}`, "application/json", 400, "invalid"},
		{"POST", "/api/v1/destinations", `{"name":"x","url":"ftp://x"}`, "application/json", 400, "invalid"},
		{"POST", "/api/v1/destinations", `{"name":"x","url":"https://x.example","filter":{"expression":"event.type +"}}`, "application/json", 400, "invalid"},
		{"GET", "/api/v1/events?status=weird", "", "", 400, "invalid"},
		{"GET", "/api/v1/events?limit=0", "", "", 400, "invalid"},
	} {
		req, _ := http.NewRequest(tc.method, h.url+tc.path, strings.NewReader(tc.body))
		req.Header.Set("Authorization", "Bearer "+h.key)
		if tc.ctype != "" {
			req.Header.Set("Content-Type", tc.ctype)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		var e struct {
			Error struct{ Code, Message string }
		}
		json.NewDecoder(resp.Body).Decode(&e)
		resp.Body.Close()
		if resp.StatusCode != tc.want || e.Error.Code != tc.code || e.Error.Message == "" {
			t.Errorf("%s %s %s: got %d %+v, want %d %s", tc.method, tc.path, tc.body, resp.StatusCode, e, tc.want, tc.code)
		}
		if tc.want == 405 && resp.Header.Get("Allow") == "" {
			t.Errorf("%s %s: 405 without Allow", tc.method, tc.path)
		}
	}
}

func TestSourceCRUD(t *testing.T) {
	storeKinds(t, func(t *testing.T, dbURL func(*testing.T) string) {
		h := startHub(t, dbURL(t))
		var s struct {
			source
			Name         string `json:"name"`
			Verification struct {
				Scheme    string  `json:"scheme"`
				Secret    *string `json:"secret"`
				SecretSet bool    `json:"secret_set"`
			} `json:"verification"`
		}
		h.mustAPI(201, "POST", "/api/v1/sources", map[string]any{
			"name": "GitHub org", "type": "github", "verification": map[string]any{"scheme": "github", "secret": "s3cret"},
		}, &s)
		if !strings.HasPrefix(s.ID, "src_") || s.Key == "" || !strings.HasSuffix(s.URL, "/hooks/"+s.Key) {
			t.Fatalf("bad source: %+v", s)
		}
		if s.Verification.Secret != nil || !s.Verification.SecretSet {
			t.Fatalf("secret leaked or unset flag wrong: %+v", s.Verification)
		}
		h.mustAPI(200, "PATCH", "/api/v1/sources/"+s.ID, map[string]any{"name": "Renamed"}, &s)
		if s.Name != "Renamed" || !s.Verification.SecretSet {
			t.Fatalf("patch lost fields: %+v", s)
		}
		var l list[source]
		h.mustAPI(200, "GET", "/api/v1/sources", nil, &l)
		if len(l.Data) != 1 || l.Data[0].ID != s.ID {
			t.Fatalf("list: %+v", l)
		}
		h.mustAPI(204, "DELETE", "/api/v1/sources/"+s.ID, nil, nil)
		h.mustAPI(404, "GET", "/api/v1/sources/"+s.ID, nil, nil)
		if code, _ := h.post("/hooks/"+s.Key, map[string]string{"Content-Type": "application/json"}, []byte(`{}`)); code != 404 {
			t.Fatalf("deleted source still ingests: %d", code)
		}
	})
}
