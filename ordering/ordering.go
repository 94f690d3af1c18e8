// Package ordering decides the ordering key of a delivery to a destination
// with ordering "fifo". The store claims deliveries of one destination and
// key one at a time, in the order they were stored (see
// hookhub.Store.ClaimDeliveries); this package only says which key a
// delivery has.
//
// The key is the destination's ordering_key template rendered over the
// event ("{{ event.payload.order_id }}"), or for a Kafka destination
// without one its message key, so Hookhub sends in the order Kafka keeps
// per partition. Without either, the whole destination is one key. An
// event the template fails on (a missing field) gets the empty key: its
// deliveries are still ordered, with the others the template failed on.
package ordering

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"strings"
	"sync"

	"github.com/hookhub/hookhub"
	"github.com/hookhub/hookhub/expr"
)

// MaxKeyBytes bounds a stored key; a longer rendering is kept as its SHA-256.
const MaxKeyBytes = 200

// Check reports whether d's ordering settings can be used: its key template
// compiles.
func Check(d *hookhub.Destination) error {
	if d.Ordering != hookhub.OrderingFIFO || d.OrderingKey == "" {
		return nil
	}
	if _, err := template(d.OrderingKey); err != nil {
		return hookhub.Errorf(hookhub.EINVALID, "ordering_key: %s", hookhub.ErrorMessage(err))
	}
	return nil
}

// Apply sets dl's ordering from d and the event: ordered, with its key, when
// d is fifo. Pings and test sends go outside the order: they are for the
// destination, not part of its stream of events.
func Apply(dl *hookhub.Delivery, d *hookhub.Destination, ev *hookhub.Event) {
	if d.Ordering != hookhub.OrderingFIFO || dl.Trigger == hookhub.TriggerPing || dl.Trigger == hookhub.TriggerTest {
		return
	}
	dl.Ordered, dl.OrderingKey = true, Key(d, ev)
}

// Key renders d's ordering key for ev.
func Key(d *hookhub.Destination, ev *hookhub.Event) string {
	src := keySource(d)
	if src == "" {
		return ""
	}
	t, err := template(src)
	if err != nil {
		return ""
	}
	if lit, ok := t.Literal(); ok {
		return bound(lit)
	}
	var payload any
	if json.Unmarshal(ev.Body, &payload) != nil {
		payload = map[string]any{}
	}
	key, err := t.Render(context.Background(), expr.EventVars(expr.NewEvent(ev, payload, "")))
	if err != nil {
		return ""
	}
	return bound(strings.TrimSpace(key))
}

// keySource is the template a destination's keys come from.
func keySource(d *hookhub.Destination) string {
	if d.OrderingKey != "" {
		return d.OrderingKey
	}
	if d.Type == hookhub.DestinationKafka && d.Kafka != nil {
		return d.Kafka.Key
	}
	return ""
}

func bound(key string) string {
	if len(key) <= MaxKeyBytes {
		return key
	}
	sum := sha256.Sum256([]byte(key))
	return "sha256:" + hex.EncodeToString(sum[:])
}

// templates caches compiled key templates by source: destinations change
// rarely, and each routed event renders one.
var templates = struct {
	sync.Mutex
	m map[string]*expr.Template
}{m: map[string]*expr.Template{}}

const maxCached = 1024

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
	if len(templates.m) >= maxCached {
		clear(templates.m)
	}
	templates.m[src] = t
	templates.Unlock()
	return t, nil
}
