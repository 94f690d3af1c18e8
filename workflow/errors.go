package workflow

import (
	"fmt"

	"github.com/hookhub/hookhub"
)

// fieldError is a problem with one field of a node.
type fieldError struct {
	field string
	msg   string
	// follows is set when msg reads after the field's name, as package
	// expr words its errors ("expression does not compile: …").
	follows bool
}

func (e *fieldError) Error() string { return e.field + ": " + e.msg }

// bad returns a fieldError.
func bad(field, format string, args ...any) error {
	return &fieldError{field: field, msg: fmt.Sprintf(format, args...)}
}

// wrapped returns the fieldError of an expression or template that failed
// to compile.
func wrapped(field string, err error) error {
	return &fieldError{field: field, msg: hookhub.ErrorMessage(err), follows: true}
}

// nodeError returns the EINVALID error of a node's field: 'node "check",
// field then: no node "x"'.
func nodeError(id string, err error) error {
	fe, ok := err.(*fieldError)
	switch {
	case !ok:
		return hookhub.Errorf(hookhub.EINVALID, "node %q: %s", id, hookhub.ErrorMessage(err))
	case fe.follows:
		return hookhub.Errorf(hookhub.EINVALID, "node %q, field %s %s", id, fe.field, fe.msg)
	}
	return hookhub.Errorf(hookhub.EINVALID, "node %q, field %s: %s", id, fe.field, fe.msg)
}

// message is an error's user-facing text.
func message(err error) string { return hookhub.ErrorMessage(err) }
