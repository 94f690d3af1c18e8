package expr

import (
	"context"
	"fmt"
	"strings"
	"unicode/utf8"

	"cel.dev/cel-go/cel"

	"github.com/hookhub/hookhub"
)

// Template is a text with {{ <CEL> }} substitutions, parsed once. It is
// safe for concurrent use.
type Template struct {
	src   string
	parts []part
	json  bool
}

// part is a literal text or one substitution.
type part struct {
	lit      string
	prg      *Program // nil for a literal
	inString bool     // JSON templates: the substitution sits inside a JSON string
	off      int      // byte offset in the template
}

// ParseTemplate parses a text template in env. A template that is too
// long, leaves a {{ open or holds an expression that does not compile is an
// EINVALID error naming the line and column in the template, worded to
// follow the setting's name ("subject is not a valid template: line 1, …").
// A literal {{ is written {{ "{{" }}.
func ParseTemplate(env *cel.Env, src string) (*Template, error) {
	t, prob := parse(env, src)
	if prob != nil {
		return nil, hookhub.Errorf(hookhub.EINVALID, "is not a valid template: %s", prob.text())
	}
	return t, nil
}

// ParseJSONTemplate parses a template whose result is JSON. Outside JSON
// strings each substitution becomes its value's JSON ({"order": {{ id }}}),
// inside a string its text, escaped ({"note": "order {{ id }}"}). The
// template itself must be JSON once every substitution outside strings is
// read as null, which makes every rendering valid JSON.
func ParseJSONTemplate(env *cel.Env, src string) (*Template, error) {
	t, prob := parse(env, src)
	if prob == nil {
		t.json = true
		prob = t.checkJSON()
	}
	if prob != nil {
		return nil, hookhub.Errorf(hookhub.EINVALID, "is not a valid JSON template: %s", prob.text())
	}
	return t, nil
}

// Source returns the template as written.
func (t *Template) Source() string { return t.src }

// IsJSON reports whether the template was parsed as a JSON template.
func (t *Template) IsJSON() bool { return t.json }

// Programs returns the template's compiled substitutions in order, for
// callers that check what a template reads.
func (t *Template) Programs() []*Program {
	var out []*Program
	for _, p := range t.parts {
		if p.prg != nil {
			out = append(out, p.prg)
		}
	}
	return out
}

// Literal returns the template's text when it has no substitutions.
func (t *Template) Literal() (string, bool) {
	switch {
	case len(t.parts) == 0:
		return "", true
	case len(t.parts) == 1 && t.parts[0].prg == nil:
		return t.parts[0].lit, true
	}
	return "", false
}

// Render evaluates every substitution with vars, all within MaxEvalTime,
// and returns the text, at most MaxOutputBytes. Evaluation errors are
// EUNPROCESSABLE and quote the expression that failed.
func (t *Template) Render(ctx context.Context, vars map[string]any) (string, error) {
	b, err := t.RenderBytes(ctx, vars)
	return string(b), err
}

// RenderBytes is Render returning bytes.
func (t *Template) RenderBytes(ctx context.Context, vars map[string]any) ([]byte, error) {
	if s, ok := t.Literal(); ok {
		return []byte(s), nil
	}
	ctx, cancel := context.WithTimeout(ctx, MaxEvalTime)
	defer cancel()
	o := &out{max: MaxOutputBytes}
	for _, p := range t.parts {
		if err := t.renderPart(ctx, o, p, vars); err != nil {
			return nil, err
		}
	}
	return o.b, nil
}

func (t *Template) renderPart(ctx context.Context, o *out, p part, vars map[string]any) error {
	if p.prg == nil {
		return o.write(p.lit)
	}
	v, err := p.prg.evalIn(ctx, vars)
	if err != nil {
		return hookhub.Errorf(hookhub.EUNPROCESSABLE, "{{ %s }}: %s", strings.TrimSpace(p.prg.src), hookhub.ErrorMessage(err))
	}
	switch {
	case !t.json:
		err = appendText(o, v)
	case p.inString:
		text := &out{max: o.max - len(o.b)}
		if err = appendText(text, v); err == nil {
			err = o.write(string(appendEscaped(nil, string(text.b))))
		}
	default:
		err = appendJSON(o, v, 0)
	}
	if err != nil {
		return hookhub.Errorf(hookhub.EUNPROCESSABLE, "{{ %s }}: %s", strings.TrimSpace(p.prg.src), hookhub.ErrorMessage(err))
	}
	return nil
}

// parse splits src into literals and compiled substitutions.
func parse(env *cel.Env, src string) (*Template, *problem) {
	t := &Template{src: src}
	if len(src) > MaxTemplateBytes {
		return nil, &problem{pos: position{1, 1, 0}, msg: fmt.Sprintf("template is longer than %d bytes", MaxTemplateBytes)}
	}
	rest, off := src, 0
	for {
		i := strings.Index(rest, "{{")
		if i < 0 {
			t.addLiteral(rest, off)
			return t, nil
		}
		t.addLiteral(rest[:i], off)
		start := off + i + 2
		n, ok := exprEnd(src[start:])
		if !ok {
			return nil, &problem{pos: positionAt(src, off+i), msg: "{{ is not closed by }}"}
		}
		inner := src[start : start+n]
		prg, prob := compile(env, inner)
		if prob != nil {
			prob.pos = positionAt(src, start+prob.pos.offset)
			return nil, prob
		}
		t.parts = append(t.parts, part{prg: prg, off: off + i})
		off = start + n + 2
		rest = src[off:]
	}
}

func (t *Template) addLiteral(s string, off int) {
	if s != "" {
		t.parts = append(t.parts, part{lit: s, off: off})
	}
}

// positionAt returns the line and column of a byte offset in src.
func positionAt(src string, offset int) position {
	offset = min(offset, len(src))
	before := src[:offset]
	line := strings.Count(before, "\n") + 1
	lineStart := strings.LastIndexByte(before, '\n') + 1
	return position{line: line, column: utf8.RuneCountInString(before[lineStart:]) + 1, offset: offset}
}
