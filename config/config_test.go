package config

import (
	"bytes"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func env(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func TestDefaults(t *testing.T) {
	c, err := Load("serve", nil, env(nil), nil)
	if err != nil {
		t.Fatal(err)
	}
	if c.Listen != "127.0.0.1:8080" || c.DataDir != "./hookhub-data" || c.UsesPostgres() || c.LogFormat != "text" {
		t.Fatalf("unexpected defaults: %+v", c)
	}
	if c.BaseURL() != "http://127.0.0.1:8080" {
		t.Fatalf("BaseURL = %q", c.BaseURL())
	}
}

func TestPrecedence(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "hookhub.yaml")
	os.WriteFile(file, []byte("listen: 127.0.0.1:1111\ndata-dir: /from/file\nlog-format: json\noutbound-allow: [127.0.0.1/32, 10.0.0.0/8]\n"), 0o600)
	c, err := Load("serve", []string{"--config", file, "--listen", "127.0.0.1:3333"},
		env(map[string]string{"HOOKHUB_LISTEN": "127.0.0.1:2222", "HOOKHUB_DATA_DIR": "/from/env"}), nil)
	if err != nil {
		t.Fatal(err)
	}
	if c.Listen != "127.0.0.1:3333" {
		t.Errorf("flag should win: %s", c.Listen)
	}
	if c.DataDir != "/from/env" {
		t.Errorf("env should beat file: %s", c.DataDir)
	}
	if c.LogFormat != "json" || len(c.OutboundAllow) != 2 {
		t.Errorf("file values lost: %+v", c)
	}
}

func TestBadValuesNameTheSetting(t *testing.T) {
	for _, tc := range []struct {
		args []string
		env  map[string]string
		want string
	}{
		{[]string{"--listen", "nope"}, nil, "--listen"},
		{nil, map[string]string{"HOOKHUB_LISTEN": "nope"}, "HOOKHUB_LISTEN"},
		{[]string{"--database-url", "mysql://x"}, nil, "--database-url"},
		{[]string{"--outbound-allow", "not-a-cidr"}, nil, "--outbound-allow"},
		{[]string{"--log-format", "xml"}, nil, "--log-format"},
		{[]string{"--debug-listen", "6060"}, nil, "--debug-listen"},
		{[]string{"--shutdown-timeout", "-1s"}, nil, "--shutdown-timeout"},
		{nil, map[string]string{"HOOKHUB_DELIVERY_LEASE": "soon"}, "HOOKHUB_DELIVERY_LEASE"},
		{[]string{"--ingest-max-inflight", "0"}, nil, "--ingest-max-inflight"},
		{[]string{"--ingest-max-inflight-bytes", "1000"}, nil, "--ingest-max-inflight-bytes"},
		{nil, map[string]string{"HOOKHUB_SECRET_KEY": "short"}, "HOOKHUB_SECRET_KEY"},
		{nil, map[string]string{"HOOKHUB_ADMIN_API_KEY": "abc"}, "HOOKHUB_ADMIN_API_KEY"},
		{[]string{"--bogus"}, nil, "bogus"},
		{[]string{"extra"}, nil, "extra"},
	} {
		_, err := Load("serve", tc.args, env(tc.env), nil)
		if err == nil || !strings.Contains(err.Error(), tc.want) || strings.Contains(err.Error(), "\n") {
			t.Errorf("args %v env %v: err %v, want one line naming %s", tc.args, tc.env, err, tc.want)
		}
	}
}

func TestSecretsNeverPrint(t *testing.T) {
	const pw = "super-secret-password"
	c, err := Load("serve", []string{"--database-url", "postgres://u:" + pw + "@h/db"},
		env(map[string]string{"HOOKHUB_ADMIN_PASSWORD": pw}), nil)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(c.String(), pw) {
		t.Fatalf("secret in String(): %s", c)
	}
	if !strings.Contains(c.String(), "admin-password=<secret>") {
		t.Fatalf("secret not masked: %s", c)
	}
	if c.AdminPassword.Reveal() != pw {
		t.Fatal("Reveal lost the value")
	}
}

func TestHelpListsEverySetting(t *testing.T) {
	var out bytes.Buffer
	_, err := Load("serve", []string{"--help"}, env(nil), &out)
	if !errors.Is(err, flag.ErrHelp) {
		t.Fatalf("err = %v", err)
	}
	for _, s := range settings(&Config{}) {
		if !strings.Contains(out.String(), "--"+s.name) || !strings.Contains(out.String(), s.env()) {
			t.Errorf("help lacks %s / %s", s.name, s.env())
		}
	}
}

func TestOverriddenBadValueIsNotFatal(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "hookhub.yaml")
	os.WriteFile(file, []byte("listen: nonsense\nlog-format: xml\n"), 0o600)
	c, err := Load("serve", []string{"--config", file, "--listen", "127.0.0.1:3333"},
		env(map[string]string{"HOOKHUB_LOG_FORMAT": "json", "HOOKHUB_LISTEN": "also-bad"}), nil)
	if err != nil {
		t.Fatalf("overridden bad values failed the load: %v", err)
	}
	if c.Listen != "127.0.0.1:3333" || c.LogFormat != "json" {
		t.Fatalf("winning values not applied: %+v", c)
	}
	// The winning value is still checked, and named by where it came from.
	_, err = Load("serve", []string{"--config", file}, env(map[string]string{"HOOKHUB_LISTEN": "127.0.0.1:1"}), nil)
	if err == nil || !strings.Contains(err.Error(), "log-format in "+file) {
		t.Fatalf("bad file value: err = %v", err)
	}
}
