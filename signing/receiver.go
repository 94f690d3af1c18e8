package signing

import "github.com/hookhub/hookhub"

// Verification returns how a receiver checks cfg's signatures with
// Hookhub's verify package: the settings a Hookhub source needs to accept
// what this destination sends, and what "hookhub verify" uses for
// outbound schemes.
func Verification(cfg hookhub.SigningConfig) hookhub.Verification {
	v := hookhub.Verification{Secret: cfg.Secret}
	switch cfg.Scheme {
	case hookhub.SignHubSignature:
		v.Scheme, v.Header, v.Prefix, v.Algorithm, v.Encoding = "hmac", orDefault(cfg.Header, DefaultHubHeader), "sha256=", "sha256", "hex"
	case hookhub.SignTimestampBody:
		v.Scheme, v.Header, v.Algorithm, v.Encoding = "hmac", orDefault(cfg.Header, DefaultTimestampBodyHeader), "sha256", "base64"
		v.Signed, v.TimestampHeader = "timestamp+body", orDefault(cfg.TimestampHeader, DefaultTimestampBodyTSHeader)
	case hookhub.SignNone:
		v = hookhub.Verification{Scheme: "none"}
	default:
		v.Scheme = hookhub.SignStandardWebhooks
	}
	return v
}
