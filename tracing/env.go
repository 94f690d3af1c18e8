package tracing

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"
)

// Protocols an OTLP exporter can speak here.
const (
	ProtocolHTTP = "http/protobuf"
	ProtocolGRPC = "grpc"
)

// Settings is what Hookhub itself reads of the OTEL_* variables: whether
// to trace at all, and over which protocol. Everything else (headers,
// certificates, timeouts, compression, batching, resource attributes, the
// sampler) is read by the OpenTelemetry SDK from the same variables, as
// every OpenTelemetry SDK reads them.
type Settings struct {
	// On is true when traces are to be exported: an OTLP endpoint is set,
	// or OTEL_TRACES_EXPORTER says otlp, and OTEL_SDK_DISABLED does not
	// say true.
	On       bool
	Protocol string // ProtocolHTTP or ProtocolGRPC
}

// ReadSettings reads the OTEL_* variables through getenv and refuses what
// Hookhub cannot honour, naming the variable, so a typo fails at start-up
// instead of exporting nowhere.
func ReadSettings(getenv func(string) string) (Settings, error) {
	var s Settings
	if strings.EqualFold(strings.TrimSpace(getenv("OTEL_SDK_DISABLED")), "true") {
		return s, nil
	}
	exporters, err := tracesExporters(getenv("OTEL_TRACES_EXPORTER"))
	if err != nil {
		return s, err
	}
	endpoint := false
	for _, name := range []string{"OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "OTEL_EXPORTER_OTLP_ENDPOINT"} {
		if v := getenv(name); v != "" {
			if err := checkEndpoint(name, v); err != nil {
				return s, err
			}
			endpoint = true
		}
	}
	switch exporters {
	case "none":
		return s, nil
	case "otlp":
		s.On = true
	default: // unset: on only when told where to export
		s.On = endpoint
	}
	if !s.On {
		return s, nil
	}
	if s.Protocol, err = protocol(getenv); err != nil {
		return s, err
	}
	return s, checkSampler(getenv("OTEL_TRACES_SAMPLER"), getenv("OTEL_TRACES_SAMPLER_ARG"))
}

// tracesExporters reads OTEL_TRACES_EXPORTER: "" (unset), "otlp" or
// "none". The variable is a comma-separated list; otlp is the only
// exporter Hookhub ships, and none alone turns tracing off.
func tracesExporters(v string) (string, error) {
	out := ""
	for _, e := range strings.Split(v, ",") {
		switch e = strings.ToLower(strings.TrimSpace(e)); e {
		case "":
		case "otlp":
			out = "otlp"
		case "none":
			if out == "" {
				out = "none"
			}
		default:
			return "", fmt.Errorf("OTEL_TRACES_EXPORTER: %q is not supported; use otlp or none", e)
		}
	}
	return out, nil
}

func checkEndpoint(name, v string) error {
	u, err := url.Parse(v)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("%s: %q must be an http:// or https:// URL", name, v)
	}
	return nil
}

// protocol reads the traces protocol: the per-signal variable first, then
// the general one, then the specification's default, http/protobuf.
func protocol(getenv func(string) string) (string, error) {
	for _, name := range []string{"OTEL_EXPORTER_OTLP_TRACES_PROTOCOL", "OTEL_EXPORTER_OTLP_PROTOCOL"} {
		switch v := strings.TrimSpace(getenv(name)); v {
		case "":
			continue
		case ProtocolHTTP, ProtocolGRPC:
			return v, nil
		default:
			return "", fmt.Errorf("%s: %q is not supported; use http/protobuf or grpc", name, v)
		}
	}
	return ProtocolHTTP, nil
}

// checkSampler refuses a sampler the SDK would ignore (it falls back to its
// default with only a log line).
func checkSampler(name, arg string) error {
	switch strings.TrimSpace(name) {
	case "", "always_on", "always_off", "parentbased_always_on", "parentbased_always_off":
		return nil
	case "traceidratio", "parentbased_traceidratio":
		if arg == "" {
			return nil // the SDK's default ratio, 1
		}
		r, err := strconv.ParseFloat(strings.TrimSpace(arg), 64)
		if err != nil || r < 0 || r > 1 {
			return fmt.Errorf("OTEL_TRACES_SAMPLER_ARG: %q must be a ratio from 0 to 1", arg)
		}
		return nil
	}
	return fmt.Errorf("OTEL_TRACES_SAMPLER: %q is not supported; use always_on, always_off, traceidratio "+
		"or their parentbased_ forms", name)
}
