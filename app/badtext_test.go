package app

import (
	"encoding/json"
	"io"
	"net/http"
	"testing"
)

// IDs, keys and filters that are not text (NUL, bytes that are not UTF-8)
// are refused with 404 or 400 on both stores, authenticated or not; none
// reaches the database, where PostgreSQL would fail on them.
func TestNonTextInputRefused(t *testing.T) {
	storeKinds(t, func(t *testing.T, dbURL func(*testing.T) string) {
		h := startHub(t, dbURL(t))
		var src source
		h.mustAPI(201, "POST", "/api/v1/sources", map[string]any{"name": "s"}, &src)
		badKey := "hh_key_0123456789abcdefghjkm\xffpqrs_secretpart"
		for _, tc := range []struct {
			method, path string
			auth         string // "" none, "admin" the admin key, else this header
			want         int
		}{
			{"POST", "/hooks/abc%00def", "", 404},
			{"POST", "/hooks/abc%ffdef", "", 404},
			{"POST", "/hooks/generic/abc%00def/", "", 404},
			{"GET", "/api/v1/events?type=%ff", "", 400},
			{"GET", "/api/v1/events?type=%ff", "admin", 400},
			{"GET", "/api/v1/events?type=%00", "admin", 400},
			{"GET", "/api/v1/events?source_id=src%00x", "admin", 400},
			{"GET", "/api/v1/events?cursor=%ff", "admin", 400},
			{"GET", "/api/v1/events?%ff=1", "admin", 400},
			{"GET", "/api/v1/deliveries?destination_id=%c3%28", "admin", 400},
			{"GET", "/api/v1/incidents?q=%00", "admin", 400},
			{"GET", "/api/v1/sources/src%00x", "admin", 404},
			{"GET", "/api/v1/events/evt%ff", "", 404},
			{"DELETE", "/api/v1/destinations/dst%00", "admin", 404},
			{"GET", "/api/v1/sources", "Bearer " + badKey, 401},
		} {
			req, _ := http.NewRequest(tc.method, h.url+tc.path, nil)
			switch tc.auth {
			case "":
			case "admin":
				req.Header.Set("Authorization", "Bearer "+h.key)
			default:
				req.Header.Set("Authorization", tc.auth)
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			data, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			var e struct {
				Error struct{ Code, Message string }
			}
			if resp.StatusCode != tc.want || json.Unmarshal(data, &e) != nil || e.Error.Message == "" {
				t.Errorf("%s %s (auth %q): %d %s, want %d with a JSON error", tc.method, tc.path, tc.auth, resp.StatusCode, data, tc.want)
			}
		}
		// A webhook's own query is stored as received, however odd its bytes.
		if code, body := h.post("/hooks/"+src.Key+"?note=%ff%00", map[string]string{"Content-Type": "application/json"}, []byte(`{}`)); code != 200 {
			t.Fatalf("webhook with an odd query: %d %s", code, body)
		}
	})
}
