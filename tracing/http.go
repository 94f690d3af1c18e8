package tracing

import (
	"net/http"

	"go.opentelemetry.io/otel/attribute"
	semconv "go.opentelemetry.io/otel/semconv/v1.43.0"
)

// Method returns the http.request.method attribute of m: m itself when it
// is a standard method, _OTHER otherwise, as OpenTelemetry's HTTP
// conventions say (span names and attributes stay bounded).
func Method(m string) attribute.KeyValue {
	switch m {
	case http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch,
		http.MethodDelete, http.MethodConnect, http.MethodOptions, http.MethodTrace:
		return semconv.HTTPRequestMethodKey.String(m)
	}
	return semconv.HTTPRequestMethodOther
}

// MethodName is m for a span name: m when standard, HTTP otherwise.
func MethodName(m string) string {
	if v := Method(m); v.Value.AsString() != "_OTHER" {
		return m
	}
	return "HTTP"
}
