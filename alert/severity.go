package alert

import (
	"strings"

	"github.com/hookhub/hookhub"
)

// NormalizeSeverity maps a sender's severity word to one of hookhub's five
// severities. Case, surrounding space and the separators in "SEV-1" or
// "not_classified" are ignored. The words come from the senders Hookhub
// reads and from common scales:
//
//	critical  critical crit fatal emergency emerg alert panic disaster p0 p1 sev0 sev1
//	high      high error err severe major urgent p2 sev2
//	medium    medium warning warn moderate average p3 sev3
//	low       low minor notice p4 sev4
//	info      info informational information debug trace ok none normal
//	          success notclassified p5 sev5, and any word not listed
//
// The syslog levels (emergency, alert, critical, error, warning, notice,
// informational, debug), PagerDuty's (critical, error, warning, info),
// Zabbix's (disaster, high, average, warning, information, not classified)
// and Opsgenie's P1–P5 all land where their own scale puts them. An unknown
// or empty word is info: guessing urgency would page people for nothing.
func NormalizeSeverity(word string) string {
	w := strings.Map(func(r rune) rune {
		if r == '-' || r == '_' || r == ' ' {
			return -1
		}
		return r
	}, strings.ToLower(strings.TrimSpace(word)))
	switch w {
	case "critical", "crit", "fatal", "emergency", "emerg", "alert", "panic", "disaster",
		"p0", "p1", "sev0", "sev1":
		return hookhub.SeverityCritical
	case "high", "error", "err", "severe", "major", "urgent", "p2", "sev2":
		return hookhub.SeverityHigh
	case "medium", "warning", "warn", "moderate", "average", "p3", "sev3":
		return hookhub.SeverityMedium
	case "low", "minor", "notice", "p4", "sev4":
		return hookhub.SeverityLow
	}
	return hookhub.SeverityInfo
}

// severityRank orders severities, most urgent highest.
func severityRank(s string) int {
	switch s {
	case hookhub.SeverityCritical:
		return 5
	case hookhub.SeverityHigh:
		return 4
	case hookhub.SeverityMedium:
		return 3
	case hookhub.SeverityLow:
		return 2
	}
	return 1
}
