package workflow

import (
	"net/url"
	"slices"
	"strings"

	"github.com/hookhub/hookhub"
	"github.com/hookhub/hookhub/ingest"
)

// Sample is the paths a sample request offers for a trigger's parse
// settings, as seed 002's parse button lists them: header names, query
// paths (query[0].a) and JSON body paths (a, b, b.c), with their values.
type Sample struct {
	Headers []SamplePath
	Query   []SamplePath
	Body    []SamplePath
}

// SamplePath is one path of a sample and the value it holds there.
type SamplePath struct {
	Path  string
	Value any
}

// ParseSample lists the paths of a sample request: rawURL is a whole URL or
// only its query ("?a=1" or "a=1"), body its JSON body (may be empty). A
// body that is not JSON is an EINVALID error.
func ParseSample(rawURL string, headers map[string]string, body []byte) (Sample, error) {
	var s Sample
	for _, name := range sortedKeys(headers) {
		s.Headers = append(s.Headers, SamplePath{Path: name, Value: headers[name]})
	}
	q, err := sampleQuery(rawURL)
	if err != nil {
		return Sample{}, err
	}
	s.Query = paths(ingest.FlattenQuery(q))
	if len(strings.TrimSpace(string(body))) > 0 {
		if err := ingest.CheckJSON(body, ingest.MaxJSONDepth); err != nil {
			return Sample{}, err
		}
		doc, err := ingest.DecodeJSON(body)
		if err != nil {
			return Sample{}, err
		}
		s.Body = paths(ingest.FlattenValue(doc, ingest.DefaultLimit))
	}
	return s, nil
}

func sampleQuery(raw string) (url.Values, error) {
	raw = strings.TrimSpace(raw)
	if i := strings.IndexByte(raw, '?'); i >= 0 {
		raw = raw[i+1:]
	} else if strings.Contains(raw, "://") {
		raw = ""
	}
	if i := strings.IndexByte(raw, '#'); i >= 0 {
		raw = raw[:i]
	}
	q, err := url.ParseQuery(raw)
	if err != nil {
		return nil, hookhub.Errorf(hookhub.EINVALID, "url: the query does not parse: %s", err)
	}
	return q, nil
}

// paths lists flattened paths, shallowest first, then by name.
func paths(flat map[string]any) []SamplePath {
	out := make([]SamplePath, 0, len(flat))
	for p, v := range flat {
		out = append(out, SamplePath{Path: p, Value: v})
	}
	slices.SortFunc(out, func(a, b SamplePath) int {
		if da, db := depth(a.Path), depth(b.Path); da != db {
			return da - db
		}
		return strings.Compare(a.Path, b.Path)
	})
	return out
}

func depth(p string) int { return strings.Count(p, ".") + strings.Count(p, "[") }
