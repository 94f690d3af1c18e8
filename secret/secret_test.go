package secret

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

func TestBoxRoundTrip(t *testing.T) {
	b, err := NewBox(NewRandomKey())
	if err != nil {
		t.Fatal(err)
	}
	plain := []byte("whsec_very-secret")
	s1, _ := b.Seal(plain)
	s2, _ := b.Seal(plain)
	if bytes.Equal(s1, s2) {
		t.Fatal("two seals of one plaintext are equal: nonce reuse")
	}
	if bytes.Contains(s1, plain) {
		t.Fatal("sealed value contains plaintext")
	}
	got, err := b.Open(s1)
	if err != nil || !bytes.Equal(got, plain) {
		t.Fatalf("open: %q %v", got, err)
	}
	s1[len(s1)-1] ^= 1
	if _, err := b.Open(s1); err == nil {
		t.Fatal("tampered value opened")
	}
	other, _ := NewBox(NewRandomKey())
	if _, err := other.Open(s2); err == nil {
		t.Fatal("opened with the wrong key")
	}
	if _, err := b.Open([]byte("short")); err == nil {
		t.Fatal("short value opened")
	}
}

func TestNewBoxKeySize(t *testing.T) {
	if _, err := NewBox(make([]byte, 16)); err == nil {
		t.Fatal("16-byte key accepted")
	}
}

func TestLoadOrCreateKey(t *testing.T) {
	dir := t.TempDir()
	k1, err := LoadOrCreateKey(dir)
	if err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(filepath.Join(dir, KeyFileName))
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Fatalf("key file mode %v, want 0600", fi.Mode().Perm())
	}
	k2, err := LoadOrCreateKey(dir)
	if err != nil || !bytes.Equal(k1, k2) {
		t.Fatalf("reloaded key differs: %v", err)
	}
}

func TestParseKey(t *testing.T) {
	k := NewRandomKey()
	for _, tc := range []struct {
		in string
		ok bool
	}{
		{EncodeKey(k), true},
		{"  " + EncodeKey(k) + "\n", true},
		{"0000000000000000000000000000000000000000000000000000000000000000", true},
		{"tooshort", false},
		{"", false},
	} {
		_, err := ParseKey(tc.in)
		if (err == nil) != tc.ok {
			t.Errorf("ParseKey(%q) err=%v, want ok=%v", tc.in, err, tc.ok)
		}
	}
}

func TestPassword(t *testing.T) {
	h, err := hashPassword("correct horse", 1000)
	if err != nil {
		t.Fatal(err)
	}
	if !CheckPassword(h, "correct horse") {
		t.Fatal("right password refused")
	}
	for _, bad := range []string{"correct hors", "", "correct horse "} {
		if CheckPassword(h, bad) {
			t.Fatalf("wrong password %q accepted", bad)
		}
	}
	for _, badHash := range []string{"", "x$1$a$b", "pbkdf2-sha256$0$AA$AA", "pbkdf2-sha256$1000$!!$AA"} {
		if CheckPassword(badHash, "x") {
			t.Fatalf("malformed hash %q accepted", badHash)
		}
	}
}

func TestAPIKey(t *testing.T) {
	id, full := NewAPIKey()
	got, ok := APIKeyID(full)
	if !ok || got != id {
		t.Fatalf("APIKeyID(%q) = %q %v, want %q", full, got, ok, id)
	}
	h := HashAPIKey(full)
	if !CheckAPIKey(h, full) || CheckAPIKey(h, full+"x") {
		t.Fatal("CheckAPIKey wrong")
	}
	for _, bad := range []string{"", "hh_", "hh_key_short_x", "Bearer " + full, "xx" + full[2:]} {
		if _, ok := APIKeyID(bad); ok {
			t.Fatalf("APIKeyID accepted %q", bad)
		}
	}
}
