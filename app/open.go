package app

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"os"
	"path/filepath"

	"github.com/hookhub/hookhub"
	"github.com/hookhub/hookhub/config"
	"github.com/hookhub/hookhub/postgres"
	"github.com/hookhub/hookhub/secret"
	"github.com/hookhub/hookhub/sqlite"
)

// listeners are the sockets a Main serves on, bound before anything else is
// done so that a port in use or a bad address fails with nothing created.
type listeners struct {
	api, debug net.Listener
}

func bind(c *config.Config) (*listeners, error) {
	api, err := net.Listen("tcp", c.Listen)
	if err != nil {
		return nil, fmt.Errorf("listen on %s: %w", c.Listen, err)
	}
	l := &listeners{api: api}
	if c.DebugListen != "" {
		if l.debug, err = net.Listen("tcp", c.DebugListen); err != nil {
			api.Close()
			return nil, fmt.Errorf("listen on %s for --debug-listen: %w", c.DebugListen, err)
		}
	}
	return l, nil
}

func (l *listeners) close() {
	l.api.Close()
	if l.debug != nil {
		l.debug.Close()
	}
}

// OpenStore opens the configured store, creating the data directory and master
// key on first start, and applies migrations.
func OpenStore(ctx context.Context, c *config.Config) (hookhub.Store, error) {
	s, _, err := openStore(ctx, c)
	return s, err
}

// openStore is OpenStore that also returns how to remove what it created
// (the data directory, when it did not exist before), for a start-up that
// fails afterwards. When it fails itself it leaves nothing behind.
func openStore(ctx context.Context, c *config.Config) (hookhub.Store, func(), error) {
	undo := func() {}
	var err error
	if !c.UsesPostgres() {
		if undo, err = makeDir(c.DataDir); err != nil {
			return nil, nil, err
		}
	}
	key, fresh, err := masterKey(c)
	if err != nil {
		undo()
		return nil, nil, err
	}
	box, err := secret.NewBox(key)
	if err != nil {
		undo()
		return nil, nil, fmt.Errorf("master key: %w", err)
	}
	store, err := openDriver(ctx, c, box)
	if err != nil {
		undo()
		return nil, nil, err
	}
	// A generated key is written only once the database has opened, so a
	// failed PostgreSQL connection leaves no data directory either.
	if fresh {
		undoDir, err := makeDir(c.DataDir)
		if err == nil {
			err = secret.WriteKeyFile(c.DataDir, key)
		}
		if err != nil {
			store.Close()
			undoDir()
			undo()
			return nil, nil, fmt.Errorf("master key: %w", err)
		}
		undo = chain(undoDir, undo)
	}
	return store, undo, nil
}

func openDriver(ctx context.Context, c *config.Config, box *secret.Box) (hookhub.Store, error) {
	if c.UsesPostgres() {
		s, err := postgres.Open(ctx, c.DatabaseURL.Reveal(), box)
		if err != nil {
			return nil, fmt.Errorf("open postgres: %w", err)
		}
		return s, nil
	}
	s, err := sqlite.Open(ctx, filepath.Join(c.DataDir, "hookhub.db"), box)
	if err != nil {
		return nil, fmt.Errorf("open sqlite: %w", err)
	}
	return s, nil
}

// masterKey returns the configured key, or the one in the data directory,
// or a new one; fresh reports a new key that still has to be written.
func masterKey(c *config.Config) (key []byte, fresh bool, err error) {
	if c.SecretKey != "" {
		key, err = secret.ParseKey(c.SecretKey.Reveal())
		if err != nil {
			return nil, false, fmt.Errorf("master key: %w", err)
		}
		return key, false, nil
	}
	key, err = secret.ReadKeyFile(c.DataDir)
	if errors.Is(err, fs.ErrNotExist) {
		return secret.NewRandomKey(), true, nil
	} else if err != nil {
		return nil, false, fmt.Errorf("master key: %w", err)
	}
	return key, false, nil
}

// makeDir creates dir and its missing parents (mode 0700) and returns a
// function removing the topmost directory it created, or doing nothing when
// dir existed already.
func makeDir(dir string) (func(), error) {
	top := topmostMissing(dir)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("create data directory: %w", err)
	}
	if top == "" {
		return func() {}, nil
	}
	return func() { os.RemoveAll(top) }, nil
}

// topmostMissing returns the highest ancestor of dir (or dir itself) that
// does not exist, or "" when dir exists.
func topmostMissing(dir string) string {
	top := ""
	for p := filepath.Clean(dir); ; p = filepath.Dir(p) {
		if _, err := os.Lstat(p); err == nil {
			return top
		}
		top = p
		if filepath.Dir(p) == p {
			return top
		}
	}
}

func chain(fs ...func()) func() {
	return func() {
		for _, f := range fs {
			f()
		}
	}
}
