package sender

import (
	"context"
	"encoding/json"
	"strings"
	"sync"

	"github.com/hookhub/hookhub"
	"github.com/hookhub/hookhub/expr"
)

// maxCachedTemplates bounds the compiled templates kept; past it the cache
// starts over, which costs a compile per template and nothing else.
const maxCachedTemplates = 1024

// templates caches compiled {{ }} templates by source: destinations change
// rarely, and compiling per delivery would cost more than the publish.
var templates = struct {
	sync.Mutex
	m map[string]*expr.Template
}{m: map[string]*expr.Template{}}

func template(src string) (*expr.Template, error) {
	templates.Lock()
	t, ok := templates.m[src]
	templates.Unlock()
	if ok {
		return t, nil
	}
	t, err := expr.ParseTemplate(expr.EventEnv(), src)
	if err != nil {
		return nil, err
	}
	templates.Lock()
	if len(templates.m) >= maxCachedTemplates {
		clear(templates.m)
	}
	templates.m[src] = t
	templates.Unlock()
	return t, nil
}

// CheckTemplate reports whether src is a template that compiles, naming the
// setting (such as "subject") when it is not.
func CheckTemplate(field, src string) error {
	if _, err := template(src); err != nil {
		return hookhub.Errorf(hookhub.EINVALID, "%s: %s", field, hookhub.ErrorMessage(err))
	}
	return nil
}

// Render renders the template src for the message's event: event.id,
// event.type, event.source_id, event.payload (the decoded JSON body) and the
// rest of expr.Event. The result is trimmed of surrounding spaces; an empty
// result is an error naming the setting, since no broker takes an empty
// subject, topic or key.
func (m *Message) Render(ctx context.Context, field, src string) (string, error) {
	t, err := template(src)
	if err != nil {
		return "", hookhub.Errorf(hookhub.EINVALID, "%s: %s", field, hookhub.ErrorMessage(err))
	}
	if s, ok := t.Literal(); ok {
		return s, nil
	}
	out, err := t.Render(ctx, expr.EventVars(m.exprEvent()))
	if err != nil {
		return "", hookhub.Errorf(hookhub.EUNPROCESSABLE, "%s: %s", field, hookhub.ErrorMessage(err))
	}
	out = strings.TrimSpace(out)
	if out == "" {
		return "", hookhub.Errorf(hookhub.EUNPROCESSABLE, "%s: the template %q gave an empty value for this event", field, src)
	}
	return out, nil
}

// exprEvent is the event as templates see it, decoded once per message.
func (m *Message) exprEvent() *expr.Event {
	if m.event == nil {
		var payload any
		if json.Unmarshal(m.Event.Body, &payload) != nil {
			payload = nil
		}
		m.event = expr.NewEvent(m.Event, payload, "")
	}
	return m.event
}
