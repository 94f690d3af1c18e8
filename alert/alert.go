// Package alert reads the alerts in an alert source's webhook body and
// normalizes them to hookhub.Alert, one parser per sender's format.
package alert

import (
	"net/http"
	"strings"

	"github.com/hookhub/hookhub"
	"github.com/hookhub/hookhub/ingest"
)

// parser reads the alerts of one kind's webhook body.
type parser func(cfg hookhub.AlertConfig, header http.Header, in input) ([]hookhub.Alert, error)

// input is a webhook body as received and, decoded once by whoever read the
// request, its JSON value. Formats with a fixed schema decode the bytes into
// their own types; the others read the shared value.
type input struct {
	raw []byte
	doc func() (any, error)
}

// parserFor returns the parser of kind, or nil when kind is unknown.
func parserFor(kind string) parser {
	switch kind {
	case hookhub.SourceWhaTap:
		return parseWhaTap
	case hookhub.SourceAlertmanager:
		return parseAlertmanager
	case hookhub.SourcePagerDuty:
		return parsePagerDuty
	case hookhub.SourceGrafana:
		return parseGrafana
	case hookhub.SourcePanther:
		return parsePanther
	case hookhub.SourceGeneric:
		return parseGeneric
	}
	return nil
}

// Kinds lists the known kinds.
func Kinds() []string {
	return []string{
		hookhub.SourceWhaTap, hookhub.SourceAlertmanager, hookhub.SourcePagerDuty,
		hookhub.SourceGrafana, hookhub.SourcePanther, hookhub.SourceGeneric,
	}
}

// Parse reads the alerts in one webhook body of a source whose alerts are
// read as cfg says. It returns at least one alert, or an error: EINVALID for
// a body that is not JSON or has the wrong shape (and for any bad PagerDuty
// event), EUNPROCESSABLE naming every required field the body lacks.
func Parse(cfg hookhub.AlertConfig, header http.Header, body []byte) ([]hookhub.Alert, error) {
	return ParseDecoded(cfg, header, body, func() (any, error) { return ingest.DecodeJSON(body) })
}

// ParseDecoded is Parse for a body whose JSON the caller decodes (see
// ingest.Body), so the request's body is not decoded again for alerts that
// read it as generic JSON. doc must return the value ingest.DecodeJSON
// would, or its error.
func ParseDecoded(cfg hookhub.AlertConfig, header http.Header, body []byte, doc func() (any, error)) ([]hookhub.Alert, error) {
	p := parserFor(cfg.Kind)
	if p == nil {
		return nil, hookhub.Errorf(hookhub.EINVALID, "unknown alert kind %q", cfg.Kind)
	}
	return p(cfg, header, input{raw: body, doc: doc})
}

// Validate checks an AlertConfig when a source is saved. An empty Kind is
// valid and means the source is not an alert source.
func Validate(cfg hookhub.AlertConfig) error {
	if cfg.Kind == "" {
		return nil
	}
	if parserFor(cfg.Kind) == nil {
		return hookhub.Errorf(hookhub.EINVALID, "alert kind %q is unknown; use one of %s",
			cfg.Kind, strings.Join(Kinds(), ", "))
	}
	switch cfg.GroupBy {
	case "":
	case groupByKey:
		if cfg.Kind != hookhub.SourceAlertmanager {
			return hookhub.Errorf(hookhub.EINVALID, "alert group_by %q applies only to alertmanager alerts", cfg.GroupBy)
		}
	default:
		return hookhub.Errorf(hookhub.EINVALID, "alert group_by must be empty or %q, not %q", groupByKey, cfg.GroupBy)
	}
	if cfg.Kind == hookhub.SourceGeneric {
		if err := validatePaths(cfg); err != nil {
			return err
		}
	}
	if cfg.ResolveExpression != "" {
		if _, err := compileResolve(cfg.ResolveExpression); err != nil {
			return err
		}
	}
	return nil
}

// validatePaths checks the generic mapping: a title path is required and no
// path may have an empty segment, which could never match.
func validatePaths(cfg hookhub.AlertConfig) error {
	if strings.TrimSpace(cfg.TitlePath) == "" {
		return hookhub.Errorf(hookhub.EINVALID, "generic alerts need a title_path")
	}
	type namedPath struct{ name, path string }
	named := []namedPath{
		{"title_path", cfg.TitlePath}, {"severity_path", cfg.SeverityPath}, {"status_path", cfg.StatusPath},
		{"link_path", cfg.LinkPath}, {"description_path", cfg.DescriptionPath},
	}
	for _, p := range cfg.FingerprintPaths {
		if p == "" {
			return hookhub.Errorf(hookhub.EINVALID, "alert fingerprint_paths may not contain an empty path")
		}
		named = append(named, namedPath{"fingerprint_paths", p})
	}
	for _, n := range named {
		if n.path != "" && !validPath(n.path) {
			return hookhub.Errorf(hookhub.EINVALID, "alert %s %q is not a dotted path like a.b.0.c", n.name, n.path)
		}
	}
	return nil
}
