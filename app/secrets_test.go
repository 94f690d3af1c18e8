package app

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hookhub/hookhub/sender/eventbridge/ebtest"
)

// randomText returns prefix followed by 32 random hex digits: a value that
// cannot appear anywhere by chance.
func randomText(prefix string) string {
	b := make([]byte, 16)
	rand.Read(b)
	return prefix + hex.EncodeToString(b)
}

// TestSecretsAtRest stores every kind of secret Hookhub keeps, uses them,
// and then reads the database itself: no secret may appear in plain text.
// It also checks that the API never returns one.
func TestSecretsAtRest(t *testing.T) {
	storeKinds(t, func(t *testing.T, dbURL func(*testing.T) string) {
		databaseURL := dbURL(t)
		h := startHub(t, databaseURL)
		rcv := newSink(t)

		hmacSecret, hmacNext := randomText("hmac-"), randomText("hmac-next-")
		password := randomText("pw-")
		bearer := randomText("bearer-")

		dst := h.createDestination("vault", rcv.srv.URL, map[string]any{"headers": map[string]string{"Authorization": "Bearer " + bearer}})
		if !strings.HasPrefix(dst.Secret, "whsec_") {
			t.Fatalf("no signing secret generated: %+v", dst)
		}
		firstSigning := dst.Secret
		var rotated destination
		h.mustAPI(200, "POST", "/api/v1/destinations/"+dst.ID+"/rotate-secret", nil, &rotated)
		if rotated.Secret == "" || rotated.Secret == firstSigning {
			t.Fatalf("rotation gave no new secret: %+v", rotated)
		}

		var hm, basic source
		h.mustAPI(201, "POST", "/api/v1/sources", map[string]any{
			"name": "signed", "type": "generic", "destination_ids": []string{dst.ID},
			"verification": map[string]any{"scheme": "hmac", "header": "X-Signature", "prefix": "sha256=", "secret": hmacSecret},
		}, &hm)
		// The first secret becomes the previous one: both are stored.
		h.mustAPI(200, "POST", "/api/v1/sources/"+hm.ID+"/rotate-secret", map[string]any{"secret": hmacNext}, nil)
		h.mustAPI(201, "POST", "/api/v1/sources", map[string]any{
			"name": "basic", "type": "generic", "destination_ids": []string{dst.ID},
			"verification": map[string]any{"scheme": "basic", "username": "hooker", "password": password},
		}, &basic)

		// Use the secrets: a signed webhook, a basic-auth webhook, deliveries
		// with the custom header, and a test send.
		body := []byte(`{"kind":"signed"}`)
		mac := hmac.New(sha256.New, []byte(hmacNext))
		mac.Write(body)
		if code, resp := h.post("/hooks/"+hm.Key, map[string]string{"Content-Type": "application/json",
			"X-Signature": "sha256=" + hex.EncodeToString(mac.Sum(nil))}, body); code != 200 {
			t.Fatalf("signed webhook: %d %s", code, resp)
		}
		basicAuth := base64.StdEncoding.EncodeToString([]byte("hooker:" + password))
		if code, resp := h.post("/hooks/"+basic.Key, map[string]string{"Content-Type": "application/json",
			"Authorization": "Basic " + basicAuth}, []byte(`{"kind":"basic"}`)); code != 200 {
			t.Fatalf("basic-auth webhook: %d %s", code, resp)
		}
		h.mustAPI(200, "POST", "/api/v1/destinations/"+dst.ID+"/test", nil, nil)
		eventually(t, "ping, two webhooks and a test", func() bool { return len(rcv.requests()) >= 4 })
		for _, r := range rcv.requests() {
			if r.header.Get("Authorization") != "Bearer "+bearer {
				t.Fatalf("destination header not sent: %v", r.header)
			}
		}
		eventually(t, "every delivery recorded", func() bool {
			for _, d := range h.deliveries("destination_id=" + dst.ID) {
				if d.Status != "succeeded" {
					return false
				}
			}
			return true
		})

		// Event-bus credentials: an AWS secret key and a password in a
		// broker URL, used by a test send.
		awsSecret, brokerPassword := randomText("aws-"), randomText("redis-pw-")
		eb := ebtest.New(t)
		var bus, redisDst destination
		h.mustAPI(201, "POST", "/api/v1/destinations", map[string]any{"name": "bus", "type": "eventbridge",
			"eventbridge": map[string]any{"event_bus": "hooks", "region": ebtest.Region, "access_key_id": ebtest.AccessKeyID,
				"secret_access_key": awsSecret, "endpoint": eb.URL}}, &bus)
		h.mustAPI(201, "POST", "/api/v1/destinations", map[string]any{"name": "stream", "type": "redis",
			"redis": map[string]any{"url": "redis://:" + brokerPassword + "@127.0.0.1:6379/0", "stream": "s"}}, &redisDst)
		h.mustAPI(200, "POST", "/api/v1/destinations/"+bus.ID+"/test", nil, nil)

		secrets := map[string]string{
			"eventbridge secret access key": awsSecret,
			"broker URL password":           brokerPassword,
			"source hmac secret":            hmacSecret,
			"source next hmac secret":       hmacNext,
			"source basic-auth password":    password,
			"destination header value":      bearer,
			"destination signing secret":    strings.TrimPrefix(rotated.Secret, "whsec_"),
			"destination previous secret":   strings.TrimPrefix(firstSigning, "whsec_"),
			"admin API key":                 h.key,
		}

		checkAPIHidesSecrets(t, h, secrets, dst.ID)

		var stored string
		if databaseURL == "" {
			stored = sqliteBytes(t, h)
		} else {
			stored = postgresText(t, databaseURL)
		}
		if !strings.Contains(stored, dst.ID) || !strings.Contains(stored, hm.ID) {
			t.Fatalf("the database dump does not hold the objects; the check would prove nothing (%d bytes)", len(stored))
		}
		for what, plain := range secrets {
			if strings.Contains(stored, plain) || strings.Contains(stored, hex.EncodeToString([]byte(plain))) {
				t.Errorf("%s is stored in plain text", what)
			}
		}
	})
}

