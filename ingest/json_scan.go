package ingest

import "github.com/hookhub/hookhub"

// scanner validates JSON syntax (RFC 8259) as a loop over bytes. Open
// containers live on an explicit stack bounded by max, never on the Go stack.
type scanner struct {
	data  []byte
	pos   int
	stack []byte // '{' or '[' per open container
	max   int
}

// check alternates between reading a value and reading what follows one
// until the top-level value ends.
func (s *scanner) check() error {
	needValue := true
	for {
		var err error
		if needValue {
			needValue, err = s.value()
		} else {
			var end bool
			needValue, end, err = s.next()
			if end {
				return err
			}
		}
		if err != nil {
			return err
		}
	}
}

// value reads a scalar, an empty container, or the opening of a non-empty
// one (with an object's first key); it reports whether a value must follow.
func (s *scanner) value() (bool, error) {
	s.skipSpace()
	switch c := s.peek(); {
	case c == '{' || c == '[':
		if err := s.push(c); err != nil {
			return false, err
		}
		s.pos++
		s.skipSpace()
		if s.peek() == closer(c) {
			s.pos++
			s.pop()
			return false, nil
		}
		if c == '{' {
			return true, s.key()
		}
		return true, nil
	case c == '"':
		return false, s.str()
	case c == '-' || isDigit(c):
		return false, s.number()
	}
	return false, s.literal()
}

// next reads what follows a complete value: a comma, the innermost
// container's closing bracket, or (at top level) the end of the body.
func (s *scanner) next() (needValue, end bool, err error) {
	s.skipSpace()
	if len(s.stack) == 0 {
		if s.pos < len(s.data) {
			return false, true, s.syntax()
		}
		return false, true, nil
	}
	top := s.stack[len(s.stack)-1]
	switch c := s.peek(); {
	case c == ',':
		s.pos++
		if top == '{' {
			s.skipSpace()
			return true, false, s.key()
		}
		return true, false, nil
	case c == closer(top):
		s.pos++
		s.pop()
		return false, false, nil
	}
	return false, false, s.syntax()
}

// key reads an object member's name and the colon after it.
func (s *scanner) key() error {
	if s.peek() != '"' {
		return s.syntax()
	}
	if err := s.str(); err != nil {
		return err
	}
	s.skipSpace()
	if s.peek() != ':' {
		return s.syntax()
	}
	s.pos++
	return nil
}

// str reads a string starting at its opening quote. UTF-8 was checked for
// the whole body already, so only escapes and control bytes matter here.
func (s *scanner) str() error {
	s.pos++
	for s.pos < len(s.data) {
		switch c := s.data[s.pos]; {
		case c == '"':
			s.pos++
			return nil
		case c == '\\':
			if err := s.escape(); err != nil {
				return err
			}
		case c < 0x20:
			return s.syntax()
		default:
			s.pos++
		}
	}
	return s.syntax()
}

// escape reads one backslash escape.
func (s *scanner) escape() error {
	s.pos++
	switch s.peek() {
	case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
		s.pos++
		return nil
	case 'u':
		s.pos++
		for range 4 {
			if !isHex(s.peek()) {
				return s.syntax()
			}
			s.pos++
		}
		return nil
	}
	return s.syntax()
}

// number reads -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?.
func (s *scanner) number() error {
	if s.peek() == '-' {
		s.pos++
	}
	switch c := s.peek(); {
	case c == '0':
		s.pos++
	case isDigit(c):
		s.digits()
	default:
		return s.syntax()
	}
	if s.peek() == '.' {
		s.pos++
		if !isDigit(s.peek()) {
			return s.syntax()
		}
		s.digits()
	}
	if c := s.peek(); c == 'e' || c == 'E' {
		s.pos++
		if c := s.peek(); c == '+' || c == '-' {
			s.pos++
		}
		if !isDigit(s.peek()) {
			return s.syntax()
		}
		s.digits()
	}
	return nil
}

// literal reads true, false or null.
func (s *scanner) literal() error {
	for _, lit := range [...]string{"true", "false", "null"} {
		if len(s.data)-s.pos >= len(lit) && string(s.data[s.pos:s.pos+len(lit)]) == lit {
			s.pos += len(lit)
			return nil
		}
	}
	return s.syntax()
}

func (s *scanner) push(c byte) error {
	if len(s.stack) >= s.max {
		return hookhub.Errorf(hookhub.EINVALID, "JSON nested deeper than %d", s.max)
	}
	s.stack = append(s.stack, c)
	return nil
}

func (s *scanner) pop() { s.stack = s.stack[:len(s.stack)-1] }

func (s *scanner) digits() {
	for isDigit(s.peek()) {
		s.pos++
	}
}

func (s *scanner) skipSpace() {
	for s.pos < len(s.data) {
		switch s.data[s.pos] {
		case ' ', '\t', '\n', '\r':
			s.pos++
		default:
			return
		}
	}
}

// peek returns the current byte, or 0 at the end (0 is never valid there).
func (s *scanner) peek() byte {
	if s.pos < len(s.data) {
		return s.data[s.pos]
	}
	return 0
}

// syntax describes an unexpected byte (or end) at the current position.
func (s *scanner) syntax() error {
	if s.pos >= len(s.data) {
		return hookhub.Errorf(hookhub.EINVALID, "invalid JSON: unexpected end at offset %d", len(s.data))
	}
	return hookhub.Errorf(hookhub.EINVALID, "invalid JSON at offset %d", s.pos)
}

func closer(open byte) byte {
	if open == '{' {
		return '}'
	}
	return ']'
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

func isHex(c byte) bool {
	return isDigit(c) || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}
