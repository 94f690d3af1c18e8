package app

import (
	"net/http"
	"strings"
	"testing"

	"github.com/hookhub/hookhub/config"
	"github.com/hookhub/hookhub/secret"
)

type apiKeyOut struct {
	ID   string `json:"id"`
	Role string `json:"role"`
	Key  string `json:"key"`
}

type userOut struct {
	ID       string `json:"id"`
	Username string `json:"username"`
	Role     string `json:"role"`
}

// callAs calls the API with the given key and returns the status.
func (h *testHub) callAs(key, method, path, body string) int {
	h.t.Helper()
	req, _ := http.NewRequest(method, h.url+path, strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+key)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		h.t.Fatalf("%s %s: %v", method, path, err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

// TestRolesThroughTheAPI: keys act with their role, the bootstrap key is an
// admin key, a revoked key stops at once — on another replica too when two
// share PostgreSQL — and the last admin stays.
func TestRolesThroughTheAPI(t *testing.T) {
	storeKinds(t, func(t *testing.T, databaseURL func(t *testing.T) string) {
		dbURL := databaseURL(t)
		masterKey := config.Secret(secret.EncodeKey(secret.NewRandomKey()))
		sameKey := func(m *Main) { m.Config.SecretKey = masterKey }
		h := startHubWith(t, dbURL, sameKey)
		var me struct{ Role, Actor string }
		h.mustAPI(200, "GET", "/api/v1/me", nil, &me)
		if me.Role != "admin" || !strings.HasPrefix(me.Actor, "apikey:") {
			t.Fatalf("the bootstrap key is %+v, want an admin key", me)
		}
		keys := map[string]apiKeyOut{}
		for _, role := range []string{"viewer", "responder"} {
			var k apiKeyOut
			h.mustAPI(201, "POST", "/api/v1/api-keys", map[string]string{"name": role + " key", "role": role}, &k)
			if k.Role != role || !strings.HasPrefix(k.Key, "hh_key_") {
				t.Fatalf("created key %+v", k)
			}
			keys[role] = k
		}
		var src source
		h.mustAPI(201, "POST", "/api/v1/sources", map[string]any{"name": "s", "type": "generic"}, &src)
		for _, tc := range []struct {
			role, method, path, body string
			want                     int
		}{
			{"viewer", "GET", "/api/v1/sources", "", 200},
			{"viewer", "POST", "/api/v1/sources", `{"name":"x","type":"generic"}`, 403},
			{"viewer", "POST", "/api/v1/incidents/inc_missing/ack", "", 403},
			{"viewer", "GET", "/api/v1/users", "", 403},
			{"responder", "POST", "/api/v1/incidents/inc_missing/ack", "", 404},
			{"responder", "PATCH", "/api/v1/sources/" + src.ID, `{"name":"renamed"}`, 403},
			{"responder", "POST", "/api/v1/api-keys", `{"name":"mine","role":"viewer"}`, 403},
		} {
			if got := h.callAs(keys[tc.role].Key, tc.method, tc.path, tc.body); got != tc.want {
				t.Errorf("%s %s %s: %d, want %d", tc.role, tc.method, tc.path, got, tc.want)
			}
		}
		var got source
		h.mustAPI(200, "GET", "/api/v1/sources/"+src.ID, nil, &got)

		var other *testHub
		if dbURL != "" {
			other = startHubWith(t, dbURL, sameKey) // a second replica on the same database
			if s := other.callAs(keys["viewer"].Key, "GET", "/api/v1/sources", ""); s != 200 {
				t.Fatalf("the second replica refused a valid key: %d", s)
			}
		}
		h.mustAPI(204, "DELETE", "/api/v1/api-keys/"+keys["viewer"].ID, nil, nil)
		if s := h.callAs(keys["viewer"].Key, "GET", "/api/v1/sources", ""); s != 401 {
			t.Fatalf("a revoked key answered %d, want 401", s)
		}
		if other != nil {
			if s := other.callAs(keys["viewer"].Key, "GET", "/api/v1/sources", ""); s != 401 {
				t.Fatalf("a key revoked on one replica answered %d on another, want 401", s)
			}
		}

		var users struct{ Data []userOut }
		h.mustAPI(200, "GET", "/api/v1/users", nil, &users)
		if len(users.Data) != 1 || users.Data[0].Username != "admin" || users.Data[0].Role != "admin" {
			t.Fatalf("users = %+v", users.Data)
		}
		admin := users.Data[0].ID
		h.mustAPI(409, "PATCH", "/api/v1/users/"+admin, map[string]string{"role": "viewer"}, nil)
		h.mustAPI(409, "DELETE", "/api/v1/users/"+admin, nil, nil)
		h.mustAPI(400, "POST", "/api/v1/users", map[string]string{"username": "ops", "password": "short", "role": "viewer"}, nil)
		h.mustAPI(400, "POST", "/api/v1/users", map[string]string{"username": "ops", "password": "long enough pw", "role": "root"}, nil)
		var ops userOut
		h.mustAPI(201, "POST", "/api/v1/users", map[string]string{"username": "ops", "password": "long enough pw", "role": "responder"}, &ops)
		var raw map[string]any
		h.mustAPI(200, "GET", "/api/v1/users/"+ops.ID, nil, &raw)
		for k := range raw {
			if strings.Contains(k, "password") {
				t.Fatalf("a user shows %s: %v", k, raw)
			}
		}
		h.mustAPI(200, "PATCH", "/api/v1/users/"+ops.ID, map[string]string{"role": "viewer"}, &ops)
		if ops.Role != "viewer" {
			t.Fatalf("role after PATCH: %s", ops.Role)
		}
		h.mustAPI(204, "DELETE", "/api/v1/users/"+ops.ID, nil, nil)
		h.mustAPI(404, "GET", "/api/v1/users/"+ops.ID, nil, nil)
	})
}
