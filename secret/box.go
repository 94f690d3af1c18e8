// Package secret keeps secrets safe: AES-GCM encryption of stored secrets under a
// master key, password hashing, and API key generation and hashing.
package secret

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"errors"
	"fmt"
)

// KeySize is the master key length: AES-256.
const KeySize = 32

// Box encrypts and decrypts small values with AES-256-GCM. Each sealed value is
// nonce || ciphertext || tag, so equal plaintexts never look alike at rest.
type Box struct {
	aead cipher.AEAD
}

// NewBox returns a Box for a 32-byte master key.
func NewBox(key []byte) (*Box, error) {
	if len(key) != KeySize {
		return nil, fmt.Errorf("secret key must be %d bytes, got %d", KeySize, len(key))
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, fmt.Errorf("new cipher: %w", err)
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, fmt.Errorf("new gcm: %w", err)
	}
	return &Box{aead: aead}, nil
}

// NewRandomKey returns a fresh random master key.
func NewRandomKey() []byte {
	key := make([]byte, KeySize)
	rand.Read(key)
	return key
}

// Seal encrypts plaintext.
func (b *Box) Seal(plaintext []byte) ([]byte, error) {
	nonce := make([]byte, b.aead.NonceSize(), b.aead.NonceSize()+len(plaintext)+b.aead.Overhead())
	rand.Read(nonce)
	return b.aead.Seal(nonce, nonce, plaintext, nil), nil
}

// Open decrypts a value made by Seal; it fails if the value or key is wrong.
func (b *Box) Open(sealed []byte) ([]byte, error) {
	n := b.aead.NonceSize()
	if len(sealed) < n+b.aead.Overhead() {
		return nil, errors.New("sealed value too short")
	}
	out, err := b.aead.Open(nil, sealed[:n], sealed[n:], nil)
	if err != nil {
		return nil, fmt.Errorf("open sealed value: %w", err)
	}
	return out, nil
}
