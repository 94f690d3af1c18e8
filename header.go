package hookhub

import "fmt"

// checkHeaders refuses header names that are not HTTP tokens and values with
// control characters (CR and LF above all): net/http refuses to send such a
// header, so a setting holding one would fail every request it is used in.
// what names the setting in the error.
func checkHeaders(what string, h map[string]string) error {
	for k, v := range h {
		if err := checkHeaderName(what, k); err != nil {
			return err
		}
		if !validHeaderValue(v) {
			return Errorf(EINVALID, "%s: the value of %q must not contain control characters such as CR or LF", what, k)
		}
	}
	return nil
}

// checkHeaderName refuses a header name that is empty, long, or not an HTTP
// token (RFC 9110 §5.1).
func checkHeaderName(what, name string) error {
	if name == "" || len(name) > 100 {
		return Errorf(EINVALID, "%s: header names must have 1 to 100 characters", what)
	}
	for i := 0; i < len(name); i++ {
		if !isTokenChar(name[i]) {
			return Errorf(EINVALID, "%s: invalid header name %s: only letters, digits and !#$%%&'*+-.^_`|~ are allowed", what, quoteName(name))
		}
	}
	return nil
}

func quoteName(name string) string {
	if len(name) > 40 {
		name = name[:40] + "…"
	}
	return fmt.Sprintf("%q", name)
}

func isTokenChar(c byte) bool {
	switch {
	case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
		return true
	}
	switch c {
	case '!', '#', '$', '%', '&', '\'', '*', '+', '-', '.', '^', '_', '`', '|', '~':
		return true
	}
	return false
}

// validHeaderValue allows visible characters, spaces, tabs and UTF-8 text,
// but no other control character.
func validHeaderValue(v string) bool {
	for i := 0; i < len(v); i++ {
		if c := v[i]; (c < ' ' && c != '\t') || c == 0x7f {
			return false
		}
	}
	return true
}
