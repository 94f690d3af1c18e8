package alert_test

import (
	"testing"

	"github.com/hookhub/hookhub/alert"
)

func TestNormalizeSeverity(t *testing.T) {
	t.Parallel()
	tests := []struct {
		want  string
		words []string
	}{
		{"critical", []string{"critical", "CRITICAL", " Crit ", "fatal", "emergency", "emerg", "alert", "panic",
			"disaster", "P0", "p1", "sev1", "SEV-1", "sev_0", "Sev 1"}},
		{"high", []string{"high", "HIGH", "error", "err", "severe", "major", "urgent", "P2", "sev2", "SEV-2"}},
		{"medium", []string{"medium", "warning", "WARNING", "warn", "moderate", "average", "p3", "sev3"}},
		{"low", []string{"low", "LOW", "minor", "notice", "p4", "sev4"}},
		{"info", []string{"info", "INFO", "informational", "information", "debug", "trace", "ok", "none", "normal",
			"success", "not classified", "not_classified", "p5", "sev5", "", "  ", "unknown", "disk", "정보"}},
	}
	for _, tt := range tests {
		for _, w := range tt.words {
			if got := alert.NormalizeSeverity(w); got != tt.want {
				t.Errorf("NormalizeSeverity(%q) = %q, want %q", w, got, tt.want)
			}
		}
	}
}
