package sqlstore

import (
	"encoding/json"
	"fmt"
)

// seal encrypts the JSON of an object's secret fields for its secrets column.
func (s *Store) seal(v any) ([]byte, error) {
	plain, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("encode secrets: %w", err)
	}
	sealed, err := s.box.Seal(plain)
	if err != nil {
		return nil, fmt.Errorf("seal secrets: %w", err)
	}
	return sealed, nil
}

// unseal decrypts a secrets column into v. A wrong master key fails here,
// loudly, rather than yielding empty secrets.
func (s *Store) unseal(sealed []byte, v any) error {
	if len(sealed) == 0 {
		return nil
	}
	plain, err := s.box.Open(sealed)
	if err != nil {
		return fmt.Errorf("open secrets (is the master key right?): %w", err)
	}
	if err := json.Unmarshal(plain, v); err != nil {
		return fmt.Errorf("decode secrets: %w", err)
	}
	return nil
}
