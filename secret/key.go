package secret

import (
	"encoding/base64"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// KeyFileName is the master key file kept in the data directory when no key is
// given through the environment.
const KeyFileName = "secret.key"

// ParseKey decodes a master key given as standard or URL-safe base64 (44 or 43
// characters) or as 64 hex digits.
func ParseKey(s string) ([]byte, error) {
	s = strings.TrimSpace(s)
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.URLEncoding, base64.RawStdEncoding, base64.RawURLEncoding} {
		if k, err := enc.DecodeString(s); err == nil && len(k) == KeySize {
			return k, nil
		}
	}
	if len(s) == 2*KeySize {
		k := make([]byte, KeySize)
		if _, err := fmt.Sscanf(s, "%x", &k); err == nil {
			return k, nil
		}
	}
	return nil, errors.New("must be 32 bytes as base64 or 64 hex digits")
}

// EncodeKey returns the form ParseKey reads and the key file holds.
func EncodeKey(k []byte) string { return base64.StdEncoding.EncodeToString(k) }

// LoadOrCreateKey reads the master key from dir/secret.key, creating it (mode
// 0600) with a random key when it does not exist yet.
func LoadOrCreateKey(dir string) ([]byte, error) {
	k, err := ReadKeyFile(dir)
	if !errors.Is(err, fs.ErrNotExist) {
		return k, err
	}
	k = NewRandomKey()
	return k, WriteKeyFile(dir, k)
}

// ReadKeyFile reads the master key from dir/secret.key. The error wraps
// fs.ErrNotExist when there is no key file yet.
func ReadKeyFile(dir string) ([]byte, error) {
	path := filepath.Join(dir, KeyFileName)
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, err
	} else if err != nil {
		return nil, fmt.Errorf("read master key: %w", err)
	}
	k, err := ParseKey(string(data))
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	return k, nil
}

// WriteKeyFile creates dir/secret.key (mode 0600) holding k; it never
// replaces an existing file.
func WriteKeyFile(dir string, k []byte) error {
	f, err := os.OpenFile(filepath.Join(dir, KeyFileName), os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return fmt.Errorf("create master key: %w", err)
	}
	if _, err := f.WriteString(EncodeKey(k) + "\n"); err != nil {
		f.Close()
		return fmt.Errorf("write master key: %w", err)
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return fmt.Errorf("sync master key: %w", err)
	}
	return f.Close()
}
