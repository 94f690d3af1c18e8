package sender

import (
	"testing"

	"github.com/hookhub/hookhub"
)

func TestContentType(t *testing.T) {
	t.Parallel()
	form := map[string][]string{"content-type": {"application/x-www-form-urlencoded"}}
	tests := []struct {
		name string
		ev   hookhub.Event
		want string
	}{
		{"published", hookhub.Event{Body: []byte(`{}`)}, "application/json"},
		{"forwarded JSON", hookhub.Event{SourceID: "src_1", Headers: map[string][]string{"Content-Type": {"application/json; charset=utf-8"}}}, "application/json"},
		{"forwarded form keeps its type", hookhub.Event{SourceID: "src_1", Headers: form}, "application/x-www-form-urlencoded"},
		{"forwarded without a type", hookhub.Event{SourceID: "src_1"}, "application/json"},
	}
	for _, tt := range tests {
		if got := ContentType(&tt.ev); got != tt.want {
			t.Errorf("%s: %q, want %q", tt.name, got, tt.want)
		}
	}
}
