package manifest

// Kind describes one kind of object a manifest holds.
type Kind struct {
	Name     string // the collection and YAML key: "sources"
	Singular string // for messages: "source"
	// OutputOnly are top-level fields the API answers but does not take.
	OutputOnly []string
	// Refs are fields that name objects of another kind.
	Refs []Ref
	// Secrets are write-only fields: in a nested object (Parent) a field
	// the API never shows, with the flag it shows instead ("" when it
	// shows "<masked>" in the field's place).
	Secrets []Secret
	// Defaults are what the server fills in for a nested field the file
	// leaves out (parent.field → value; nil: whatever the server chose), so
	// leaving it out is no change.
	Defaults map[string]any
	// Owns, when set, names the objects of another kind this kind's
	// objects own.
	Owns *Ownership
	// Redacted are nested fields (parent.field) holding URLs the API shows
	// with their credentials masked (hookhub.RedactURLs).
	Redacted []string
}

// Ref is a field holding names of objects of another kind (as in
// "destinations: [Ops receiver]"), sent to the API as IDs in IDField.
type Ref struct {
	Field, IDField, Kind string
	Many                 bool
	// In, when set, is a list field whose items hold the reference (a
	// workflow's nodes) rather than the object itself.
	In string
}

// Secret is a write-only field.
type Secret struct {
	Parent, Field, SetFlag string
}

// Kinds lists every kind, in the order they are created: a kind may refer
// only to kinds before it. Deletions run in the reverse order.
var Kinds = []Kind{
	{
		Name: "destinations", Singular: "destination",
		OutputOnly: []string{"id", "secret", "disabled_reason", "consecutive_failures", "created_at", "updated_at"},
		Defaults: map[string]any{
			"signing.scheme":    nil, // standard-webhooks for webhooks, none for buses
			"retry.max_retries": float64(10),
			"mqtt.qos":          float64(1),
		},
		Secrets: []Secret{
			{Parent: "headers", Field: "*"},
			{Parent: "eventbridge", Field: "secret_access_key"},
			{Parent: "eventbridge", Field: "session_token"},
			{Parent: "kafka.sasl", Field: "password"},
		},
		Redacted: []string{"nats.url", "rabbitmq.url", "redis.url", "mqtt.url"},
	},
	{
		Name: "sources", Singular: "source",
		OutputOnly: []string{"id", "key", "url", "created_at", "updated_at"},
		Refs:       []Ref{{Field: "destinations", IDField: "destination_ids", Kind: "destinations", Many: true}},
		Secrets: []Secret{
			{Parent: "verification", Field: "secret", SetFlag: "secret_set"},
			{Parent: "verification", Field: "password", SetFlag: "secret_set"},
			{Parent: "verification", Field: "previous_secret", SetFlag: "previous_secret_set"},
		},
		Defaults: map[string]any{"verification.scheme": nil}, // the type's scheme
	},
	{
		Name: "workflows", Singular: "workflow",
		OutputOnly: []string{"id", "url", "owns_source", "version", "created_at", "updated_at"},
		Refs: []Ref{
			{Field: "source", IDField: "source_id", Kind: "sources"},
			// A deliver node names its destination.
			{In: "nodes", Field: "destination", IDField: "destination_id", Kind: "destinations"},
		},
		Secrets: []Secret{
			{Parent: "trigger.auth", Field: "secret", SetFlag: "secret_set"},
			{Parent: "trigger.auth", Field: "password", SetFlag: "secret_set"},
			{Parent: "trigger.auth", Field: "previous_secret", SetFlag: "previous_secret_set"},
		},
		Defaults: map[string]any{"trigger.auth": nil, "trigger.mode": "async", "trigger.response": nil, "trigger.timeout_seconds": nil},
		// A workflow that made its own source owns it: the source is not
		// declared (nor exported, nor pruned) apart from the workflow.
		Owns: &Ownership{Flag: "owns_source", IDField: "source_id", Kind: "sources"},
	},
}

// Ownership says that objects of a kind may own an object of another kind,
// which then belongs to them rather than to the file.
type Ownership struct {
	Flag, IDField, Kind string
}

func kindNamed(name string) (Kind, bool) {
	for _, k := range Kinds {
		if k.Name == name {
			return k, true
		}
	}
	return Kind{}, false
}

func kindNames() []string {
	out := make([]string, len(Kinds))
	for i, k := range Kinds {
		out[i] = k.Name
	}
	return out
}
