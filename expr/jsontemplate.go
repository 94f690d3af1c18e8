package expr

import (
	"encoding/json"
	"errors"
)

// checkJSON marks which substitutions sit inside JSON strings and checks
// that the template is JSON with every other substitution read as null.
func (t *Template) checkJSON() *problem {
	var sk skeleton
	inString, escaped := false, false
	for i := range t.parts {
		p := &t.parts[i]
		if p.prg != nil {
			if escaped {
				return &problem{pos: positionAt(t.src, p.off), msg: "a substitution may not follow a backslash in a JSON string"}
			}
			p.inString = inString
			if !inString {
				sk.add("null", p.off)
			}
			continue
		}
		for j := 0; j < len(p.lit); j++ {
			c := p.lit[j]
			switch {
			case escaped:
				escaped = false
			case inString && c == '\\':
				escaped = true
			case c == '"':
				inString = !inString
			}
		}
		sk.add(p.lit, p.off)
	}
	if err := json.Unmarshal(sk.text, new(json.RawMessage)); err != nil {
		return &problem{pos: positionAt(t.src, sk.source(err)), msg: "once substitutions are read as null, " + jsonMessage(err)}
	}
	return nil
}

// skeleton is the template with substitutions replaced, and where each
// piece of it came from, so a JSON error points into the template.
type skeleton struct {
	text   []byte
	starts []int // skeleton offset of each piece
	from   []int // template offset of each piece
}

func (s *skeleton) add(text string, from int) {
	s.starts = append(s.starts, len(s.text))
	s.from = append(s.from, from)
	s.text = append(s.text, text...)
}

// source maps the offset of a JSON error back into the template.
func (s *skeleton) source(err error) int {
	var syn *json.SyntaxError
	at := len(s.text)
	if errors.As(err, &syn) {
		at = int(syn.Offset)
	}
	at = max(at-1, 0)
	for i := len(s.starts) - 1; i >= 0; i-- {
		if at >= s.starts[i] {
			return s.from[i] + at - s.starts[i]
		}
	}
	return 0
}

func jsonMessage(err error) string {
	var syn *json.SyntaxError
	if errors.As(err, &syn) {
		return syn.Error()
	}
	if err.Error() == "unexpected end of JSON input" {
		return "it ends too early"
	}
	return err.Error()
}