// checkAPIHidesSecrets reads everything the API lists and fails if a secret
// shows; header values of destinations must read as masked.
func checkAPIHidesSecrets(t *testing.T, h *testHub, secrets map[string]string, dstID string) {
	t.Helper()
	var d destination
	h.mustAPI(200, "GET", "/api/v1/destinations/"+dstID, nil, &d)
	if d.Headers["Authorization"] != "<masked>" || d.Secret != "" {
		t.Errorf("destination shows its header or secret: %+v", d)
	}
	var sl list[struct {
		Verification map[string]any `json:"verification"`
	}]
	h.mustAPI(200, "GET", "/api/v1/sources", nil, &sl)
	for _, s := range sl.Data {
		for _, k := range []string{"secret", "previous_secret", "password"} {
			if _, ok := s.Verification[k]; ok {
				t.Errorf("source verification returns %q: %v", k, s.Verification)
			}
		}
		if s.Verification["secret_set"] != true {
			t.Errorf("source does not say its secret is set: %v", s.Verification)
		}
	}
	paths := []string{"/api/v1/sources", "/api/v1/destinations", "/api/v1/destinations/" + dstID,
		"/api/v1/events", "/api/v1/deliveries"}
	var evs list[event]
	h.mustAPI(200, "GET", "/api/v1/events", nil, &evs)
	for _, e := range evs.Data {
		paths = append(paths, "/api/v1/events/"+e.ID)
	}
	for _, dl := range h.deliveries("") {
		paths = append(paths, "/api/v1/deliveries/"+dl.ID)
	}
	for _, p := range paths {
		code, _, body := h.raw("GET", p, nil, nil)
		if code != 200 {
			t.Fatalf("GET %s: %d %s", p, code, body)
		}
		for what, plain := range secrets {
			if what == "admin API key" {
				continue
			}
			if strings.Contains(string(body), plain) {
				t.Errorf("GET %s shows the %s: %s", p, what, body)
			}
		}
	}
	for _, dl := range h.deliveries("destination_id=" + dstID) {
		for _, a := range h.delivery(dl.ID).Attempts {
			if v := a.RequestHeaders["Authorization"]; len(v) != 1 || v[0] != "<masked>" {
				t.Errorf("attempt records the custom header as %q", v)
			}
			if v := a.RequestHeaders["Webhook-Signature"]; len(v) != 1 || v[0] != "<masked>" {
				t.Errorf("attempt records the signature as %q", v)
			}
		}
	}
}

// sqliteBytes closes the hub, so the WAL is checkpointed, and returns the
// database files as they are on disk, WAL and shared memory included.
func sqliteBytes(t *testing.T, h *testHub) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := h.main.Close(ctx); err != nil {
		t.Fatalf("close: %v", err)
	}
	files, err := filepath.Glob(filepath.Join(h.main.Config.DataDir, "hookhub.db*"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no database files in %s: %v", h.main.Config.DataDir, err)
	}
	var all strings.Builder
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		all.Write(b)
	}
	return all.String()
}

// postgresText returns every row of every table of the test database as JSON.
func postgresText(t *testing.T, databaseURL string) string {
	t.Helper()
	db, err := sql.Open("pgx", databaseURL)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rows, err := db.Query(`SELECT table_schema, table_name FROM information_schema.tables
		WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema')`)
	if err != nil {
		t.Fatal(err)
	}
	var tables []string
	for rows.Next() {
		var schema, name string
		if err := rows.Scan(&schema, &name); err != nil {
			t.Fatal(err)
		}
		tables = append(tables, fmt.Sprintf("%q.%q", schema, name))
	}
	rows.Close()
	if len(tables) < 5 {
		t.Fatalf("only %d tables: %v", len(tables), tables)
	}
	var all strings.Builder
	for _, tbl := range tables {
		rows, err := db.Query(`SELECT row_to_json(t)::text FROM ` + tbl + ` t`)
		if err != nil {
			t.Fatalf("dump %s: %v", tbl, err)
		}
		for rows.Next() {
			var line string
			if err := rows.Scan(&line); err != nil {
				t.Fatal(err)
			}
			all.WriteString(line)
			all.WriteByte('\n')
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		rows.Close()
	}
	return all.String()
}
