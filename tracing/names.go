package tracing

import "go.opentelemetry.io/otel/attribute"

// Span names (docs/tracing.md shows where each starts and ends). The
// request spans of the HTTP server are named "{method} {route}", as
// OpenTelemetry's HTTP conventions name them.
const (
	SpanVerify    = "hookhub.verify"    // the source's signature check
	SpanRoute     = "hookhub.route"     // choosing the destinations
	SpanCommit    = "hookhub.commit"    // storing the event with its deliveries
	SpanAttempt   = "hookhub.attempt"   // one attempt of one delivery
	SpanTransform = "hookhub.transform" // a destination's transform, in an attempt
	SpanRun       = "hookhub.workflow.run"
	SpanStep      = "hookhub.workflow.step"
)

// Hookhub's own span attributes; HTTP and messaging attributes use
// OpenTelemetry's semantic-convention names.
const (
	AttrEventID         = attribute.Key("hookhub.event.id")
	AttrEventType       = attribute.Key("hookhub.event.type")
	AttrEventStatus     = attribute.Key("hookhub.event.status")
	AttrSourceID        = attribute.Key("hookhub.source.id")
	AttrVerifyScheme    = attribute.Key("hookhub.verification.scheme")
	AttrVerifyResult    = attribute.Key("hookhub.verification.result")
	AttrDeliveries      = attribute.Key("hookhub.deliveries")
	AttrRuns            = attribute.Key("hookhub.workflow.runs")
	AttrDeliveryID      = attribute.Key("hookhub.delivery.id")
	AttrDestinationID   = attribute.Key("hookhub.destination.id")
	AttrDestinationType = attribute.Key("hookhub.destination.type")
	AttrAttemptNumber   = attribute.Key("hookhub.attempt.number")
	AttrAttemptTrigger  = attribute.Key("hookhub.attempt.trigger")
	AttrAttemptOutcome  = attribute.Key("hookhub.attempt.outcome")
	AttrAttemptTarget   = attribute.Key("hookhub.attempt.target")
	AttrWorkflowID      = attribute.Key("hookhub.workflow.id")
	AttrWorkflowVersion = attribute.Key("hookhub.workflow.version")
	AttrRunID           = attribute.Key("hookhub.workflow.run.id")
	AttrRunStatus       = attribute.Key("hookhub.workflow.run.status")
	AttrNodeID          = attribute.Key("hookhub.workflow.node.id")
	AttrNodeType        = attribute.Key("hookhub.workflow.node.type")
	AttrStepStatus      = attribute.Key("hookhub.workflow.step.status")
)
