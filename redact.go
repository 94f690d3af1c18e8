package hookhub

import (
	"net/url"
	"strings"
)

// RedactedCredential stands in for a password or token inside a URL that is
// shown (the API, the attempt log). A URL sent back with it keeps the stored
// credential.
const RedactedCredential = "xxxxx"

// RedactURLs masks the credentials of each comma-separated URL in raw: a
// password becomes RedactedCredential, and so does a user name that stands
// alone, since brokers such as NATS take it as a token. What does not parse
// is masked whole, as it may be a URL with a secret in it.
func RedactURLs(raw string) string {
	if raw == "" {
		return ""
	}
	parts := strings.Split(raw, ",")
	for i, p := range parts {
		parts[i] = redactURL(strings.TrimSpace(p))
	}
	return strings.Join(parts, ",")
}

func redactURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return RedactedCredential
	}
	if u.User == nil {
		return raw
	}
	if _, ok := u.User.Password(); ok {
		u.User = url.UserPassword(u.User.Username(), RedactedCredential)
	} else {
		u.User = url.User(RedactedCredential)
	}
	return u.String()
}

// UnredactURLs returns sent with each credential that is RedactedCredential
// replaced by the one at the same place in stored, so a client can send back
// a URL it read. A URL whose host differs from the stored one keeps no
// credential of it: a redacted password is never sent to a new host.
func UnredactURLs(sent, stored string) string {
	if !strings.Contains(sent, RedactedCredential) {
		return sent
	}
	olds := strings.Split(stored, ",")
	parts := strings.Split(sent, ",")
	for i, p := range parts {
		if i < len(olds) {
			parts[i] = unredactURL(strings.TrimSpace(p), strings.TrimSpace(olds[i]))
		}
	}
	return strings.Join(parts, ",")
}

func unredactURL(sent, stored string) string {
	u, err := url.Parse(sent)
	if err != nil || u.User == nil {
		return sent
	}
	old, err := url.Parse(stored)
	if err != nil || old.User == nil || old.Host != u.Host {
		return sent
	}
	pw, hasPW := u.User.Password()
	switch {
	case hasPW && pw == RedactedCredential && u.User.Username() == old.User.Username():
		u.User = old.User
	case !hasPW && u.User.Username() == RedactedCredential:
		u.User = old.User
	}
	return u.String()
}
