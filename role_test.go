package hookhub

import "testing"

func TestRoleAllows(t *testing.T) {
	for _, tc := range []struct {
		have, need string
		want       bool
	}{
		{RoleAdmin, RoleAdmin, true}, {RoleAdmin, RoleResponder, true}, {RoleAdmin, RoleViewer, true},
		{RoleResponder, RoleAdmin, false}, {RoleResponder, RoleResponder, true}, {RoleResponder, RoleViewer, true},
		{RoleViewer, RoleAdmin, false}, {RoleViewer, RoleResponder, false}, {RoleViewer, RoleViewer, true},
		{"", RoleViewer, false}, {"root", RoleViewer, false}, {RoleAdmin, "root", false},
	} {
		if got := RoleAllows(tc.have, tc.need); got != tc.want {
			t.Errorf("RoleAllows(%q, %q) = %v, want %v", tc.have, tc.need, got, tc.want)
		}
	}
	if LesserRole(RoleAdmin, RoleViewer) != RoleViewer || LesserRole(RoleResponder, RoleAdmin) != RoleResponder {
		t.Error("LesserRole")
	}
}
