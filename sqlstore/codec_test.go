package sqlstore

import (
	"encoding/json"
	"math/rand/v2"
	"strings"
	"testing"
)

// headerSamples are header sets whose encoding exercises every escape.
var headerSamples = []map[string][]string{
	nil,
	{},
	{"Content-Type": {"application/json"}, "X-GitHub-Event": {"push"}, "Accept": {"*/*", "text/html"}},
	{"X-Empty": {}, "X-Nil": nil, "": {""}},
	{"X-Html": {"<a href=\"x\">&amp;</a>"}, "X-Ctl": {"\x00\x01\b\f\n\r\t\x1f\x7f"}, "X-Slash": {`a\b/c`}},
	{"X-Utf8": {"héllo wörld ☃ 😀", "\u2028\u2029", "\xff\xfe bad \xc3"}, "Ключ": {"значение"}},
}

func TestHeadersJSON(t *testing.T) {
	for _, h := range headerSamples {
		checkHeadersJSON(t, h)
	}
	// Random header sets over an alphabet of the characters that are
	// escaped, those that are not, and bytes that are not UTF-8.
	alphabet := []string{"a", "Z", "0", "-", " ", "\"", "\\", "<", ">", "&", "\x00", "\x1f", "\x7f", "\b", "\t",
		"é", "☃", "😀", "\u2028", "\u2029", "\xff", "\xc3", "\xe2\x80"}
	rnd := rand.New(rand.NewPCG(1, 2))
	word := func() string {
		var b strings.Builder
		for range rnd.IntN(12) {
			b.WriteString(alphabet[rnd.IntN(len(alphabet))])
		}
		return b.String()
	}
	for range 2000 {
		h := map[string][]string{}
		for range rnd.IntN(6) {
			var vs []string
			if rnd.IntN(8) > 0 {
				vs = []string{}
			}
			for range rnd.IntN(3) {
				vs = append(vs, word())
			}
			h[word()] = vs
		}
		checkHeadersJSON(t, h)
	}
}

func FuzzHeadersJSON(f *testing.F) {
	f.Add("Content-Type", "application/json", "X", "<\u2028\xff>")
	f.Fuzz(func(t *testing.T, k1, v1, k2, v2 string) {
		checkHeadersJSON(t, map[string][]string{k1: {v1, v2}, k2: {v2}})
	})
}

func checkHeadersJSON(t *testing.T, h map[string][]string) {
	t.Helper()
	want, err := json.Marshal(h)
	if err != nil {
		t.Fatal(err)
	}
	if got := headersJSON(h); got != string(want) {
		t.Fatalf("headersJSON(%q)\n got %s\nwant %s", h, got, want)
	}
}
