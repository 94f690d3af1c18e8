package tracing

import (
	"os"
	"strings"
	"testing"

	"go.opentelemetry.io/otel/attribute"
)

// TestNamesAreDocumented: every span name and Hookhub attribute is in
// docs/tracing.md.
func TestNamesAreDocumented(t *testing.T) {
	t.Parallel()
	doc, err := os.ReadFile("../docs/tracing.md")
	if err != nil {
		t.Fatal(err)
	}
	spans := []string{SpanVerify, SpanRoute, SpanCommit, SpanAttempt, SpanTransform, SpanRun, SpanStep}
	attrs := []attribute.Key{AttrEventID, AttrEventType, AttrEventStatus, AttrSourceID, AttrVerifyScheme,
		AttrVerifyResult, AttrDeliveries, AttrRuns, AttrDeliveryID, AttrDestinationID, AttrDestinationType,
		AttrAttemptNumber, AttrAttemptTrigger, AttrAttemptOutcome, AttrAttemptTarget, AttrWorkflowID,
		AttrWorkflowVersion, AttrRunID, AttrRunStatus, AttrNodeID, AttrNodeType, AttrStepStatus}
	for _, a := range attrs {
		spans = append(spans, string(a))
	}
	for _, name := range spans {
		if !strings.Contains(string(doc), "`"+name+"`") {
			t.Errorf("docs/tracing.md does not name %s", name)
		}
	}
}
