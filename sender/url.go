package sender

import (
	"net"
	"net/url"
	"slices"
	"strings"

	"github.com/hookhub/hookhub"
)

// BrokerHost parses a broker URL and returns its host:port (defaultPort when
// it names none), refusing a scheme not in schemes or a URL without a host.
// Errors never repeat the URL, which may carry a password.
func BrokerHost(raw, defaultPort string, schemes ...string) (string, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return "", hookhub.Errorf(hookhub.EINVALID, "url does not parse")
	}
	if !slices.Contains(schemes, strings.ToLower(u.Scheme)) {
		return "", hookhub.Errorf(hookhub.EINVALID, "url must start with %s://", strings.Join(schemes, ":// or "))
	}
	if u.Hostname() == "" {
		return "", hookhub.Errorf(hookhub.EINVALID, "url has no host")
	}
	port := u.Port()
	if port == "" {
		port = defaultPort
	}
	return net.JoinHostPort(u.Hostname(), port), nil
}
