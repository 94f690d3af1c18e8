package app

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

func TestBadInputsChangeNothing(t *testing.T) {
	storeKinds(t, func(t *testing.T, dbURL func(*testing.T) string) {
		h := startHub(t, dbURL(t))
		var hits atomic.Int64
		recv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Header.Get("X-Hookhub-Event") != "ping" {
				hits.Add(1)
			}
		}))
		defer recv.Close()
		var dst struct{ ID string }
		h.mustAPI(201, "POST", "/api/v1/destinations", map[string]any{"name": "r", "url": recv.URL}, &dst)
		const secret = "topsecret"
		var src, inactive source
		h.mustAPI(201, "POST", "/api/v1/sources", map[string]any{
			"name": "generic", "type": "generic", "destination_ids": []string{dst.ID}, "max_body_bytes": 1024,
			"verification": map[string]any{"scheme": "hmac", "secret": secret, "header": "X-Signature", "prefix": "sha256=",
				"signed": "timestamp.body", "timestamp_header": "X-Timestamp"},
		}, &src)
		h.mustAPI(201, "POST", "/api/v1/sources", map[string]any{"name": "off", "active": false, "destination_ids": []string{dst.ID}}, &inactive)

		now := time.Now()
		sign := func(ts time.Time, body []byte) map[string]string {
			tsStr := strconv.FormatInt(ts.Unix(), 10)
			m := hmac.New(sha256.New, []byte(secret))
			m.Write([]byte(tsStr + "." + string(body)))
			return map[string]string{"Content-Type": "application/json", "X-Timestamp": tsStr, "X-Signature": "sha256=" + hex.EncodeToString(m.Sum(nil))}
		}
		deep := []byte(strings.Repeat("[", 10000) + strings.Repeat("]", 10000))
		for _, tc := range []struct {
			name    string
			method  string
			path    string
			headers map[string]string
			body    []byte
			want    int
		}{
			{"empty body", "POST", "/hooks/" + src.Key, sign(now, nil), nil, 400},
			{"invalid JSON", "POST", "/hooks/" + src.Key, sign(now, []byte(`{"a":`)), []byte(`{"a":`), 400},
			{"oversized body", "POST", "/hooks/" + src.Key, sign(now, bytes.Repeat([]byte("a"), 2048)), bytes.Repeat([]byte("a"), 2048), 413},
			{"wrong method", "PUT", "/hooks/" + src.Key, sign(now, []byte(`{}`)), []byte(`{}`), 405},
			{"unknown key", "POST", "/hooks/nope", sign(now, []byte(`{}`)), []byte(`{}`), 404},
			{"inactive source", "POST", "/hooks/" + inactive.Key, map[string]string{"Content-Type": "application/json"}, []byte(`{}`), 403},
			{"bad signature", "POST", "/hooks/" + src.Key, sign(now, []byte(`{"a":1}`)), []byte(`{"a":2}`), 401},
			{"stale timestamp", "POST", "/hooks/" + src.Key, sign(now.Add(-10*time.Minute), []byte(`{}`)), []byte(`{}`), 401},
			{"invalid UTF-8", "POST", "/hooks/" + src.Key, sign(now, []byte("{\"a\":\"\xff\"}")), []byte("{\"a\":\"\xff\"}"), 400},
			{"deep JSON", "POST", "/hooks/" + src.Key, sign(now, deep), deep, 413},
			{"wrong content type", "POST", "/hooks/" + src.Key, map[string]string{"Content-Type": "text/xml"}, []byte(`<a/>`), 415},
			{"wrong type segment", "POST", "/hooks/github/" + src.Key + "/", sign(now, []byte(`{}`)), []byte(`{}`), 404},
		} {
			t.Run(tc.name, func(t *testing.T) {
				req, _ := http.NewRequest(tc.method, h.url+tc.path, bytes.NewReader(tc.body))
				for k, v := range tc.headers {
					req.Header.Set(k, v)
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
					t.Fatalf("got %d %q, want %d with a JSON error", resp.StatusCode, data, tc.want)
				}
				if tc.want == 405 && resp.Header.Get("Allow") != "POST" {
					t.Fatalf("Allow = %q", resp.Header.Get("Allow"))
				}
			})
		}
		// The deep-JSON case above exceeds 1 KiB; check nesting on its own too.
		nested := []byte(strings.Repeat("[", 500) + strings.Repeat("]", 500))
		if code, body := h.post("/hooks/"+src.Key, sign(now, nested), nested); code != 400 || !strings.Contains(body, "deep") {
			t.Fatalf("nested JSON: %d %q", code, body)
		}
		// A good request still works and is the only one routed.
		if code, _ := h.post("/hooks/"+src.Key, sign(now, []byte(`{"ok":true}`)), []byte(`{"ok":true}`)); code != 200 {
			t.Fatalf("good request: %d", code)
		}
		for _, e := range h.events("source_id=" + src.ID + "&status=accepted") {
			if e.Body != `{"ok":true}` {
				t.Fatalf("bad input was stored as accepted: %+v", e)
			}
		}
		eventually(t, "the good event delivered", func() bool { return hits.Load() == 1 })
		time.Sleep(200 * time.Millisecond)
		if n := hits.Load(); n != 1 {
			t.Fatalf("receiver got %d deliveries, want exactly 1", n)
		}
	})
}
