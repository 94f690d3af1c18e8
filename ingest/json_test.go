package ingest

import (
	"strings"
	"testing"

	"github.com/hookhub/hookhub"
)

func TestCheckJSON(t *testing.T) {
	t.Parallel()
	deep := func(n int) string { return strings.Repeat("[", n) + strings.Repeat("]", n) }
	tests := []struct {
		name, body string
		depth      int
		want       string // "" means valid
	}{
		{"object", `{"a":1,"b":{"c":[true,false,null,"x",-1.5e+3]}}`, 0, ""},
		{"spaces", " \t\r\n{ \"a\" : [ 1 , 2 ] }\n", 0, ""},
		{"scalar", `"just a string"`, 0, ""},
		{"number", `0`, 0, ""},
		{"escapes", `"\" \\ \/ \b \f \n \r \t \u00e9 \uD83D\uDE00"`, 0, ""},
		{"unicode", `{"name":"이벤트 ✓"}`, 0, ""},
		{"empty containers", `{"a":{},"b":[]}`, 0, ""},
		{"depth at limit", deep(64), 0, ""},
		{"depth past limit", deep(65), 0, "JSON nested deeper than 64"},
		{"custom depth", `{"a":{"b":1}}`, 1, "JSON nested deeper than 1"},
		{"empty", ``, 0, "empty body"},
		{"whitespace only", " \n", 0, "empty body"},
		{"bad utf8", "{\"a\":\"\xff\"}", 0, "body is not valid UTF-8"},
		{"bom", "\xef\xbb\xbf{}", 0, "invalid JSON: body starts with a byte order mark"},
		{"trailing comma", `{"a":1,}`, 0, "invalid JSON at offset 7"},
		{"array trailing comma", `[1,]`, 0, "invalid JSON at offset 3"},
		{"two values", `{} {}`, 0, "invalid JSON at offset 3"},
		{"unquoted key", `{a:1}`, 0, "invalid JSON at offset 1"},
		{"missing colon", `{"a" 1}`, 0, "invalid JSON at offset 5"},
		{"leading zero", `01`, 0, "invalid JSON at offset 1"},
		{"bare minus", `-`, 0, "invalid JSON: unexpected end at offset 1"},
		{"bad fraction", `1.`, 0, "invalid JSON: unexpected end at offset 2"},
		{"bad exponent", `1e+x`, 0, "invalid JSON at offset 3"},
		{"bad literal", `tru`, 0, "invalid JSON at offset 0"},
		{"bad escape", `"\x"`, 0, "invalid JSON at offset 2"},
		{"short unicode escape", `"\u12"`, 0, "invalid JSON at offset 5"},
		{"control char", "\"a\nb\"", 0, "invalid JSON at offset 2"},
		{"unterminated string", `{"a":"b`, 0, "invalid JSON: unexpected end at offset 7"},
		{"truncated", `{"a":[1,2`, 0, "invalid JSON: unexpected end at offset 9"},
		{"mismatched", `[1}`, 0, "invalid JSON at offset 2"},
		{"nul byte", "{\x00}", 0, "invalid JSON at offset 1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := CheckJSON([]byte(tt.body), tt.depth)
			if tt.want == "" {
				if err != nil {
					t.Fatalf("CheckJSON(%q) = %v, want nil", tt.body, err)
				}
				return
			}
			if hookhub.ErrorCode(err) != hookhub.EINVALID || hookhub.ErrorMessage(err) != tt.want {
				t.Fatalf("CheckJSON(%q) = %v, want EINVALID %q", tt.body, err, tt.want)
			}
		})
	}
}

// A body nested 10,000 deep must be refused at once, without deep recursion.
func TestCheckJSONHostileDepth(t *testing.T) {
	t.Parallel()
	for _, body := range []string{
		strings.Repeat("[", 10000) + strings.Repeat("]", 10000),
		strings.Repeat(`{"a":`, 10000) + "1" + strings.Repeat("}", 10000),
		strings.Repeat("[", 1<<20),
		// Bytes past the limit are never read: garbage there would otherwise
		// be reported as a syntax error, so the depth error proves the scan
		// stopped at the limit rather than walking a hostile body to its end.
		strings.Repeat("[", 65) + "\x00 not JSON " + strings.Repeat("]", 65),
	} {
		err := CheckJSON([]byte(body), 0)
		if hookhub.ErrorMessage(err) != "JSON nested deeper than 64" {
			t.Fatalf("err = %v", err)
		}
	}
}

func BenchmarkCheckJSON(b *testing.B) {
	body := []byte(`{"items":[` + strings.Repeat(`{"id":12345,"name":"widget \u00e9","tags":["a","b"],"price":1.5e2,"ok":true},`, 5000) + `null]}`)
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		if err := CheckJSON(body, 0); err != nil {
			b.Fatal(err)
		}
	}
}
