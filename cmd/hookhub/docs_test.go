package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestProviderDocsApply applies every sources manifest in the provider pages
// to a real server, so the documented settings stay valid.
func TestProviderDocsApply(t *testing.T) {
	h := startHub(t, "")
	pages, err := filepath.Glob("../../docs/providers/*.md")
	must(t, err)
	block := regexp.MustCompile("(?s)```yaml\n(sources:.*?)```")
	vars := regexp.MustCompile(`\$\{([A-Z0-9_]+)\}`)
	n := 0
	for _, page := range pages {
		data, err := os.ReadFile(page)
		must(t, err)
		for _, m := range block.FindAllStringSubmatch(string(data), -1) {
			env := map[string]string{}
			for _, v := range vars.FindAllStringSubmatch(m[1], -1) {
				env[v[1]] = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
			}
			file := filepath.Join(t.TempDir(), "m.yaml")
			must(t, os.WriteFile(file, []byte(m[1]), 0o600))
			if r := h.cli(t, "", env, "apply", "-f", file); r.code != 0 {
				t.Errorf("%s: the manifest does not apply: %s\n%s", filepath.Base(page), r.stderr, m[1])
			}
			n++
		}
	}
	if n < 12 {
		t.Fatalf("only %d manifests found in the provider pages", n)
	}
}

// TestCLIReferenceNamesEveryCommand keeps docs/cli.md in step with the
// command table.
func TestCLIReferenceNamesEveryCommand(t *testing.T) {
	data, err := os.ReadFile("../../docs/cli.md")
	must(t, err)
	doc := string(data)
	for _, c := range commands {
		_, verb, grouped := strings.Cut(c.path, " ")
		if !strings.Contains(doc, "`"+c.path) && !(grouped && strings.Contains(doc, "/ `"+verb)) {
			t.Errorf("docs/cli.md does not describe %q", c.path)
		}
	}
}
