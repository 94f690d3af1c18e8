package netguard

import (
	"net/netip"
	"net/url"
	"strconv"

	"github.com/hookhub/hookhub"
)

// CheckURL reports whether raw is a usable destination URL: absolute http or
// https, with a host, a valid port if any, and no user:password part (which
// would be sent to every redirect target and shown in logs). It does not look
// at addresses; the dialer does that, after DNS resolution.
func CheckURL(raw string) error {
	_, err := parseURL(raw)
	return err
}

// CheckURL is CheckURL plus an early refusal of a host that is a literal IP
// address the guard would refuse at dial time, so a mistake shows when the
// destination is saved rather than on its first delivery.
func (g *Guard) CheckURL(raw string) error {
	u, err := parseURL(raw)
	if err != nil {
		return err
	}
	ip, err := netip.ParseAddr(u.Hostname())
	if err != nil {
		return nil // a name; checked when it resolves
	}
	return g.check(ip)
}

func parseURL(raw string) (*url.URL, error) {
	u, err := url.Parse(raw)
	switch {
	case err != nil:
		return nil, invalid("destination URL %q does not parse", raw)
	case u.Scheme != "http" && u.Scheme != "https":
		return nil, invalid("destination URL must start with http:// or https://")
	case u.Hostname() == "":
		return nil, invalid("destination URL has no host")
	case u.User != nil:
		return nil, invalid("destination URL must not contain a user name or password; use a custom header for credentials")
	}
	if p := u.Port(); p != "" {
		if n, err := strconv.Atoi(p); err != nil || n < 1 || n > 65535 {
			return nil, invalid("destination URL port %q is not between 1 and 65535", p)
		}
	}
	return u, nil
}

func invalid(format string, args ...any) error {
	return hookhub.Errorf(hookhub.EINVALID, format, args...)
}
